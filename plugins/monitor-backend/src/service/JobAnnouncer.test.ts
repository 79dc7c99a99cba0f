import { mockServices } from '@backstage/backend-test-utils';
import { SignalPayload } from '@backstage/plugin-signals-node';
import { JobHealth } from '@tc-portal/plugin-monitor-common';
import { JobRecord } from '../database/types';
import { JobAnnouncer } from './JobAnnouncer';

function announcer() {
  const signals: SignalPayload[] = [];
  const subject = new JobAnnouncer({
    signals: {
      publish: async (signal: SignalPayload) => {
        signals.push(signal);
      },
    },
    logger: mockServices.logger.mock(),
  });
  return { subject, signals };
}

const job = (health: JobHealth) => ({ health } as JobRecord);

describe('JobAnnouncer', () => {
  it('gathers the changes of many reports into one signal, each job once as it is now', async () => {
    const { subject, signals } = announcer();
    subject.jobChanged('a', job('error'));
    subject.jobChanged('b', job('ok'));
    subject.jobChanged('a', job('ok'));
    subject.jobChanged('c', undefined);
    expect(signals).toEqual([]);

    await subject.sendSignal();

    expect(signals).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'monitor:jobs',
        message: {
          jobs: [
            { jobKey: 'b', health: 'ok' },
            { jobKey: 'a', health: 'ok' },
            { jobKey: 'c', health: null, deleted: true },
          ],
        },
      },
    ]);
    await subject.sendSignal();
    expect(signals).toHaveLength(1);
  });

  it('sends the gathered changes by itself a quarter second later', async () => {
    jest.useFakeTimers();
    try {
      const { subject, signals } = announcer();
      subject.jobChanged('a', job('error'));
      await jest.advanceTimersByTimeAsync(249);
      expect(signals).toEqual([]);
      subject.jobChanged('b', job('ok'));
      await jest.advanceTimersByTimeAsync(1);
      expect(signals.map(s => s.message)).toEqual([
        {
          jobs: [
            { jobKey: 'a', health: 'error' },
            { jobKey: 'b', health: 'ok' },
          ],
        },
      ]);
    } finally {
      jest.useRealTimers();
    }
  });
});
