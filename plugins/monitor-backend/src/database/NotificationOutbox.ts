import { Knex } from 'knex';
import { parseHealthReason } from '@tc-portal/plugin-monitor-common';
import { jobFromRow, JobRow, HealthChangeRow, toDate } from './rows';
import { HealthChange, JobRecord } from './types';

/** A change of health whose notification is to be sent, with its job. */
export type PendingNotice = {
  /** The change's id: sending it twice tells one change twice at most. */
  id: string;
  change: HealthChange;
  /** The job as it is now; undefined when it was deleted since. */
  job?: JobRecord;
};

/**
 * The changes of health that still have a notification to send (an
 * outbox: the writer marks them `pending` in the transaction of the report
 * that changed the health). A sender claims a few for a while, sends them,
 * and marks them sent; a claim that runs out (its sender died) is claimed
 * again. Delivery is therefore at least once.
 */
export class NotificationOutbox {
  constructor(private readonly db: Knex) {}

  /** Claims up to `limit` unsent changes for `leaseMs`, oldest first. */
  async claim(
    now: Date,
    limit: number,
    leaseMs: number,
  ): Promise<PendingNotice[]> {
    return this.db.transaction(async tx => {
      const free = tx<HealthChangeRow>('job_health_changes')
        .where('delivery', 'pending')
        .where(q =>
          q.whereNull('claimed_until').orWhere('claimed_until', '<=', now),
        )
        .orderBy('id')
        .limit(limit)
        .select('*');
      if (tx.client.config.client === 'pg') {
        // Another replica's claim is passed over, not waited for.
        free.forUpdate().skipLocked();
      }
      const rows: HealthChangeRow[] = await free;
      if (rows.length === 0) {
        return [];
      }
      await tx('job_health_changes')
        .whereIn(
          'id',
          rows.map(r => r.id),
        )
        .update({ claimed_until: new Date(now.getTime() + leaseMs) });
      const jobs = new Map(
        (
          await tx<JobRow>('jobs').whereIn('job_key', [
            ...new Set(rows.map(r => r.job_key)),
          ])
        ).map(row => [row.job_key, jobFromRow(row)]),
      );
      return rows.map(row => ({
        id: String(row.id),
        change: {
          jobKey: row.job_key,
          from: row.from_health ?? undefined,
          to: row.to_health,
          reason: parseHealthReason(row.reason) ?? { code: 'noRunYet' },
          at: toDate(row.changed_at),
        },
        job: jobs.get(row.job_key),
      }));
    });
  }

  /**
   * Marks changes as told (`sent`), as having nobody to tell (`none`), or as
   * given up after a day of failed tries (`expired`).
   */
  async settle(
    ids: string[],
    delivery: 'sent' | 'none' | 'expired',
    now: Date,
  ) {
    if (ids.length === 0) {
      return;
    }
    await this.db('job_health_changes')
      .whereIn('id', ids)
      .update({ delivery, delivered_at: now, claimed_until: null });
  }

  /** How many changes wait to be told. */
  async pendingCount(): Promise<number> {
    const [{ count }] = await this.db('job_health_changes')
      .where('delivery', 'pending')
      .count({ count: '*' });
    return Number(count);
  }
}
