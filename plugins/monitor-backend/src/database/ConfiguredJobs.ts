import { Knex } from 'knex';
import { JobRow, newJobRow } from './rows';

/**
 * The jobs config names: known from start-up, so their silence is noticed
 * before their first report.
 */
export class ConfiguredJobs {
  constructor(private readonly db: Knex) {}

  /**
   * Makes configured jobs known (unless deleted), gives them their
   * configured entity, and has them judged at the next check. When the rules
   * config gives (their `rulesFingerprint`) differ from the last start's,
   * every job is judged again, with its run facts read again from its runs
   * (a larger threshold needs more of them); a restart with the same rules
   * leaves the others be.
   */
  async sync(
    jobs: Array<{ jobKey: string; title: string; entityRef?: string }>,
    now: Date,
    rulesFingerprint: string,
  ): Promise<void> {
    await this.db.transaction(async tx => {
      const deleted = new Set(
        await tx('deleted_jobs')
          .whereIn(
            'job_key',
            jobs.map(j => j.jobKey),
          )
          .pluck('job_key'),
      );
      for (const job of jobs) {
        if (deleted.has(job.jobKey)) {
          continue;
        }
        await tx<JobRow>('jobs')
          .insert({
            ...newJobRow(job.jobKey, job.title, now),
            entity_ref: job.entityRef ?? null,
          })
          .onConflict('job_key')
          .ignore();
        if (job.entityRef) {
          await tx<JobRow>('jobs')
            .where('job_key', job.jobKey)
            .update({ entity_ref: job.entityRef });
        }
        // Until a job reports, it is called what config calls it.
        await tx<JobRow>('jobs')
          .where('job_key', job.jobKey)
          .whereNull('last_report_at')
          .update({ title: job.title });
      }
      const previous = await tx('monitor_state')
        .where('key', 'rules_fingerprint')
        .first('value');
      if (previous?.value === rulesFingerprint) {
        await tx<JobRow>('jobs')
          .whereIn(
            'job_key',
            jobs.map(j => j.jobKey),
          )
          .update({ next_check_at: now });
      } else {
        await tx<JobRow>('jobs').update({
          next_check_at: now,
          recent_runs: null,
          open_runs: null,
        });
        await tx('monitor_state')
          .insert({ key: 'rules_fingerprint', value: rulesFingerprint })
          .onConflict('key')
          .merge();
      }
    });
  }
}
