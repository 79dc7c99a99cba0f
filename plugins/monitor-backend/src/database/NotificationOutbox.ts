import { Knex } from 'knex';
import { parseHealthReason } from '@tc-portal/plugin-monitor-common';
import { JobRecord, Notice } from '../health/types';
import { skipLocked } from './dialect';
import { jobFromRow, JobRow, NoticeRow, toDate } from './rows';

/** A notice to send, as the decision core wrote it, with its job as now. */
export type PendingNotice = Notice & {
  /** Its id: sending it twice tells one change twice at most. */
  id: string;
  /** The job as it is now, for the words of the notification. */
  job?: JobRecord;
};

/**
 * The notices still to send (an outbox): the writer inserts them in the
 * transaction of the report or check that decided them. A sender claims a
 * few for a while, sends them, and marks them sent; a claim that runs out
 * (its sender died) is claimed again. Delivery is therefore at least once.
 */
export class NotificationOutbox {
  constructor(private readonly db: Knex) {}

  /** Claims up to `limit` unsent notices for `leaseMs`, oldest first. */
  async claim(
    now: Date,
    limit: number,
    leaseMs: number,
  ): Promise<PendingNotice[]> {
    return this.db.transaction(async tx => {
      const rows: NoticeRow[] = await skipLocked(
        tx,
        tx<NoticeRow>('job_notices')
          .where('delivery', 'pending')
          .where(q =>
            q.whereNull('claimed_until').orWhere('claimed_until', '<=', now),
          )
          .orderBy('id')
          .limit(limit)
          .select('*'),
      );
      if (rows.length === 0) {
        return [];
      }
      await tx('job_notices')
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
        jobKey: row.job_key,
        kind: row.kind,
        severity: row.severity,
        recipients: JSON.parse(row.recipients) as string[],
        change: {
          jobKey: row.job_key,
          from: row.from_health ?? undefined,
          to: row.to_health,
          reason: parseHealthReason(row.reason) ?? { code: 'noRunYet' },
          at: toDate(row.created_at),
        },
        job: jobs.get(row.job_key),
      }));
    });
  }

  /** Marks notices as sent, or as given up after a day of failed tries. */
  async settle(ids: string[], delivery: 'sent' | 'expired', now: Date) {
    if (ids.length === 0) {
      return;
    }
    await this.db('job_notices')
      .whereIn('id', ids)
      .update({ delivery, delivered_at: now, claimed_until: null });
  }

  /** How many notices wait to be sent. */
  async pendingCount(): Promise<number> {
    const [{ count }] = await this.db('job_notices')
      .where('delivery', 'pending')
      .count({ count: '*' });
    return Number(count);
  }
}
