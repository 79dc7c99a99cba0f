import { Knex } from 'knex';
import { newJob } from '../health/decide';
import { DataVersion } from './DataVersion';
import { relinkJobs } from './JobLinks';
import { JobRow, rowFromState } from './rows';

/**
 * The jobs config names: known from start-up, so their silence is noticed
 * before their first report.
 */
export class ConfiguredJobs {
  constructor(
    private readonly db: Knex,
    private readonly version: DataVersion,
  ) {}

  /**
   * Makes configured jobs known (unless deleted), gives them their
   * configured entity (and jobs config no longer links theirs back), and has them judged at the next check. When the rules
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
      const fresh = jobs.filter(job => !deleted.has(job.jobKey));
      for (const job of fresh) {
        await tx<JobRow>('jobs')
          .insert(rowFromState(newJob(job.jobKey, job.title, now)))
          .onConflict('job_key')
          .ignore();
        // Until a job reports, it is called what config calls it.
        await tx<JobRow>('jobs')
          .where('job_key', job.jobKey)
          .whereNull('last_report_at')
          .update({ title: job.title });
      }
      // Their entity, and that of jobs whose config no longer names one.
      const configuredEntity = new Map(
        jobs.flatMap(job =>
          job.entityRef ? [[job.jobKey, job.entityRef]] : [],
        ),
      );
      await relinkJobs(
        tx,
        [
          ...fresh.map(job => job.jobKey),
          ...(await tx<JobRow>('jobs')
            .where('entity_source', 'config')
            .pluck('job_key')),
        ],
        jobKey => configuredEntity.get(jobKey),
      );
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
    await this.version.bump();
  }

  /** Has every job judged again at the next check. */
  async judgeAllAt(now: Date): Promise<void> {
    await this.db<JobRow>('jobs').update({ next_check_at: now });
  }
}
