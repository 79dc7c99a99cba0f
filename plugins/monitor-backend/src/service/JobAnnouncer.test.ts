import { mockServices } from '@backstage/backend-test-utils';
import { SignalPayload } from '@backstage/plugin-signals-node';
import { JobHealth } from '@tc-portal/plugin-monitor-common';
import { JobRecord } from '../database/types';
import { JobAnnouncer } from './JobAnnouncer';

function announcer() {
  const signals: SignalPayload[] = [];
  const subject = new JobAnnouncer({
    notifications: { send: async () => {} },
    signals: {
      publish: async (signal: SignalPayload) => {
        signals.push(signal);
      },
    },
    logger: mockServices.logger.mock(),
    notify: false,
    pagePath: '/monitor',
  });
  return { subject, signals };
}

const job = (health: JobHealth) => ({ health } as JobRecord);
const now = new Date('2026-01-10T10:00:00Z');

describe('JobAnnouncer', () => {
  it('gathers the changes of many reports into one signal, each job once as it is now', async () => {
    const { subject, signals } = announcer();
    await subject.jobChanged('a', job('error'), undefined, now);
    await subject.jobChanged('b', job('ok'), undefined, now);
    await subject.jobChanged('a', job('ok'), undefined, now);
    await subject.jobChanged('c', undefined, undefined, now);
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
    const { subject, signals } = announcer();
    await subject.jobChanged('a', job('error'), undefined, now);
    await new Promise(r => setTimeout(r, 400));
    expect(signals.map(s => s.message)).toEqual([
      { jobs: [{ jobKey: 'a', health: 'error' }] },
    ]);
  });
});
