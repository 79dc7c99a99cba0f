import { mockServices } from '@backstage/backend-test-utils';
import { isFailingHealth } from '@tc-portal/plugin-monitor-common';
import { Knex } from 'knex';
import {
  createTestStores,
  monitorTestDatabases,
  testDatabase,
} from '../__testUtils__/testBackend';
import { IncomingReport } from '../health/types';
import { MonitorStores } from './createStores';
import { JobCounts, JobCountsNow, readJobCounts } from './JobCounts';
import { jobFromRow } from './rows';

jest.setTimeout(60_000);

const databases = monitorTestDatabases();
const T0 = new Date('2026-01-10T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const by = 'user:default/ops';

const report = (
  jobKey: string,
  minutes: number,
  status: 'success' | 'error',
): IncomingReport =>
  ({
    jobKey,
    title: jobKey,
    status,
    finishedAt: at(minutes),
    receivedAt: at(minutes),
  } as IncomingReport);

describe.each(databases.eachSupportedId())('JobCounts on %p', databaseId => {
  let knex: Knex;
  let stores: MonitorStores;
  let counts: JobCounts;

  beforeEach(async () => {
    knex = await testDatabase(databases, databaseId);
    stores = await createTestStores(knex, () => T0);
    counts = new JobCounts(knex, mockServices.logger.mock());
  });

  afterEach(() => stores.stop());

  /** The counts by reading every job. */
  const fullCount = async (): Promise<JobCountsNow> => {
    const jobs = (await knex('jobs')).map(jobFromRow);
    const byHealth: JobCountsNow['byHealth'] = {};
    for (const job of jobs) {
      byHealth[job.health] = (byHealth[job.health] ?? 0) + 1;
    }
    return {
      byHealth,
      acknowledged: jobs.filter(job => job.acknowledgement).length,
      failingUnacknowledged: jobs.filter(
        job =>
          isFailingHealth(job.health) && !job.upstream && !job.acknowledgement,
      ).length,
      total: jobs.length,
    };
  };

  /** The kept counts, without the groups that no job is in any more. */
  const kept = async () => {
    const now = await readJobCounts(knex);
    return {
      ...now,
      byHealth: Object.fromEntries(
        Object.entries(now.byHealth).filter(([, jobs]) => jobs !== 0),
      ),
    };
  };

  it('follows every change of a job that the summary counts, merged or not', async () => {
    const steps: Array<[string, () => Promise<unknown>]> = [
      [
        'a job fails',
        () => stores.writer.record(report('a', 1, 'error'), at(1)),
      ],
      [
        'another succeeds',
        () => stores.writer.record(report('b', 1, 'success'), at(1)),
      ],
      [
        'a third fails',
        () => stores.writer.record(report('c', 1, 'error'), at(1)),
      ],
      [
        'it is acknowledged',
        () => stores.attention.acknowledge('a', { by, comment: 'x' }, at(2)),
      ],
      ['the counts are merged', () => counts.merge()],
      [
        'one fails because of an upstream job',
        () =>
          knex('jobs')
            .where('job_key', 'c')
            .update({ upstream_job_key: 'a', upstream_title: 'a' }),
      ],
      [
        'its acknowledgement is cleared',
        () => stores.attention.clearAcknowledgement('a', by, at(3)),
      ],
      [
        'one recovers',
        () => stores.writer.record(report('a', 4, 'success'), at(4)),
      ],
      ['a job is deleted', () => stores.attention.deleteJob('b', by, at(5))],
      ['the counts are merged again', () => counts.merge()],
      [
        'a report after a merge',
        () => stores.writer.record(report('d', 6, 'error'), at(6)),
      ],
    ];
    for (const [name, step] of steps) {
      await step();
      expect({ after: name, counts: await kept() }).toEqual({
        after: name,
        counts: await fullCount(),
      });
    }
    // Merged: one row per group at most.
    await counts.merge();
    const rows = await knex('job_counts').select(
      'health',
      'acknowledged',
      'upstream',
    );
    expect(rows.length).toBeLessThanOrEqual(3);
  });

  it('loses no change committed while the counts are merged', async () => {
    const keys = Array.from({ length: 40 }, (_, i) => `job-${i}`);
    await Promise.all([
      ...keys.map((key, i) =>
        stores.writer.record(
          report(key, 1, i % 3 ? 'success' : 'error'),
          at(1),
        ),
      ),
      counts.merge(),
      counts.merge(),
      new JobCounts(knex, mockServices.logger.mock()).merge(),
    ]);
    await counts.merge();
    expect(await kept()).toEqual(await fullCount());
  });
});
