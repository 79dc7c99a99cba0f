import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { mayBeAcknowledged } from '@tc-portal/plugin-monitor-common';
import { endOwnWindow, JobMaintenanceWindow } from '../health/maintenance';
import { JobRecord } from '../health/types';
import { DataVersion } from './DataVersion';
import { forUpdate, lockJobKeys } from './dialect';
import { AttentionChangeRow, jobFromRow, JobRow } from './rows';

/**
 * What people do to jobs: acknowledge a failure, mute a job for a while,
 * delete it. Each is one short transaction holding the job's row, so it
 * never interleaves with the writing of a report of the same job.
 */
export class AttentionStore {
  constructor(
    private readonly db: Knex,
    private readonly version: DataVersion,
  ) {}

  /**
   * Reads the job's row, locked for the rest of the transaction under the
   * job key's lock, as the writer of reports holds them: a report and a
   * deletion of the same job cannot interleave.
   */
  private async lockJob(
    tx: Knex.Transaction,
    jobKey: string,
  ): Promise<JobRow | undefined> {
    await lockJobKeys(tx, [jobKey]);
    const [row] = await forUpdate(
      tx,
      tx<JobRow>('jobs').where('job_key', jobKey),
    );
    return row;
  }

  /**
   * Updates the job's row, if it exists, as `edit` decides from the row
   * under the lock (it may refuse by throwing), and records who did what in
   * the job's attention history.
   */
  private async editJob(
    jobKey: string,
    edit: (row: JobRow) => {
      updates: Partial<JobRow>;
      change: Omit<AttentionChangeRow, 'id' | 'job_key'>;
    },
  ): Promise<JobRecord | undefined> {
    const job = await this.db.transaction(async tx => {
      const row = await this.lockJob(tx, jobKey);
      if (!row) {
        return undefined;
      }
      const { updates, change } = edit(row);
      await tx<JobRow>('jobs').where('job_key', jobKey).update(updates);
      await tx<AttentionChangeRow>('job_attention_changes').insert({
        job_key: jobKey,
        ...change,
      });
      return jobFromRow({ ...row, ...updates });
    });
    if (job) {
      await this.version.bump();
    }
    return job;
  }

  /** editJob with fixed updates, after `check` accepts the row. */
  private updateJob(
    jobKey: string,
    updates: Partial<JobRow>,
    change: Omit<AttentionChangeRow, 'id' | 'job_key'>,
    check?: (row: JobRow) => void,
  ): Promise<JobRecord | undefined> {
    return this.editJob(jobKey, row => {
      check?.(row);
      return { updates, change };
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
        if (!mayBeAcknowledged(row.health)) {
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
        // Judged at the next check: reminders it held may be due.
        next_check_at: now,
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
        // Judged at the next check: reminders it held may be due.
        next_check_at: now,
      },
      { kind: 'unmuted', by, at: now, note: null, until: null },
    );
  }

  /**
   * Adds a one-off maintenance window to the job, to be judged with it at
   * once (the caller asks the writer to).
   */
  async addMaintenanceWindow(
    jobKey: string,
    window: JobMaintenanceWindow,
    now: Date,
  ): Promise<JobRecord | undefined> {
    return this.editJob(jobKey, row => ({
      updates: {
        maintenance_windows: JSON.stringify(
          [...jobFromRow(row).maintenanceWindows, window].sort(
            (a, b) => a.start.getTime() - b.start.getTime(),
          ),
        ),
        next_check_at: now,
      },
      change: {
        kind: 'maintenance-added',
        by: window.by,
        at: now,
        note: window.reason,
        until: window.end,
      },
    }));
  }

  /**
   * Ends one of the job's one-off maintenance windows now (endOwnWindow);
   * 404 when the job has no such window that is not over.
   */
  async endMaintenanceWindow(
    jobKey: string,
    windowId: string,
    by: string,
    now: Date,
  ): Promise<JobRecord | undefined> {
    return this.editJob(jobKey, row => {
      const windows = jobFromRow(row).maintenanceWindows;
      const ended = endOwnWindow(windows, windowId, now);
      if (!ended) {
        throw new NotFoundError(
          `Job '${jobKey}' has no maintenance window '${windowId}' that is not over`,
        );
      }
      return {
        updates: {
          maintenance_windows: ended.length ? JSON.stringify(ended) : null,
          next_check_at: now,
        },
        change: {
          kind: 'maintenance-ended',
          by,
          at: now,
          note: windows.find(w => w.id === windowId)!.reason,
          until: null,
        },
      };
    });
  }

  async deleteJob(jobKey: string, by: string, now: Date): Promise<boolean> {
    const deleted = await this.db.transaction(async tx => {
      const row = await this.lockJob(tx, jobKey);
      if (!row) {
        return false;
      }
      await tx('job_runs').where('job_key', jobKey).delete();
      await tx('job_health_changes').where('job_key', jobKey).delete();
      await tx('job_attention_changes').where('job_key', jobKey).delete();
      // Nobody is told of a job that is gone.
      await tx('job_notices').where('job_key', jobKey).delete();
      await tx('jobs').where('job_key', jobKey).delete();
      await tx('deleted_jobs')
        .insert({ job_key: jobKey, deleted_at: now, deleted_by: by })
        .onConflict('job_key')
        .merge();
      return true;
    });
    if (deleted) {
      await this.version.bump();
    }
    return deleted;
  }
}
