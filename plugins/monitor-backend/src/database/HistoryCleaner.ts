import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DataVersion } from './DataVersion';
import { JobRow } from './rows';

/** How many jobs' surplus runs one pruning statement looks at. */
const PRUNE_JOBS_PER_STATEMENT = 100;

/**
 * Lets waiting requests in between the statements of a long loop.
 * better-sqlite3 answers synchronously, so a loop of awaited SQLite queries
 * never returns to the event loop on its own: without this, reports sent
 * during a long prune were not even read until it ended.
 */
async function yieldToReports(): Promise<void> {
  await yieldToEventLoop();
}

/**
 * Keeps the history within the retention settings: each job's newest
 * `maxRunsPerJob` runs, and nothing older than `maxAge`, a batch of rows
 * (one short statement) at a time. It never deletes an open run (the
 * timeout rule ends those) nor the run a job's row shows as its latest, so
 * the row stays true. Schedules itself, like the notifications backend's
 * cleaner.
 */
export class HistoryCleaner {
  constructor(
    private readonly options: {
      db: Knex;
      logger: LoggerService;
      /** Taken after a pruning that deleted history (job pages show it). */
      version: DataVersion;
      retention: { maxRunsPerJob: number; maxAgeMs: number };
      batchSize?: number;
    },
  ) {}

  /** Prunes what is older than the retention at `now`. */
  async prune(now: Date): Promise<{ runs: number; healthChanges: number }> {
    const pruned = await this.pruneHistory({
      now,
      ...this.options.retention,
      batchSize: this.options.batchSize ?? 500,
    });
    if (pruned.runs || pruned.healthChanges) {
      await this.options.version.bump();
      this.options.logger.info(
        `Pruned ${pruned.runs} runs and ${pruned.healthChanges} health changes`,
      );
    }
    return pruned;
  }

  private async pruneHistory(options: {
    now: Date;
    maxRunsPerJob: number;
    maxAgeMs: number;
    batchSize: number;
  }): Promise<{ runs: number; healthChanges: number }> {
    const db = this.options.db;
    const { now, maxRunsPerJob, maxAgeMs, batchSize } = options;
    const cutoff = new Date(now.getTime() - maxAgeMs);

    /** Deletes what `select` finds, a batch (one statement) at a time. */
    const deleteInBatches = async (
      table:
        | 'job_runs'
        | 'job_health_changes'
        | 'job_attention_changes'
        | 'job_notices',
      select: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
    ) => {
      let deleted = 0;
      for (;;) {
        await yieldToReports();
        const ids = await select(db.select('id').from(table)).limit(batchSize);
        if (ids.length === 0) {
          return deleted;
        }
        deleted += await db(table)
          .whereIn(
            'id',
            ids.map((r: { id: string }) => r.id),
          )
          .delete();
        if (ids.length < batchSize) {
          return deleted;
        }
      }
    };

    // Open runs are left to the timeout rule.
    // A job's latest run stays: its row shows it.
    const latest = db<JobRow>('jobs')
      .whereNotNull('last_run_id')
      .select('last_run_id');
    let runs = await deleteInBatches('job_runs', q =>
      q
        .where('received_at', '<', cutoff)
        .whereNot('status', 'running')
        .whereNotIn('id', latest.clone()),
    );
    const healthChanges = await deleteInBatches('job_health_changes', q =>
      q.where('changed_at', '<', cutoff),
    );
    await deleteInBatches('job_attention_changes', q =>
      q.where('at', '<', cutoff),
    );
    // Notices sent or given up (a pending one is given up after a day).
    await deleteInBatches('job_notices', q =>
      q.where('created_at', '<', cutoff).whereNot('delivery', 'pending'),
    );

    // Each job's runs beyond its newest maxRunsPerJob, a group of jobs at a
    // time: one statement per group rather than per job.
    const jobKeys = await db<JobRow>('jobs')
      .orderBy('job_key')
      .pluck('job_key');
    for (let i = 0; i < jobKeys.length; i += PRUNE_JOBS_PER_STATEMENT) {
      const group = jobKeys.slice(i, i + PRUNE_JOBS_PER_STATEMENT);
      const ranked = db('job_runs')
        .select(
          'id',
          'status',
          db.raw(
            'row_number() over (partition by job_key order by received_at desc, id desc) as position',
          ),
        )
        .whereIn('job_key', group)
        .as('ranked');
      runs += await deleteInBatches('job_runs', q =>
        q
          .from(ranked)
          .where('position', '>', maxRunsPerJob)
          .whereNot('status', 'running'),
      );
    }
    return { runs, healthChanges };
  }
}
