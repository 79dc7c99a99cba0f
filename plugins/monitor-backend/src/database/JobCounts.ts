import { LoggerService } from '@backstage/backend-plugin-api';
import { FAILING_HEALTHS, JobHealth } from '@tc-portal/plugin-monitor-common';
import { Knex } from 'knex';
import { isPostgres } from './dialect';

/** How often the counts' changes are merged into one row per group. */
const MERGE_EVERY_MS = 5_000;

/** How many jobs are in each group the summary counts. */
export type JobCountsNow = {
  byHealth: Partial<Record<JobHealth, number>>;
  /** Jobs somebody acknowledged. */
  acknowledged: number;
  /** Failing jobs (not because of an upstream job) nobody acknowledged. */
  failingUnacknowledged: number;
  /** Jobs in all. */
  total: number;
};

type GroupRow = {
  health: JobHealth;
  acknowledged: boolean | number;
  upstream: boolean | number;
  jobs: number | string | null;
};

/** The counts now, as committed: the sums of their rows. */
export async function readJobCounts(db: Knex): Promise<JobCountsNow> {
  const rows = (await db('job_counts')
    .select('health', 'acknowledged', 'upstream')
    .sum({ jobs: 'jobs' })
    .groupBy('health', 'acknowledged', 'upstream')) as GroupRow[];
  const counts: JobCountsNow = {
    byHealth: {},
    acknowledged: 0,
    failingUnacknowledged: 0,
    total: 0,
  };
  for (const row of rows) {
    const jobs = Number(row.jobs ?? 0);
    counts.byHealth[row.health] = (counts.byHealth[row.health] ?? 0) + jobs;
    counts.total += jobs;
    if (row.acknowledged) {
      counts.acknowledged += jobs;
    } else if (!row.upstream && FAILING_HEALTHS.includes(row.health)) {
      counts.failingUnacknowledged += jobs;
    }
  }
  return counts;
}

/**
 * The summary's counts as the database keeps them (migration
 * `20261205040000_job_counts`): triggers on the jobs add a row per change of
 * a job's group, in the write's own transaction, and the counts are the
 * sums (`readJobCounts`): reading them reads those rows, never the jobs.
 * This merges them, so that they stay few.
 */
export class JobCounts {
  private timer?: NodeJS.Timeout;
  private merging?: Promise<void>;
  private vacuums = true;

  constructor(
    private readonly db: Knex,
    private readonly logger: LoggerService,
  ) {}

  /**
   * Replaces the rows by one per group with their sums: the counts stay
   * what they were. The rows merged are those it deletes, in one statement
   * (PostgreSQL), so that a change committed meanwhile by another writer or
   * replica is neither lost nor counted twice; SQLite has one writer.
   */
  merge(): Promise<void> {
    this.merging ??= this.mergeOnce().finally(() => {
      this.merging = undefined;
    });
    return this.merging;
  }

  private async mergeOnce(): Promise<void> {
    if (isPostgres(this.db)) {
      await this.db.raw(`WITH merged AS (DELETE FROM job_counts
          RETURNING health, acknowledged, upstream, jobs)
        INSERT INTO job_counts (health, acknowledged, upstream, jobs)
        SELECT health, acknowledged, upstream, sum(jobs) FROM merged
        GROUP BY health, acknowledged, upstream HAVING sum(jobs) <> 0`);
      // Its rows are deleted as fast as reports come: the space is made
      // reusable here, whatever the server's autovacuum does (the table is
      // not cut short, which would hold its writers back for a moment). A
      // role that may not vacuum it leaves it to the server, said once.
      if (this.vacuums) {
        await this.db.raw('VACUUM (TRUNCATE false) job_counts').catch(error => {
          this.vacuums = false;
          this.logger.info(
            `The job counts are left to the server's autovacuum: ${error}`,
          );
        });
      }
      return;
    }
    await this.db.transaction(async tx => {
      const sums = await tx('job_counts')
        .select('health', 'acknowledged', 'upstream')
        .sum({ jobs: 'jobs' })
        .groupBy('health', 'acknowledged', 'upstream');
      await tx('job_counts').delete();
      const kept = sums.filter(row => Number(row.jobs) !== 0);
      if (kept.length > 0) {
        await tx('job_counts').insert(kept);
      }
    });
  }

  /** Merges every few seconds, until `stop`. */
  start(): void {
    this.timer = setInterval(() => {
      this.merge().catch(error =>
        this.logger.warn(`Could not merge the job counts: ${error}`),
      );
    }, MERGE_EVERY_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.merging?.catch(() => {});
  }
}
