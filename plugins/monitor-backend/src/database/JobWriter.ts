import {
  JOB_LIST_LIMITS,
  MAX_CONFIGURED_THRESHOLD,
} from '@tc-portal/plugin-monitor-common';
import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { HealthRules, isRecordedChange, notificationFor } from '../health';
import { pairRun, RunDecision, StoredRun } from '../health/pairRun';
import {
  judgeJob,
  JobRunFacts,
  OpenRun,
  openRunFor,
  recentRunsToKeep,
  withFinishedRun,
} from '../health/runFacts';
import {
  decodeOpenRuns,
  decodeRecentRuns,
  encodeOpenRuns,
  encodeRecentRuns,
  jobFromRow,
  JobRow,
  newJobRow,
  outcomeLetters,
  RunRow,
  Timestamp,
  toDate,
} from './rows';
import {
  HealthChange,
  IncomingReport,
  JobRecord,
  ReportResult,
  RulesFor,
} from './types';

/** The length of the job list's outcome strip. */
const STRIP = JOB_LIST_LIMITS.recentOutcomes;

/** The most reports (and checks) written in one transaction. */
const MAX_BATCH = 500;

const TIMEOUT_MESSAGE = 'No finish was reported within the maximum runtime.';

/** Something to write: a report, or a job to judge as time has passed. */
type WriteItem =
  | { kind: 'report'; report: IncomingReport }
  | { kind: 'check'; jobKey: string };

/** What a check of one job found. */
export type CheckResult =
  | { kind: 'judged'; job: JobRecord; change?: HealthChange }
  /** Deleted, or judged by a report since it was found due. */
  | { kind: 'skipped' };

type Pending = {
  item: WriteItem;
  now: Date;
  resolve(result: ReportResult | CheckResult): void;
  reject(error: unknown): void;
};

/** One job as a batch works on it. */
type JobInBatch = {
  row: JobRow;
  rules: HealthRules;
  facts: JobRunFacts;
};

const jobKeyOf = (item: WriteItem) =>
  item.kind === 'report' ? item.report.jobKey : item.jobKey;

const runKey = (jobKey: string, runId: string) => `${jobKey}\u0000${runId}`;

/** The time a report speaks of: a deletion hides runs up to its time. */
function reportTime(report: IncomingReport): Date {
  return report.status === 'start'
    ? report.startedAt ?? report.receivedAt
    : report.finishedAt;
}

/**
 * Writes reports, and checks of jobs as time passes, together: what arrives
 * while a transaction runs waits and goes into the next one, in arrival
 * order (so a job's reports keep theirs), written with a handful of
 * statements for the whole batch. Each caller waits for its batch's commit:
 * an answer means stored. An item the database refuses does not fail the
 * others: a failed batch is written again, an item at a time.
 *
 * Where the database takes several writers (PostgreSQL), up to
 * `concurrentBatches` batches are written at once, on disjoint sets of jobs:
 * a job's next items wait until the batch writing it has committed. SQLite
 * has one writer, and one batch at a time.
 *
 * Judging reads no run history. What the rules need (recent outcomes, open
 * runs) is kept on the job's row, and every decision is a pure function of
 * ../health: pairRun, judgeJob.
 */
export class JobWriter {
  private readonly queue: Pending[] = [];
  /** The jobs of the batches being written. */
  private readonly jobsBeingWritten = new Set<string>();
  private batchesBeingWritten = 0;
  private startScheduled = false;

  constructor(
    private readonly db: Knex,
    private readonly options: {
      rulesFor: RulesFor;
      /** Whether changes of health are to be told (an outbox row each). */
      notify: boolean;
      /** How many batches may be written at once (1 on SQLite). */
      concurrentBatches: number;
    },
  ) {}

  /** Stores a report and judges its job; resolves once committed. */
  record(report: IncomingReport, now: Date): Promise<ReportResult> {
    return this.enqueue(
      { kind: 'report', report },
      now,
    ) as Promise<ReportResult>;
  }

  /** Judges a job as time has passed; resolves once committed. */
  check(jobKey: string, now: Date): Promise<CheckResult> {
    return this.enqueue({ kind: 'check', jobKey }, now) as Promise<CheckResult>;
  }

  private enqueue(item: WriteItem, now: Date) {
    return new Promise<ReportResult | CheckResult>((resolve, reject) => {
      this.queue.push({ item, now, resolve, reject });
      this.scheduleStart();
    });
  }

  /**
   * Starts batches on the next turn of the event loop, so that the
   * requests that arrived meanwhile join them. (better-sqlite3 answers
   * synchronously, so without this a run of batches would never let a
   * request be read.) Waiting longer for more gains nothing: under load
   * the batches fill by themselves while the last one commits
   * (docs/benchmarks.md).
   */
  private scheduleStart() {
    if (this.startScheduled) {
      return;
    }
    this.startScheduled = true;
    setImmediate(() => {
      this.startScheduled = false;
      this.startBatches();
    });
  }

  private startBatches() {
    while (this.batchesBeingWritten < this.options.concurrentBatches) {
      const batch = this.takeBatch();
      if (batch.length === 0) {
        return;
      }
      const keys = new Set(batch.map(pending => jobKeyOf(pending.item)));
      keys.forEach(key => this.jobsBeingWritten.add(key));
      this.batchesBeingWritten++;
      void this.write(batch).finally(() => {
        keys.forEach(key => this.jobsBeingWritten.delete(key));
        this.batchesBeingWritten--;
        if (this.queue.length > 0) {
          this.scheduleStart();
        }
      });
    }
  }

  /**
   * The queued items, in arrival order, of jobs that no batch is writing
   * (up to MAX_BATCH). Once an item of a job stays queued, so do the job's
   * later items.
   */
  private takeBatch(): Pending[] {
    const batch: Pending[] = [];
    const left: Pending[] = [];
    const waiting = new Set<string>();
    for (const pending of this.queue) {
      const key = jobKeyOf(pending.item);
      if (
        batch.length < MAX_BATCH &&
        !this.jobsBeingWritten.has(key) &&
        !waiting.has(key)
      ) {
        batch.push(pending);
      } else {
        left.push(pending);
        waiting.add(key);
      }
    }
    this.queue.splice(0, this.queue.length, ...left);
    return batch;
  }

  /** Writes a batch and answers its callers; never rejects. */
  private async write(batch: Pending[]): Promise<void> {
    try {
      const results = await this.db.transaction(tx =>
        this.writeBatch(tx, batch),
      );
      batch.forEach((pending, i) => pending.resolve(results[i]));
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
    }
    for (const pending of batch) {
      try {
        const [result] = await this.db.transaction(tx =>
          this.writeBatch(tx, [pending]),
        );
        pending.resolve(result);
      } catch (alone) {
        pending.reject(alone);
      }
    }
  }

  private rulesOf(row: JobRow): HealthRules {
    return this.options.rulesFor({
      jobKey: row.job_key,
      reportedExpectation: row.reported_expectation
        ? JSON.parse(row.reported_expectation)
        : null,
    });
  }

  private async writeBatch(
    tx: Knex.Transaction,
    batch: Pending[],
  ): Promise<Array<ReportResult | CheckResult>> {
    const isPg = tx.client.config.client === 'pg';
    const keys = [...new Set(batch.map(p => jobKeyOf(p.item)))].sort();

    // One writer per job key across replicas (SQLite has one writer at a
    // time anyway), taken in one order so that batches sharing jobs cannot
    // deadlock; a report cannot interleave with a deletion of its job.
    if (isPg) {
      await tx.raw(
        'select pg_advisory_xact_lock(hashtext(k)) from (select unnest(?::text[]) as k order by 1) as keys',
        [keys.map(k => `monitor:${k}`)],
      );
    }

    const reports = batch.flatMap(p =>
      p.item.kind === 'report' ? [{ report: p.item.report, now: p.now }] : [],
    );
    // Known jobs first. A key has a row or a tombstone, never both, so only
    // the jobs not known yet can have been deleted.
    const jobs = await this.lockJobs(tx, keys);
    const unknown = reports.filter(r => !jobs.has(r.report.jobKey));
    const tombstones = await this.tombstones(tx, unknown);
    const created = await this.insertNewJobs(tx, unknown, tombstones);
    for (const [key, job] of await this.lockJobs(tx, created)) {
      jobs.set(key, job);
    }
    const stored = await this.runsNamedByReports(tx, reports, jobs);

    const written = new Map<string, RunRow>();
    const writtenByRunId = new Map<string, string>();
    const changes: Array<Record<string, unknown>> = [];
    const changed = new Set<string>();

    const judge = (job: JobInBatch, now: Date) => {
      const judgement = judgeJob(job.facts, job.rules, now, STRIP);
      for (const run of judgement.timedOut) {
        written.set(run.id, {
          ...(written.get(run.id) ?? openRunRow(job.row, run)),
          status: 'timeout',
          finished_at: new Date(run.finishedAt),
          message: TIMEOUT_MESSAGE,
        });
      }
      const { verdict } = judgement;
      job.facts = {
        ...judgement.facts,
        previous: { health: verdict.health, failing: verdict.failing },
      };
      const row = job.row;
      const from = row.health_reason === null ? undefined : row.health;
      const updates: Partial<JobRow> = {
        health: verdict.health,
        failing: verdict.failing,
        health_reason: JSON.stringify(verdict.reason),
        next_check_at: verdict.nextCheckAt,
        next_expected_at: verdict.nextExpectedAt,
      };
      if (verdict.health !== row.health) {
        updates.health_since = now;
        // An acknowledgement holds until the next change of health.
        updates.acknowledged_at = null;
        updates.acknowledged_by = null;
        updates.acknowledgement_comment = null;
      }
      job.row = { ...row, ...updates };
      changed.add(row.job_key);
      if (from !== undefined && verdict.health === from) {
        return undefined;
      }
      const change: HealthChange = {
        jobKey: row.job_key,
        from,
        to: verdict.health,
        reason: verdict.reason,
        at: now,
      };
      if (isRecordedChange(change.from, change.to)) {
        const muted = row.muted_until !== null && toDate(row.muted_until) > now;
        changes.push({
          job_key: row.job_key,
          from_health: change.from ?? null,
          to_health: change.to,
          reason: JSON.stringify(change.reason),
          changed_at: now,
          delivery:
            this.options.notify &&
            !muted &&
            notificationFor(change.from, change.to)
              ? 'pending'
              : 'none',
        });
      }
      return change;
    };

    // What each item came to; its job is filled in once the batch is done.
    type Outcome =
      | { kind: 'stored'; id: string; jobKey: string; change?: HealthChange }
      | { kind: 'judged'; jobKey: string; change?: HealthChange }
      | Exclude<ReportResult, { kind: 'stored' }>
      | { kind: 'skipped' };
    const results: Outcome[] = [];
    for (const { item, now } of batch) {
      if (item.kind === 'check') {
        const job = jobs.get(item.jobKey);
        const due = job?.row.next_check_at ?? null;
        if (!job || due === null || toDate(due) > now) {
          results.push({ kind: 'skipped' });
        } else {
          results.push({
            kind: 'judged',
            jobKey: item.jobKey,
            change: judge(job, now),
          });
        }
        continue;
      }

      const report = item.report;
      const deletedAt = tombstones.get(report.jobKey);
      if (deletedAt) {
        if (reportTime(report) <= deletedAt) {
          results.push({ kind: 'deleted', deletedAt });
          continue;
        }
        // A run after the deletion: the job runs again.
        await tx('deleted_jobs').where('job_key', report.jobKey).delete();
        tombstones.delete(report.jobKey);
      }
      const job = jobs.get(report.jobKey)!;

      // The run the report belongs to: open, written in this batch, or
      // stored earlier.
      const open = openRunFor(job.facts.open, report.runId);
      let match: StoredRun | undefined;
      if (open) {
        match = storedFromOpen(open);
      } else if (report.runId !== undefined) {
        const key = runKey(report.jobKey, report.runId);
        const id = writtenByRunId.get(key);
        const row = id ? written.get(id) : stored.get(key);
        match = row ? storedFromRow(row) : undefined;
      }
      const decision = pairRun(report, match);
      if (decision.kind === 'duplicate') {
        results.push({
          kind: 'duplicate',
          id: decision.id,
          job: jobFromRow(job.row),
        });
        continue;
      }

      const id = decision.kind === 'close' ? decision.id : randomUUID();
      const before =
        written.get(id) ??
        (decision.kind === 'close'
          ? [...stored.values()].find(r => r.id === id) ??
            openRunRow(job.row, open!)
          : newRunRow(id, report));
      written.set(id, runAfter(before, report, decision));
      if (report.runId !== undefined) {
        writtenByRunId.set(runKey(report.jobKey, report.runId), id);
      }
      job.facts = factsAfter(job, id, decision, report);

      const lastReportAt = new Date(
        Math.max(
          report.receivedAt.getTime(),
          job.facts.lastReportAt?.getTime() ?? 0,
        ),
      );
      job.facts = { ...job.facts, lastReportAt };
      job.row = {
        ...job.row,
        last_report_at: lastReportAt,
        ...(report.entityRef ? { entity_ref: report.entityRef } : {}),
        ...(report.expectation
          ? { reported_expectation: JSON.stringify(report.expectation) }
          : {}),
        // Until a run finishes, the job is called what its reports call it.
        ...(job.facts.recent.length === 0 ? { title: report.title } : {}),
      };
      if (report.expectation) {
        job.rules = this.rulesOf(job.row);
      }
      results.push({
        kind: 'stored',
        id,
        jobKey: report.jobKey,
        change: judge(job, now),
      });
    }

    const finalRows = await this.finalRows(tx, jobs, changed, written);
    await this.writeRuns(tx, written, isPg);
    if (finalRows.size > 0) {
      const rows = [...finalRows.values()];
      for (let i = 0; i < rows.length; i += 100) {
        await tx('jobs')
          .insert(rows.slice(i, i + 100))
          .onConflict('job_key')
          .merge();
      }
    }
    for (let i = 0; i < changes.length; i += 200) {
      await tx('job_health_changes').insert(changes.slice(i, i + 200));
    }

    // Every result carries its job as committed.
    const jobAfter = (jobKey: string) =>
      jobFromRow(finalRows.get(jobKey) ?? jobs.get(jobKey)!.row);
    return results.map(({ ...result }) => {
      if (result.kind === 'stored') {
        const { jobKey, ...storedRun } = result;
        return { ...storedRun, job: jobAfter(jobKey) };
      }
      if (result.kind === 'judged') {
        return {
          kind: 'judged',
          job: jobAfter(result.jobKey),
          change: result.change,
        };
      }
      return result;
    });
  }

  /** The deletion times of the reported jobs that were deleted. */
  private async tombstones(
    tx: Knex.Transaction,
    reports: Array<{ report: IncomingReport }>,
  ): Promise<Map<string, Date>> {
    if (reports.length === 0) {
      return new Map();
    }
    const rows = await tx('deleted_jobs')
      .whereIn('job_key', [...new Set(reports.map(r => r.report.jobKey))])
      .select('job_key', 'deleted_at');
    return new Map(
      rows.map((t: { job_key: string; deleted_at: Timestamp }) => [
        t.job_key,
        toDate(t.deleted_at),
      ]),
    );
  }

  /**
   * Rows for reported jobs not known yet (unless deleted for these runs);
   * returns their keys, in order.
   */
  private async insertNewJobs(
    tx: Knex.Transaction,
    reports: Array<{ report: IncomingReport; now: Date }>,
    tombstones: Map<string, Date>,
  ): Promise<string[]> {
    const firsts = new Map<string, { report: IncomingReport; now: Date }>();
    for (const entry of reports) {
      const deletedAt = tombstones.get(entry.report.jobKey);
      if (
        !firsts.has(entry.report.jobKey) &&
        (!deletedAt || reportTime(entry.report) > deletedAt)
      ) {
        firsts.set(entry.report.jobKey, entry);
      }
    }
    if (firsts.size === 0) {
      return [];
    }
    await tx('jobs')
      .insert(
        [...firsts.values()].map(({ report, now }) =>
          newJobRow(report.jobKey, report.title, now),
        ),
      )
      .onConflict('job_key')
      .ignore();
    return [...firsts.keys()].sort();
  }

  /** The batch's jobs, locked until the commit, with their run facts. */
  private async lockJobs(
    tx: Knex.Transaction,
    keys: string[],
  ): Promise<Map<string, JobInBatch>> {
    if (keys.length === 0) {
      return new Map();
    }
    const query = tx<JobRow>('jobs').whereIn('job_key', keys);
    if (tx.client.config.client === 'pg') {
      query.orderBy('job_key').forUpdate();
    }
    const rows: JobRow[] = await query;
    const rebuilt = await rebuildFacts(
      tx,
      rows.filter(r => r.recent_runs === null || r.open_runs === null),
      row => this.rulesOf(row),
    );
    return new Map(
      rows.map(row => {
        const known = rebuilt.get(row.job_key);
        const job: JobInBatch = {
          row,
          rules: this.rulesOf(row),
          facts: {
            recent: known?.recent ?? decodeRecentRuns(row.recent_runs!),
            open: known?.open ?? decodeOpenRuns(row.open_runs!),
            lastReportAt: toDate(row.last_report_at),
            knownSince: toDate(row.created_at),
            previous:
              row.health_reason === null
                ? undefined
                : { health: row.health, failing: Boolean(row.failing) },
          },
        };
        return [row.job_key, job];
      }),
    );
  }

  /** The stored runs that reports name by run id, other than open ones. */
  private async runsNamedByReports(
    tx: Knex.Transaction,
    reports: Array<{ report: IncomingReport }>,
    jobs: Map<string, JobInBatch>,
  ): Promise<Map<string, RunRow>> {
    const named = reports.flatMap(({ report }) => {
      const job = jobs.get(report.jobKey);
      return report.runId !== undefined &&
        job &&
        !openRunFor(job.facts.open, report.runId)
        ? [[report.jobKey, report.runId]]
        : [];
    });
    if (named.length === 0) {
      return new Map();
    }
    const runs = await tx<RunRow>('job_runs').whereIn(
      ['job_key', 'run_id'],
      named,
    );
    return new Map(runs.map(run => [runKey(run.job_key, run.run_id!), run]));
  }

  /**
   * The changed jobs' rows as they are written: their verdicts, their run
   * facts, and a copy of their latest finished run for the list.
   */
  private async finalRows(
    tx: Knex.Transaction,
    jobs: Map<string, JobInBatch>,
    changed: Set<string>,
    written: Map<string, RunRow>,
  ): Promise<Map<string, JobRow>> {
    // The latest finished run: written in this batch, already copied on the
    // row, or (when a run that finished earlier became the latest) read.
    const latestId = (job: JobInBatch) => job.facts.recent[0]?.id;
    const unread = [...changed]
      .map(key => jobs.get(key)!)
      .filter(job => {
        const id = latestId(job);
        return (
          id !== undefined && !written.has(id) && id !== job.row.last_run_id
        );
      })
      .map(job => latestId(job)!);
    const runs = new Map<string, RunRow>(written);
    if (unread.length > 0) {
      for (const run of await tx<RunRow>('job_runs').whereIn('id', unread)) {
        runs.set(run.id, run);
      }
    }
    const rows = new Map<string, JobRow>();
    for (const key of changed) {
      const job = jobs.get(key)!;
      const id = latestId(job);
      const run = id === undefined ? undefined : runs.get(id);
      rows.set(key, {
        ...job.row,
        recent_runs: encodeRecentRuns(job.facts.recent),
        open_runs: encodeOpenRuns(job.facts.open),
        recent_outcomes: outcomeLetters(job.facts.recent, STRIP),
        ...(run
          ? {
              title: run.title,
              latest_outcome: run.status as JobRow['latest_outcome'],
              finished_at: run.finished_at,
              received_at: run.received_at,
              message: run.message,
              last_run_id: run.id,
              duration_ms: run.duration_ms,
            }
          : {}),
      });
    }
    return rows;
  }

  /** Inserts the new runs and updates the closed ones. */
  private async writeRuns(
    tx: Knex.Transaction,
    written: Map<string, RunRow & { isNew?: boolean }>,
    isPg: boolean,
  ) {
    const all = [...written.values()];
    const fresh = all.filter(r => r.isNew).map(({ isNew, ...row }) => row);
    const updated = all.filter(r => !r.isNew);
    for (let i = 0; i < fresh.length; i += 200) {
      await tx('job_runs').insert(fresh.slice(i, i + 200));
    }
    if (updated.length === 0) {
      return;
    }
    if (!isPg) {
      // In process, one statement each costs next to nothing.
      for (const run of updated) {
        const { exit_code, host, ...always } = runUpdate(run);
        await tx('job_runs')
          .where('id', run.id)
          .update({
            ...always,
            ...(exit_code === null ? {} : { exit_code }),
            ...(host === null ? {} : { host }),
          });
      }
      return;
    }
    for (let i = 0; i < updated.length; i += 200) {
      const chunk = updated.slice(i, i + 200);
      await tx.raw(
        `update job_runs as r set
           title = v.title, status = v.status,
           started_at = v.started_at::timestamptz, finished_at = v.finished_at::timestamptz,
           duration_ms = v.duration_ms::bigint,
           exit_code = coalesce(v.exit_code::integer, r.exit_code),
           host = coalesce(v.host, r.host), message = v.message
         from (values ${chunk
           .map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)')
           .join(', ')})
           as v(id, title, status, started_at, finished_at, duration_ms, exit_code, host, message)
         where r.id = v.id::uuid`,
        chunk.flatMap(run => {
          const u = runUpdate(run);
          return [
            run.id,
            u.title,
            u.status,
            u.started_at === null ? null : toDate(u.started_at).toISOString(),
            u.finished_at === null ? null : toDate(u.finished_at).toISOString(),
            u.duration_ms === null ? null : String(u.duration_ms),
            u.exit_code === null ? null : String(u.exit_code),
            u.host,
            u.message,
          ];
        }),
      );
    }
  }
}

/**
 * The columns a report of a stored run writes. A finish that does not say
 * its exit code or host leaves the start's (null here means "not said").
 */
function runUpdate(run: RunRow) {
  return {
    title: run.title,
    status: run.status,
    started_at: run.started_at,
    finished_at: run.finished_at,
    duration_ms: run.duration_ms,
    exit_code: run.exit_code,
    host: run.host,
    message: run.message,
  };
}

function storedFromOpen(open: OpenRun): StoredRun {
  return {
    id: open.id,
    status: 'running',
    startedAt: open.startedAt === null ? null : new Date(open.startedAt),
    receivedAt: new Date(open.receivedAt),
  };
}

function storedFromRow(row: RunRow): StoredRun {
  return {
    id: row.id,
    status: row.status,
    startedAt: toDate(row.started_at),
    receivedAt: toDate(row.received_at),
  };
}

function newRunRow(
  id: string,
  report: IncomingReport,
): RunRow & { isNew: true } {
  return {
    id,
    job_key: report.jobKey,
    run_id: report.runId ?? null,
    title: report.title,
    status: 'running',
    started_at: null,
    finished_at: null,
    received_at: report.receivedAt,
    duration_ms: null,
    exit_code: null,
    host: null,
    message: null,
    isNew: true,
  };
}

/** An open run's row, as far as the job's facts know it. */
function openRunRow(job: JobRow, run: OpenRun): RunRow {
  return {
    id: run.id,
    job_key: job.job_key,
    run_id: run.runId,
    title: job.title,
    status: 'running',
    started_at: run.startedAt === null ? null : new Date(run.startedAt),
    finished_at: null,
    received_at: new Date(run.receivedAt),
    duration_ms: null,
    exit_code: null,
    host: null,
    message: null,
  };
}

function runAfter(
  before: RunRow,
  report: IncomingReport,
  decision: Exclude<RunDecision, { kind: 'duplicate' }>,
): RunRow {
  return {
    ...before,
    title: report.title,
    status: decision.status,
    started_at: decision.startedAt,
    finished_at: decision.finishedAt,
    duration_ms: decision.durationMs,
    exit_code: report.exitCode ?? before.exit_code,
    host: report.host ?? before.host,
    message: report.message,
  };
}

/** The job's run facts once the report's run is stored. */
function factsAfter(
  job: JobInBatch,
  id: string,
  decision: Exclude<RunDecision, { kind: 'duplicate' }>,
  report: IncomingReport,
): JobRunFacts {
  const wasOpen = job.facts.open.find(r => r.id === id);
  const open = job.facts.open.filter(r => r.id !== id);
  if (decision.status === 'running') {
    open.push({
      id,
      runId: report.runId ?? null,
      receivedAt: report.receivedAt.getTime(),
      startedAt: decision.startedAt?.getTime() ?? null,
    });
    return { ...job.facts, open };
  }
  const previous = job.facts.recent.find(r => r.id === id);
  return {
    ...job.facts,
    open,
    recent: withFinishedRun(
      job.facts.recent,
      {
        id,
        outcome: decision.status,
        finishedAt: decision.finishedAt!.getTime(),
        // When the run's first report arrived.
        receivedAt:
          wasOpen?.receivedAt ??
          previous?.receivedAt ??
          report.receivedAt.getTime(),
      },
      recentRunsToKeep(job.rules, STRIP),
    ),
  };
}

/**
 * The run facts of jobs whose rows do not hold them yet (written before
 * they were kept there, or cleared when the rules changed), read once from
 * their runs.
 */
async function rebuildFacts(
  tx: Knex.Transaction,
  rows: JobRow[],
  rulesOf: (row: JobRow) => HealthRules,
): Promise<Map<string, Pick<JobRunFacts, 'recent' | 'open'>>> {
  const facts = new Map<string, Pick<JobRunFacts, 'recent' | 'open'>>();
  if (rows.length === 0) {
    return facts;
  }
  const keys = rows.map(r => r.job_key);
  const ranked = tx('job_runs')
    .select(
      'id',
      'job_key',
      'status',
      'finished_at',
      'received_at',
      tx.raw(
        'row_number() over (partition by job_key order by finished_at desc, received_at desc) as position',
      ),
    )
    .whereIn('job_key', keys)
    .whereNotNull('finished_at')
    .as('ranked');
  const recent: Array<RunRow & { position: number }> = await tx
    .select('*')
    .from(ranked)
    // Enough for the largest threshold there is.
    .where('position', '<=', MAX_CONFIGURED_THRESHOLD)
    .orderBy([{ column: 'job_key' }, { column: 'position' }]);
  const open = await tx<RunRow>('job_runs')
    .whereIn('job_key', keys)
    .where('status', 'running')
    .orderBy('received_at', 'asc');
  for (const row of rows) {
    facts.set(row.job_key, {
      recent: recent
        .filter(r => r.job_key === row.job_key)
        .slice(0, recentRunsToKeep(rulesOf(row), STRIP))
        .map(r => ({
          id: r.id,
          outcome: r.status as 'success' | 'error' | 'timeout',
          finishedAt: toDate(r.finished_at)!.getTime(),
          receivedAt: toDate(r.received_at).getTime(),
        })),
      open: open
        .filter(r => r.job_key === row.job_key)
        .map(r => ({
          id: r.id,
          runId: r.run_id,
          receivedAt: toDate(r.received_at).getTime(),
          startedAt: toDate(r.started_at)?.getTime() ?? null,
        })),
    });
  }
  return facts;
}
