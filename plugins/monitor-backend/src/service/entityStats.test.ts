import { JobHealth } from '@tc-portal/plugin-monitor-common';
import { newJob } from '../health/decide';
import { JobRecord } from '../health/types';
import { entityStatsOf } from './entityStats';

const T0 = new Date('2026-01-10T10:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

function job(
  jobKey: string,
  entityRef: string | null,
  health: JobHealth,
  healthSince: Date,
  more: Partial<JobRecord> = {},
): JobRecord {
  return {
    ...newJob(jobKey, jobKey, T0),
    entityRef,
    health,
    healthSince,
    ...more,
  } as JobRecord;
}

describe('entityStatsOf', () => {
  it("counts an entity's jobs, those failing and those needing attention, from the longest failure", () => {
    const [stats] = entityStatsOf(
      {
        jobs: [
          job('a', 'component:default/shop', 'error', minutes(30)),
          job('b', 'component:default/shop', 'missed', minutes(10)),
          job('c', 'component:default/shop', 'ok', minutes(5)),
          // Failing, but somebody took it on: not counted for attention.
          job('d', 'component:default/shop', 'error', minutes(50), {
            acknowledgement: {
              by: 'user:default/a',
              at: minutes(55),
              comment: '',
            },
          }),
          // Linked to no entity: no stats.
          job('e', null, 'error', minutes(1)),
        ],
        runs: [],
        acknowledgements: [],
      },
      minutes(60),
    );
    expect(stats).toEqual({
      entityRef: 'component:default/shop',
      jobCount: 4,
      attentionCount: 2,
      failingCount: 3,
      failingSince: minutes(10).toISOString(),
      runs: { succeeded: 0, failed: 0 },
      acknowledgements: { count: 0, meanTimeToAcknowledgeMs: null },
    });
  });

  it('counts runs that succeeded and failed, an error or a timeout, and the mean time to acknowledge', () => {
    const stats = entityStatsOf(
      {
        jobs: [
          job('a', 'component:default/b', 'ok', T0),
          job('c', 'component:default/a', 'ok', T0),
        ],
        runs: [
          { entityRef: 'component:default/b', status: 'success', count: 19 },
          { entityRef: 'component:default/b', status: 'error', count: 1 },
          { entityRef: 'component:default/b', status: 'timeout', count: 2 },
        ],
        acknowledgements: [
          {
            entityRef: 'component:default/b',
            at: minutes(20),
            failingSince: minutes(10),
          },
          {
            entityRef: 'component:default/b',
            at: minutes(90),
            failingSince: minutes(60),
          },
          // The start of its failure is no longer kept: counted, not timed.
          {
            entityRef: 'component:default/b',
            at: minutes(5),
            failingSince: null,
          },
        ],
      },
      minutes(100),
    );
    // In the order of the entities' references.
    expect(stats.map(s => s.entityRef)).toEqual([
      'component:default/a',
      'component:default/b',
    ]);
    expect(stats[0]).toMatchObject({
      runs: { succeeded: 0, failed: 0 },
      failingSince: null,
      acknowledgements: { count: 0, meanTimeToAcknowledgeMs: null },
    });
    expect(stats[1]).toMatchObject({
      runs: { succeeded: 19, failed: 3 },
      acknowledgements: { count: 3, meanTimeToAcknowledgeMs: 20 * 60_000 },
    });
  });
});
