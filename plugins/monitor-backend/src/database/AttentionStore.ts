import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import { isFailingHealth } from '../health';
import { AttentionChangeRow, jobFromRow, JobRow } from './rows';
import { JobRecord } from './types';

/**
 * What people do to jobs: acknowledge a failure, mute a job for a while,
 * delete it. Each is one short transaction holding the job's row, so it
 * never interleaves with the writing of a report of the same job.
 */
export class AttentionStore {
  constructor(private readonly db: Knex) {}

  /**
   * Serialises every write to one job key, existing or not (on PostgreSQL;
   * SQLite runs one write transaction at a time anyway), as the writer of
   * reports does, so a report and a deletion of the same job cannot
   * interleave.
   */
  private async lockKey(tx: Knex.Transaction, jobKey: string): Promise<void> {
    if (tx.client.config.client === 'pg') {
      await tx.raw('select pg_advisory_xact_lock(hashtext(?))', [
        `monitor:${jobKey}`,
      ]);
    }
  }

  /** Reads the job's row, locked for the rest of the transaction. */
  private async lockJob(
    tx: Knex.Transaction,
    jobKey: string,
  ): Promise<JobRow | undefined> {
    await this.lockKey(tx, jobKey);
    const query = tx<JobRow>('jobs').where('job_key', jobKey);
    // The writer of reports holds it too (SQLite has one writer at a time).
    if (tx.client.config.client === 'pg') {
      query.forUpdate();
    }
    return query.first();
  }

  /**
   * Updates the job's row, if it exists and (with `check`) only after
   * `check` accepts the row as it is under the lock, and records who did
   * what in the job's attention history.
   */
  private async updateJob(
    jobKey: string,
    updates: Partial<JobRow>,
    change: Omit<AttentionChangeRow, 'id' | 'job_key'>,
    check?: (row: JobRow) => void,
  ): Promise<JobRecord | undefined> {
    return this.db.transaction(async tx => {
      const row = await this.lockJob(tx, jobKey);
      if (!row) {
        return undefined;
      }
      check?.(row);
      await tx<JobRow>('jobs').where('job_key', jobKey).update(updates);
      await tx<AttentionChangeRow>('job_attention_changes').insert({
        job_key: jobKey,
        ...change,
      });
      return jobFromRow({ ...row, ...updates });
    });
  }

  async acknowledge(
    jobKey: string,
    acknowledgement: { by: string; comment: string },
    now: Date,
  ): Promise<JobRecord | undefined> {
    return this.updateJob(
      jobKey,
      {
        acknowledged_at: now,
        acknowledged_by: acknowledgement.by,
        acknowledgement_comment: acknowledgement.comment,
      },
      {
        kind: 'acknowledged',
        by: acknowledgement.by,
        at: now,
        note: acknowledgement.comment,
        until: null,
      },
      // Checked under the lock: a report that has just made the job healthy
      // must not be followed by an acknowledgement of the failure it ended.
      row => {
        if (!isFailingHealth(row.health)) {
          throw new ConflictError(
            `Job '${jobKey}' is ${row.health}: only a failing job can be acknowledged`,
          );
        }
      },
    );
  }

  async clearAcknowledgement(
    jobKey: string,
    by: string,
    now: Date,
  ): Promise<JobRecord | undefined> {
    return this.updateJob(
      jobKey,
      {
        acknowledged_at: null,
        acknowledged_by: null,
        acknowledgement_comment: null,
      },
      { kind: 'unacknowledged', by, at: now, note: null, until: null },
    );
  }

  async mute(
    jobKey: string,
    mute: { by: string; until: Date; reason: string },
    now: Date,
  ): Promise<JobRecord | undefined> {
    return this.updateJob(
      jobKey,
      {
        muted_at: now,
        muted_until: mute.until,
        muted_by: mute.by,
        mute_reason: mute.reason,
      },
      {
        kind: 'muted',
        by: mute.by,
        at: now,
        note: mute.reason,
        until: mute.until,
      },
    );
  }

  async unmute(
    jobKey: string,
    by: string,
    now: Date,
  ): Promise<JobRecord | undefined> {
    return this.updateJob(
      jobKey,
      {
        muted_at: null,
        muted_until: null,
        muted_by: null,
        mute_reason: null,
      },
      { kind: 'unmuted', by, at: now, note: null, until: null },
    );
  }

  async deleteJob(jobKey: string, by: string, now: Date): Promise<boolean> {
    return this.db.transaction(async tx => {
      const row = await this.lockJob(tx, jobKey);
      if (!row) {
        return false;
      }
      await tx('job_runs').where('job_key', jobKey).delete();
      await tx('job_health_changes').where('job_key', jobKey).delete();
      await tx('job_attention_changes').where('job_key', jobKey).delete();
      await tx('jobs').where('job_key', jobKey).delete();
      await tx('deleted_jobs')
        .insert({ job_key: jobKey, deleted_at: now, deleted_by: by })
        .onConflict('job_key')
        .merge();
      return true;
    });
  }
}
