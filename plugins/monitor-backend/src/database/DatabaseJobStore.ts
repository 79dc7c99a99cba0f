import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  describeHealthReason,
  FAILING_HEALTHS,
  JOB_HEALTHS,
  JOB_LIST_LIMITS,
  JobExpectation,
  JobHealth,
  JobRun,
  JobRunOutcome,
  JobRunStatus,
  JobStatusChange,
  parseHealthReason,
} from '@tc-portal/plugin-monitor-common';
import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  evaluateHealth,
  HealthRules,
  isFailingHealth,
  isRecordedChange,
  JobFacts,
} from '../health';
import {
  HealthChange,
  IncomingReport,
  JobListOptions,
  JobRecord,
  JobStore,
  ReportResult,
  RulesFor,
} from './types';

const migrationsDir = resolvePackagePath(
  '@tc-portal/plugin-monitor-backend',
  'migrations',
);

type Timestamp = Date | number | string;

/** How many jobs' surplus runs one pruning statement looks at. */
const PRUNE_JOBS_PER_STATEMENT = 100;

/**
 * Lets waiting requests in between the statements of a long loop (the check,
 * the pruning). better-sqlite3 answers synchronously, so a loop of awaited
 * SQLite queries never returns to the event loop on its own: without this,
 * reports sent during a long prune were not even read until it ended.
 */
async function yieldToReports(): Promise<void> {
  await yieldToEventLoop();
}

type JobRow = {
  job_key: string;
  title: string;
  created_at: Timestamp;
  entity_ref: string | null;
  reported_expectation: string | null;
  last_report_at: Timestamp | null;
  status: JobRunOutcome | null;
  finished_at: Timestamp | null;
  received_at: Timestamp | null;
  message: string | null;
  last_run_id: string | null;
  duration_ms: number | string | null;
  recent_outcomes: string;
  health: JobHealth;
  failing: boolean | number;
  health_since: Timestamp;
  health_reason: string | null;
  next_check_at: Timestamp | null;
  next_expected_at: Timestamp | null;
  acknowledged_at: Timestamp | null;
  acknowledged_by: string | null;
  acknowledgement_comment: string | null;
  muted_at: Timestamp | null;
  muted_until: Timestamp | null;
  muted_by: string | null;
  mute_reason: string | null;
};

type RunRow = {
  id: string;
  job_key: string;
  run_id: string | null;
  title: string;
  status: JobRunStatus;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  received_at: Timestamp;
  duration_ms: number | string | null;
  exit_code: number | null;
  host: string | null;
  message: string | null;
};

type StatusChangeRow = {
  id: number | string;
  job_key: string;
  from_health: JobHealth | null;
  to_health: JobHealth;
  reason: string;
  changed_at: Timestamp;
};

// PostgreSQL returns timestamps as Dates; better-sqlite3 stores and returns
// the epoch milliseconds knex bound for a Date.
function toDate(value: Timestamp): Date;
function toDate(value: Timestamp | null): Date | null;
function toDate(value: Timestamp | null): Date | null {
  return value === null ? null : new Date(value);
}

function toIso(value: Timestamp | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

// PostgreSQL returns bigint as a string.
function toNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

const OUTCOME_LETTERS: Record<JobRunOutcome, string> = {
  success: 's',
  error: 'e',
  timeout: 't',
};
const LETTER_OUTCOMES = Object.fromEntries(
  Object.entries(OUTCOME_LETTERS).map(([outcome, letter]) => [letter, outcome]),
) as Record<string, JobRunOutcome>;

function jobFromRow(row: JobRow): JobRecord {
  return {
    jobKey: row.job_key,
    title: row.title,
    createdAt: toDate(row.created_at),
    entityRef: row.entity_ref,
    reportedExpectation: row.reported_expectation
      ? (JSON.parse(row.reported_expectation) as JobExpectation)
      : null,
    lastReportAt: toDate(row.last_report_at),
    status: row.status,
    finishedAt: toDate(row.finished_at),
    receivedAt: toDate(row.received_at),
    message: row.message,
    lastRunId: row.last_run_id,
    durationMs: toNumber(row.duration_ms),
    recentOutcomes: [...row.recent_outcomes].map(l => LETTER_OUTCOMES[l]),
    health: row.health,
    failing: Boolean(row.failing),
    healthSince: toDate(row.health_since),
    healthReason: parseHealthReason(row.health_reason),
    nextCheckAt: toDate(row.next_check_at),
    nextExpectedAt: toDate(row.next_expected_at),
    acknowledgement:
      row.acknowledged_at !== null
        ? {
            by: row.acknowledged_by ?? '',
            at: toDate(row.acknowledged_at),
            comment: row.acknowledgement_comment ?? '',
          }
        : null,
    mute:
      row.muted_until !== null
        ? {
            by: row.muted_by ?? '',
            at: toDate(row.muted_at ?? row.muted_until),
            until: toDate(row.muted_until),
            reason: row.mute_reason ?? '',
          }
        : null,
  };
}

function runFromRow(row: RunRow): JobRun {
  return {
    id: row.id,
    runId: row.run_id,
    jobKey: row.job_key,
    title: row.title,
    status: row.status,
    startedAt: toIso(row.started_at),
    finishedAt: toIso(row.finished_at),
    receivedAt: toIso(row.received_at)!,
    durationMs: toNumber(row.duration_ms),
    exitCode: row.exit_code,
    host: row.host,
    message: row.message,
  };
}

function statusChangeFromRow(row: StatusChangeRow): JobStatusChange {
  const detail = parseHealthReason(row.reason);
  return {
    id: String(row.id),
    jobKey: row.job_key,
    from: row.from_health,
    to: row.to_health,
    reason: detail ? describeHealthReason(detail) : row.reason,
    reasonDetail: detail,
    changedAt: toIso(row.changed_at)!,
  };
}

/** Escapes a text for a LIKE pattern with `\` as the escape character. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

const HEALTH_RANK_SQL = `case health ${[...JOB_HEALTHS]
  .reverse()
  .map((health, rank) => `when '${health}' then ${rank}`)
  .join(' ')} end`;

// Jobs that never finished a run sort last, whatever the order. (knex's own
// "nulls last" loses the column's order on SQLite.)
const NULLS_LAST = '(finished_at is null) asc';

/** How many finished runs the rules look at: the outcome strip's length. */
const RECENT_RUNS = JOB_LIST_LIMITS.recentOutcomes;

const TIMEOUT_MESSAGE = 'No finish was reported within the maximum runtime.';

/**
 * When a run began, for a report that does not say: a start began when it
 * arrived; a finish with a duration began that long before it finished.
 */
function startOf(report: IncomingReport): Date | null {
  if (report.status === 'start') {
    return report.receivedAt;
  }
  if (report.durationMs !== undefined) {
    return new Date(report.finishedAt!.getTime() - report.durationMs);
  }
  return null;
}

/**
 * The job store on the plugin's database (SQLite or PostgreSQL).
 */
export class DatabaseJobStore implements JobStore {
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseJobStore> {
    const { database } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseJobStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Serialises every write to one job key, existing or not (on PostgreSQL;
   * SQLite runs one write transaction at a time anyway), so a report and a
   * deletion of the same job cannot interleave.
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
    const query = tx<JobRow>('jobs').where('job_key', jobKey);
    // SQLite has one writer at a time and no row locks.
    if (tx.client.config.client === 'pg') {
      query.forUpdate();
    }
    return query.first();
  }

  async recordReport(
    report: IncomingReport,
    options: { now: Date; rulesFor: RulesFor },
  ): Promise<ReportResult> {
    const { now, rulesFor } = options;
    return this.db.transaction(async tx => {
      await this.lockKey(tx, report.jobKey);
      const reportTime =
        report.finishedAt ?? report.startedAt ?? report.receivedAt;
      const tombstone = await tx('deleted_jobs')
        .where('job_key', report.jobKey)
        .first();
      if (tombstone) {
        const deletedAt = toDate(tombstone.deleted_at as Timestamp);
        if (reportTime <= deletedAt) {
          return { kind: 'deleted', deletedAt };
        }
        // A run after the deletion: the job runs again.
        await tx('deleted_jobs').where('job_key', report.jobKey).delete();
      }

      await tx<JobRow>('jobs')
        .insert({
          job_key: report.jobKey,
          title: report.title,
          created_at: now,
          health: 'ok',
          failing: false,
          health_since: now,
          recent_outcomes: '',
        })
        .onConflict('job_key')
        .ignore();
      const jobRow = (await this.lockJob(tx, report.jobKey))!;

      // The run the report belongs to: by its run id; a finish without one
      // closes the oldest run started without one.
      let known: RunRow | undefined;
      if (report.runId) {
        known = await tx<RunRow>('job_runs')
          .where({ job_key: report.jobKey, run_id: report.runId })
          .first();
      } else if (report.status !== 'start') {
        known = await tx<RunRow>('job_runs')
          .where({ job_key: report.jobKey, status: 'running' })
          .whereNull('run_id')
          .orderBy('received_at', 'asc')
          .first();
      }

      // A retry, or a start arriving after its finish: nothing to store.
      if (
        known &&
        (report.status === 'start' ||
          known.status === 'success' ||
          known.status === 'error')
      ) {
        return { kind: 'duplicate', id: known.id, job: jobFromRow(jobRow) };
      }

      let id: string;
      if (known) {
        // The finish of a started (or timed-out) run.
        id = known.id;
        const startedAt = report.startedAt ?? toDate(known.started_at);
        await tx<RunRow>('job_runs')
          .where('id', id)
          .update({
            title: report.title,
            status: report.status as JobRunOutcome,
            started_at: startedAt,
            finished_at: report.finishedAt!,
            duration_ms:
              report.durationMs ??
              (startedAt
                ? Math.max(
                    0,
                    report.finishedAt!.getTime() - startedAt.getTime(),
                  )
                : null),
            exit_code: report.exitCode ?? known.exit_code,
            host: report.host ?? known.host,
            message: report.message,
          });
      } else {
        id = randomUUID();
        const isStart = report.status === 'start';
        const startedAt = report.startedAt ?? startOf(report);
        await tx<RunRow>('job_runs').insert({
          id,
          job_key: report.jobKey,
          run_id: report.runId ?? null,
          title: report.title,
          status: isStart ? 'running' : (report.status as JobRunOutcome),
          started_at: startedAt,
          finished_at: isStart ? null : report.finishedAt!,
          received_at: report.receivedAt,
          duration_ms:
            report.durationMs ??
            (!isStart && startedAt
              ? Math.max(0, report.finishedAt!.getTime() - startedAt.getTime())
              : null),
          exit_code: report.exitCode ?? null,
          host: report.host ?? null,
          message: report.message,
        });
      }

      const updates: Partial<JobRow> = {
        last_report_at: new Date(
          Math.max(
            report.receivedAt.getTime(),
            toDate(jobRow.last_report_at)?.getTime() ?? 0,
          ),
        ),
      };
      if (report.entityRef) {
        updates.entity_ref = report.entityRef;
      }
      if (report.expectation) {
        updates.reported_expectation = JSON.stringify(report.expectation);
      }
      if (jobRow.finished_at === null) {
        // Until a run finishes, the job is called what its reports call it.
        updates.title = report.title;
      }
      await tx<JobRow>('jobs').where('job_key', report.jobKey).update(updates);

      const { job, change } = await this.judge(
        tx,
        { ...jobRow, ...updates } as JobRow,
        now,
        rulesFor,
      );
      return { kind: 'stored', id, job, change };
    });
  }

  /**
   * Decides the job's health from its stored facts and keeps the verdict.
   * Call inside a transaction holding the job's row.
   */
  private async judge(
    tx: Knex.Transaction,
    row: JobRow,
    now: Date,
    rulesFor: RulesFor,
  ): Promise<{ job: JobRecord; change?: HealthChange }> {
    const jobKey = row.job_key;
    const rules: HealthRules = rulesFor({
      jobKey,
      reportedExpectation: row.reported_expectation
        ? JSON.parse(row.reported_expectation)
        : null,
    });

    const verdictFor = async () => {
      const recent = await tx<RunRow>('job_runs')
        .where('job_key', jobKey)
        .whereNotNull('finished_at')
        .orderBy([
          { column: 'finished_at', order: 'desc' },
          { column: 'received_at', order: 'desc' },
        ])
        // Enough runs for the thresholds, and the outcome strip.
        .limit(
          Math.max(
            RECENT_RUNS,
            rules.failureThreshold,
            rules.recoveryThreshold,
          ),
        );
      // The oldest open run: a run abandoned without a finish times out
      // even while a newer one runs.
      const open = await tx<RunRow>('job_runs')
        .where({ job_key: jobKey, status: 'running' })
        .orderBy('received_at', 'asc')
        .first();
      const facts: JobFacts = {
        previous: { health: row.health, failing: Boolean(row.failing) },
        recentOutcomes: recent.map(r => r.status as JobRunOutcome),
        openRunSince: open ? toDate(open.received_at) : undefined,
        lastReportAt: toDate(row.last_report_at) ?? undefined,
        knownSince: toDate(row.created_at),
      };
      return { recent, verdict: evaluateHealth(facts, rules, now) };
    };

    let { recent, verdict } = await verdictFor();
    if (verdict.openRunTimedOut) {
      // Every run of the job still open past the maximum runtime ends as a
      // timeout (abandoned older runs too). It ends when its maximum runtime
      // ran out, in the clock its start was reported in, so that it sorts
      // among the job's other runs by the same clock.
      const expired = await tx<RunRow>('job_runs')
        .where({ job_key: jobKey, status: 'running' })
        .where(
          'received_at',
          '<=',
          new Date(now.getTime() - rules.maxRuntimeMs),
        );
      for (const run of expired) {
        const started = toDate(run.started_at ?? run.received_at);
        await tx<RunRow>('job_runs')
          .where('id', run.id)
          .update({
            status: 'timeout',
            finished_at: new Date(started.getTime() + rules.maxRuntimeMs),
            message: TIMEOUT_MESSAGE,
          });
      }
      ({ recent, verdict } = await verdictFor());
    }

    const latest = recent[0];
    const updates: Partial<JobRow> = {
      health: verdict.health,
      failing: verdict.failing,
      health_reason: JSON.stringify(verdict.reason),
      next_check_at: verdict.nextCheckAt,
      next_expected_at: verdict.nextExpectedAt,
      recent_outcomes: recent
        .slice(0, RECENT_RUNS)
        .map(r => OUTCOME_LETTERS[r.status as JobRunOutcome])
        .join(''),
    };
    if (latest) {
      Object.assign(updates, {
        title: latest.title,
        status: latest.status as JobRunOutcome,
        finished_at: latest.finished_at,
        received_at: latest.received_at,
        message: latest.message,
        last_run_id: latest.id,
        duration_ms: latest.duration_ms,
      });
    }

    // A job never judged before has no health to change from.
    const from = row.health_reason === null ? undefined : row.health;
    let change: HealthChange | undefined;
    if (from === undefined || verdict.health !== from) {
      change = {
        jobKey,
        from,
        to: verdict.health,
        reason: verdict.reason,
        at: now,
      };
    }
    if (verdict.health !== row.health) {
      updates.health_since = now;
      // An acknowledgement holds until the next change of health.
      updates.acknowledged_at = null;
      updates.acknowledged_by = null;
      updates.acknowledgement_comment = null;
    }
    if (change && isRecordedChange(change.from, change.to)) {
      await tx('job_status_changes').insert({
        job_key: jobKey,
        from_health: change.from ?? null,
        to_health: change.to,
        reason: JSON.stringify(change.reason),
        changed_at: now,
      });
    }
    await tx<JobRow>('jobs').where('job_key', jobKey).update(updates);
    return { job: jobFromRow({ ...row, ...updates } as JobRow), change };
  }

  async judgeDueJobs(options: {
    now: Date;
    rulesFor: RulesFor;
    limit: number;
  }) {
    const { now, rulesFor, limit } = options;
    const due = await this.db<JobRow>('jobs')
      .where('next_check_at', '<=', now)
      .orderBy('next_check_at')
      .limit(limit)
      .pluck('job_key');
    const changes: Array<{ change: HealthChange; job: JobRecord }> = [];
    for (const jobKey of due) {
      // One short transaction per job, so reports never wait on the check.
      await yieldToReports();
      const judged = await this.db.transaction(async tx => {
        const row = await this.lockJob(tx, jobKey);
        if (
          !row ||
          row.next_check_at === null ||
          toDate(row.next_check_at) > now
        ) {
          return undefined; // deleted, or judged by a report meanwhile
        }
        return this.judge(tx, row, now, rulesFor);
      });
      if (judged?.change) {
        changes.push({ change: judged.change, job: judged.job });
      }
    }
    return { judged: due.length, changes };
  }

  async syncConfiguredJobs(
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
            job_key: job.jobKey,
            title: job.title,
            created_at: now,
            entity_ref: job.entityRef ?? null,
            health: 'ok',
            failing: false,
            health_since: now,
            recent_outcomes: '',
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
        await tx<JobRow>('jobs').update({ next_check_at: now });
        await tx('monitor_state')
          .insert({ key: 'rules_fingerprint', value: rulesFingerprint })
          .onConflict('key')
          .merge();
      }
    });
  }

  private filteredJobs(options: JobListOptions) {
    return this.db<JobRow>('jobs').where(query => {
      if (options.health?.length) {
        query.whereIn('health', options.health);
      }
      if (options.status) {
        query.where('status', options.status);
      }
      // Given but empty, a list matches no job.
      if (options.entityRef !== undefined || options.jobKey !== undefined) {
        query.where(linked => {
          linked.whereIn('entity_ref', options.entityRef ?? []);
          linked.orWhereIn('job_key', options.jobKey ?? []);
        });
      }
      if (options.q) {
        const pattern = likePattern(options.q);
        query.where(text =>
          text
            .whereRaw(`lower(job_key) like ? escape '\\'`, [pattern])
            .orWhereRaw(`lower(title) like ? escape '\\'`, [pattern]),
        );
      }
    });
  }

  async listJobs(
    options: JobListOptions,
  ): Promise<{ items: JobRecord[]; totalCount: number }> {
    const filtered = this.filteredJobs(options);
    const rows = filtered.clone().select('*');
    const order = options.order;
    switch (options.sort) {
      case 'name':
        rows.orderBy([
          { column: 'title', order: order ?? 'asc' },
          { column: 'job_key', order: order ?? 'asc' },
        ]);
        break;
      case 'health':
        rows
          .orderByRaw(`${HEALTH_RANK_SQL} ${order ?? 'asc'}`)
          .orderByRaw(NULLS_LAST)
          .orderBy('finished_at', 'desc')
          .orderBy('job_key', 'asc');
        break;
      default:
        rows
          .orderByRaw(NULLS_LAST)
          .orderBy('finished_at', order ?? 'desc')
          .orderBy('job_key', 'asc');
    }
    const [items, [{ count }]] = await Promise.all([
      rows.limit(options.limit).offset(options.offset),
      filtered.clone().count({ count: '*' }),
    ]);
    return {
      items: (items as JobRow[]).map(jobFromRow),
      totalCount: Number(count),
    };
  }

  async getJob(jobKey: string): Promise<JobRecord | undefined> {
    const row = await this.db<JobRow>('jobs').where('job_key', jobKey).first();
    return row ? jobFromRow(row) : undefined;
  }

  async listRuns(
    jobKey: string,
    options: { limit: number; offset: number },
  ): Promise<{ runs: JobRun[]; totalCount: number }> {
    const [rows, [{ count }]] = await Promise.all([
      this.db<RunRow>('job_runs')
        .where('job_key', jobKey)
        // Open runs (no finish yet) first, then latest finished first.
        .orderByRaw('(finished_at is null) desc')
        .orderBy('finished_at', 'desc')
        .orderBy('received_at', 'desc')
        .limit(options.limit)
        .offset(options.offset),
      this.db<RunRow>('job_runs')
        .where('job_key', jobKey)
        .count({ count: '*' }),
    ]);
    return {
      runs: (rows as RunRow[]).map(runFromRow),
      totalCount: Number(count),
    };
  }

  async listStatusChanges(
    jobKey: string,
    limit: number,
  ): Promise<JobStatusChange[]> {
    const rows = await this.db<StatusChangeRow>('job_status_changes')
      .where('job_key', jobKey)
      .orderBy([
        { column: 'changed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(statusChangeFromRow);
  }

  async summary(now: Date) {
    const count = async (query: Knex.QueryBuilder) =>
      Number((await query.count({ count: '*' }))[0].count);
    const [failingUnattended, byHealthRows, acknowledged, muted] =
      await Promise.all([
        // Uses the health index; the other conditions read the few failing
        // rows it finds.
        count(
          this.db('jobs')
            .whereIn('health', FAILING_HEALTHS as JobHealth[])
            .whereNull('acknowledged_at')
            .where(q =>
              q.whereNull('muted_until').orWhere('muted_until', '<=', now),
            ),
        ),
        this.db('jobs')
          .select('health')
          .count({ count: '*' })
          .groupBy('health') as Promise<
          Array<{ health: JobHealth; count: number | string }>
        >,
        count(this.db('jobs').whereNotNull('acknowledged_at')),
        count(this.db('jobs').where('muted_until', '>', now)),
      ]);
    const byHealth: Partial<Record<JobHealth, number>> = {};
    let total = 0;
    for (const row of byHealthRows) {
      byHealth[row.health] = Number(row.count);
      total += Number(row.count);
    }
    return { failingUnattended, total, byHealth, acknowledged, muted };
  }

  /**
   * Updates the job's row, if it exists and (with `check`) only after
   * `check` accepts the row as it is under the lock.
   */
  private async updateJob(
    jobKey: string,
    updates: Partial<JobRow>,
    check?: (row: JobRow) => void,
  ): Promise<JobRecord | undefined> {
    return this.db.transaction(async tx => {
      const row = await this.lockJob(tx, jobKey);
      if (!row) {
        return undefined;
      }
      check?.(row);
      await tx<JobRow>('jobs').where('job_key', jobKey).update(updates);
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

  async clearAcknowledgement(jobKey: string): Promise<JobRecord | undefined> {
    return this.updateJob(jobKey, {
      acknowledged_at: null,
      acknowledged_by: null,
      acknowledgement_comment: null,
    });
  }

  async mute(
    jobKey: string,
    mute: { by: string; until: Date; reason: string },
    now: Date,
  ): Promise<JobRecord | undefined> {
    return this.updateJob(jobKey, {
      muted_at: now,
      muted_until: mute.until,
      muted_by: mute.by,
      mute_reason: mute.reason,
    });
  }

  async unmute(jobKey: string): Promise<JobRecord | undefined> {
    return this.updateJob(jobKey, {
      muted_at: null,
      muted_until: null,
      muted_by: null,
      mute_reason: null,
    });
  }

  async deleteJob(jobKey: string, by: string, now: Date): Promise<boolean> {
    return this.db.transaction(async tx => {
      await this.lockKey(tx, jobKey);
      const row = await this.lockJob(tx, jobKey);
      if (!row) {
        return false;
      }
      await tx('job_runs').where('job_key', jobKey).delete();
      await tx('job_status_changes').where('job_key', jobKey).delete();
      await tx('jobs').where('job_key', jobKey).delete();
      await tx('deleted_jobs')
        .insert({ job_key: jobKey, deleted_at: now, deleted_by: by })
        .onConflict('job_key')
        .merge();
      return true;
    });
  }

  async pruneHistory(options: {
    now: Date;
    maxRunsPerJob: number;
    maxAgeMs: number;
    batchSize: number;
  }): Promise<{ runs: number; statusChanges: number }> {
    const { now, maxRunsPerJob, maxAgeMs, batchSize } = options;
    const cutoff = new Date(now.getTime() - maxAgeMs);

    /** Deletes what `select` finds, a batch (one statement) at a time. */
    const deleteInBatches = async (
      table: 'job_runs' | 'job_status_changes',
      select: (query: Knex.QueryBuilder) => Knex.QueryBuilder,
    ) => {
      let deleted = 0;
      for (;;) {
        await yieldToReports();
        const ids = await select(this.db.select('id').from(table)).limit(
          batchSize,
        );
        if (ids.length === 0) {
          return deleted;
        }
        deleted += await this.db(table)
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
    let runs = await deleteInBatches('job_runs', q =>
      q.where('received_at', '<', cutoff).whereNot('status', 'running'),
    );
    const statusChanges = await deleteInBatches('job_status_changes', q =>
      q.where('changed_at', '<', cutoff),
    );

    // Each job's runs beyond its newest maxRunsPerJob, a group of jobs at a
    // time: one statement per group rather than per job.
    const jobKeys = await this.db<JobRow>('jobs')
      .orderBy('job_key')
      .pluck('job_key');
    for (let i = 0; i < jobKeys.length; i += PRUNE_JOBS_PER_STATEMENT) {
      const group = jobKeys.slice(i, i + PRUNE_JOBS_PER_STATEMENT);
      const ranked = this.db('job_runs')
        .select(
          'id',
          'status',
          this.db.raw(
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
    return { runs, statusChanges };
  }
}
