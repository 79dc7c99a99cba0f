import { randomUUID } from 'node:crypto';
import { Knex } from 'knex';

const HEALTHS = ['ok', 'ok', 'ok', 'ok', 'error', 'running', 'late', 'missed'];

/**
 * Writes `jobs` jobs with `runsPerJob` runs each straight into the monitor's
 * tables (much faster than reporting them), one hour apart, the newest a
 * minute ago per job.
 */
export async function seedJobs(
  knex: Knex,
  options: { jobs: number; runsPerJob: number; now: Date },
): Promise<void> {
  const { jobs: count, runsPerJob, now } = options;
  const chunk = 250;
  for (let start = 0; start < count; start += chunk) {
    const jobs: object[] = [];
    const runs: object[] = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) {
      const jobKey = `job-${String(i).padStart(5, '0')}`;
      const finishedAt = new Date(now.getTime() - i * 60_000);
      const health = HEALTHS[i % HEALTHS.length];
      const lastRunId = randomUUID();
      jobs.push({
        job_key: jobKey,
        title: `ジョブ ${i}`,
        created_at: new Date(now.getTime() - 86_400_000),
        entity_ref:
          i % 10 === 0 ? `component:default/service-${i % 100}` : null,
        last_report_at: finishedAt,
        latest_outcome: health === 'error' ? 'error' : 'success',
        finished_at: finishedAt,
        received_at: finishedAt,
        message: 'done',
        last_run_id: lastRunId,
        duration_ms: 1000,
        recent_outcomes: 'ssssssssss',
        health,
        failing: health === 'error',
        health_since: finishedAt,
        health_reason: 'seeded',
      });
      for (let r = 0; r < runsPerJob; r++) {
        const at = new Date(finishedAt.getTime() - r * 3_600_000);
        runs.push({
          id: r === 0 ? lastRunId : randomUUID(),
          job_key: jobKey,
          title: `ジョブ ${i}`,
          status: r % 10 === 3 ? 'error' : 'success',
          finished_at: at,
          received_at: at,
          duration_ms: 1000,
        });
      }
    }
    await knex.transaction(async tx => {
      // SQLite inserts many rows as one compound SELECT of at most 500 terms.
      await knex.batchInsert('jobs', jobs, 250).transacting(tx);
      await knex.batchInsert('job_runs', runs, 250).transacting(tx);
    });
  }
}
