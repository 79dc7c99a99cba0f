import { RecentRun } from '../health/runFacts';
import { decodeRecentRuns, encodeRecentRuns } from './runFactsColumns';

describe('the run facts kept on a job row', () => {
  it('read back as they were written: outcomes, durations, too fast and slow marks', () => {
    const runs: RecentRun[] = [
      { id: 'a', outcome: 'error', finishedAt: 9, receivedAt: 10 },
      {
        id: 'b',
        outcome: 'success',
        finishedAt: 7,
        receivedAt: 8,
        durationMs: 60_000,
      },
      {
        id: 'c',
        outcome: 'success',
        finishedAt: 5,
        receivedAt: 6,
        tooFast: { durationMs: 2000, minRuntimeMs: 300_000 },
      },
      {
        id: 'd',
        outcome: 'success',
        finishedAt: 3,
        receivedAt: 4,
        durationMs: 250_000,
        slow: {
          durationMs: 250_000,
          p50Ms: 50_000,
          p95Ms: 100_000,
          slowFactor: 2,
        },
      },
    ];
    const decoded = decodeRecentRuns(encodeRecentRuns(runs));
    expect(decoded).toEqual([
      runs[0],
      runs[1],
      // A too fast run's duration is its own too.
      { ...runs[2], durationMs: 2000 },
      runs[3],
    ]);
  });
});
