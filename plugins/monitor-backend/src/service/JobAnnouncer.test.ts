import { mockServices } from '@backstage/backend-test-utils';
import { SignalPayload } from '@backstage/plugin-signals-node';
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
    version: async () => 'v.7',
  });
  return { subject, signals };
}

describe('JobAnnouncer', () => {
  it('gathers many changes into one signal that says only that jobs changed', async () => {
    const { subject, signals } = announcer();
    subject.jobsChanged();
    subject.jobsChanged();
    subject.jobsChanged();
    expect(signals).toEqual([]);

    await subject.sendSignal();

    expect(signals).toEqual([
      {
        recipients: { type: 'broadcast' },
        channel: 'monitor:jobs',
        message: { changed: true, version: 'v.7' },
      },
    ]);
    // Nothing changed since: nothing to send.
    await subject.sendSignal();
    expect(signals).toHaveLength(1);
  });

  it('sends the gathered changes by itself a quarter second later', async () => {
    jest.useFakeTimers();
    try {
      const { subject, signals } = announcer();
      subject.jobsChanged();
      await jest.advanceTimersByTimeAsync(249);
      expect(signals).toEqual([]);
      subject.jobsChanged();
      await jest.advanceTimersByTimeAsync(1);
      expect(signals.map(s => s.message)).toEqual([
        { changed: true, version: 'v.7' },
      ]);
      await jest.advanceTimersByTimeAsync(1000);
      expect(signals).toHaveLength(1);
    } finally {
      jest.useRealTimers();
    }
  });
});
