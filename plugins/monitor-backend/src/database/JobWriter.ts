import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { isFailingHealth } from '@tc-portal/plugin-monitor-common';
import {
  decideCheck,
  decideReport,
  newJob,
  outlivesDeletion,
} from '../health/decide';
import { showLatestRun } from '../health/runs';
import { openRunFor } from '../health/runFacts';
import {
  HealthChange,
  IncomingReport,
  JobConfig,
  JobDecision,
  JobRecord,
  JobState,
  Notice,
  RunWrite,
} from '../health/types';
import { DataVersion } from './DataVersion';
import { lockJobKeys } from './dialect';
import {
  insertJobs,
  judgeDependentsAt,
  loadJobs,
  loadRuns,
  loadRunsById,
  loadTombstones,
  batchUpstream,
  mergeRunWrites,
  saveBatch,
} from './jobBatch';
import { toDate } from './rows';
import { decodeWarnings, RunRow, storedRunFromRow } from './runRows';
import { WriteQueue } from './WriteQueue';

/** The most reports (and checks) written in one transaction. */
const MAX_BATCH = 500;

/** What became of a report. */
export type ReportResult =
  | {
      kind: 'stored';
      /** The portal's id of the run the report belongs to. */
      id: string;
      job: JobRecord;
      change?: HealthChange;
      /** Whether notices went to the outbox for it. */
      noticed: boolean;
    }
  /** A retry, or a start after its finish: nothing new was stored. */
  | { kind: 'duplicate'; id: string; job: JobRecord }
  | { kind: 'deleted'; deletedAt: Date };

/** What a check of one job found. */
export type CheckResult =
  | {
      kind: 'judged';
      job: JobRecord;
      change?: HealthChange;
      /** Whether notices went to the outbox for it. */
      noticed: boolean;
    }
  /** Deleted, or judged by a report since it was found due. */
  | { kind: 'skipped' };

/** Something to write: a report, or a job to judge as time has passed. */
type WriteItem =
  | { kind: 'report'; report: IncomingReport; now: Date }
  | { kind: 'check'; jobKey: string; now: Date };

const jobKeyOf = (item: WriteItem) =>
  item.kind === 'report' ? item.report.jobKey : item.jobKey;

const runKey = (jobKey: string, runId: string) => `${jobKey}\u0000${runId}`;

/**
 * Writes reports, and checks of jobs as time passes, in batches (a group
 * commit, WriteQueue): it loads a batch's jobs and their facts, has the
 * decision core (../health/decide) decide each item in arrival order, and
 * writes what it decided in the batch's one transaction. It holds no rule.
 *
 * Where the database takes several writers (PostgreSQL), `concurrentBatches`
 * batches are written at once, on disjoint sets of jobs.
 */
export class JobWriter {
  private readonly queue: WriteQueue<WriteItem, ReportResult | CheckResult>;

  constructor(
    private readonly db: Knex,
    private readonly options: {
      /** Taken after each batch that changed jobs. */
      version: DataVersion;
      /** What config says of a job. */
      configOf: (jobKey: string) => JobConfig;
      /** How many batches may be written at once (1 on SQLite). */
      concurrentBatches: number;
      logger: LoggerService;
    },
  ) {
    this.queue = new WriteQueue({
      keyOf: jobKeyOf,
      write: async items => {
        const failingChanged = new Set<string>();
        const results = await this.db.transaction(tx =>
          this.writeBatch(tx, items, failingChanged),
        );
        if (results.some(r => r.kind === 'stored' || r.kind === 'judged')) {
          // Readers wait for the version (DataVersion.known); the answer
          // does not.
          options.version
            .bump()
            .catch(error =>
              options.logger.warn(`Could not take a data version: ${error}`),
            );
        }
        if (failingChanged.size > 0) {
          await this.judgeDependents(failingChanged, items);
        }
        return results;
      },
      concurrentBatches: options.concurrentBatches,
      maxBatch: MAX_BATCH,
    });
  }

  /**
   * Has the jobs that depend on jobs that started or stopped failing judged
   * at the next check. What the batch wrote is committed: a failure here
   * leaves them to be judged at their next report or check, and is logged.
   */
  private async judgeDependents(keys: Set<string>, items: WriteItem[]) {
    const now = new Date(Math.max(...items.map(item => item.now.getTime())));
    try {
      await judgeDependentsAt(this.db, [...keys], now);
    } catch (error) {
      this.options.logger.warn(
        `Could not have the jobs that depend on ${[...keys].join(
          ', ',
        )} judged again: ${error}`,
      );
    }
  }

  /** Stores a report and judges its job; resolves once committed. */
  record(report: IncomingReport, now: Date): Promise<ReportResult> {
    return this.queue.push({
      kind: 'report',
      report,
      now,
    }) as Promise<ReportResult>;
  }

  /** Judges a job as time has passed; resolves once committed. */
  check(jobKey: string, now: Date): Promise<CheckResult> {
    return this.queue.push({
      kind: 'check',
      jobKey,
      now,
    }) as Promise<CheckResult>;
  }

  private async writeBatch(
    tx: Knex.Transaction,
    items: WriteItem[],
    failingChanged: Set<string>,
  ): Promise<Array<ReportResult | CheckResult>> {
    const { configOf } = this.options;
    const keys = [...new Set(items.map(jobKeyOf))].sort();
    await lockJobKeys(tx, keys);

    // Known jobs first. A key has a row or a tombstone, never both, so only
    // the jobs not known yet can have been deleted.
    const jobs = await loadJobs(tx, keys, configOf);
    const reports = items.flatMap(i => (i.kind === 'report' ? [i] : []));
    const unknown = [
      ...new Set(
        reports.map(i => i.report.jobKey).filter(key => !jobs.has(key)),
      ),
    ];
    const tombstones = await loadTombstones(tx, unknown);
    const firstReports = new Map<string, WriteItem & { kind: 'report' }>();
    for (const item of reports) {
      const { jobKey } = item.report;
      const deletedAt = tombstones.get(jobKey);
      if (
        !jobs.has(jobKey) &&
        !firstReports.has(jobKey) &&
        (!deletedAt || outlivesDeletion(item.report, deletedAt))
      ) {
        firstReports.set(jobKey, item);
      }
    }
    const created = [...firstReports.keys()].sort();
    await insertJobs(
      tx,
      (jobKey, catalogEntityRef) => {
        const { report, now } = firstReports.get(jobKey)!;
        return newJob(jobKey, report.title, now, catalogEntityRef);
      },
      created,
    );
    for (const [key, job] of await loadJobs(tx, created, configOf)) {
      jobs.set(key, job);
    }
    const stored = new Map<string, RunRow>(
      (
        await loadRunsById(
          tx,
          reports.flatMap(({ report }) => {
            const job = jobs.get(report.jobKey);
            return report.runId !== undefined &&
              job &&
              !openRunFor(job.open, report.runId)
              ? [[report.jobKey, report.runId] as [string, string]]
              : [];
          }),
        )
      ).map(run => [runKey(run.job_key, run.run_id!), run]),
    );

    // How the jobs they may depend on stand: as this batch leaves them, or
    // as stored.
    const upstream = await batchUpstream(
      tx,
      jobs,
      reports.map(({ report }) => report),
      configOf,
    );

    // Each item in turn, on the job as the items before it left it.
    const runs = new Map<string, RunWrite>();
    const runIds = new Map<string, string>();
    const changed = new Set<string>();
    const changes: HealthChange[] = [];
    const notices: Notice[] = [];
    const apply = (decision: JobDecision) => {
      const before = jobs.get(decision.job.jobKey);
      if (
        isFailingHealth(before?.health) !== isFailingHealth(decision.job.health)
      ) {
        failingChanged.add(decision.job.jobKey);
      }
      jobs.set(decision.job.jobKey, decision.job);
      changed.add(decision.job.jobKey);
      for (const run of decision.runs) {
        runs.set(run.id, mergeRunWrites(runs.get(run.id), run));
      }
      if (decision.change && decision.recordChange) {
        changes.push(decision.change);
      }
      notices.push(...decision.notices);
    };
    type Outcome =
      | { kind: 'stored' | 'duplicate'; id: string; jobKey: string }
      | { kind: 'judged'; jobKey: string }
      | { kind: 'deleted'; deletedAt: Date }
      | { kind: 'skipped' };
    const outcomes: Array<
      Outcome & { change?: HealthChange; noticed?: boolean }
    > = [];
    for (const item of items) {
      if (item.kind === 'check') {
        const job = jobs.get(item.jobKey);
        const decision =
          job && decideCheck(job, configOf(item.jobKey), item.now, upstream());
        if (!decision) {
          outcomes.push({ kind: 'skipped' });
          continue;
        }
        apply(decision);
        outcomes.push({
          kind: 'judged',
          jobKey: item.jobKey,
          change: decision.change,
          noticed: decision.notices.length > 0,
        });
        continue;
      }
      const { report, now } = item;
      const deletedAt = tombstones.get(report.jobKey);
      if (deletedAt) {
        if (!outlivesDeletion(report, deletedAt)) {
          outcomes.push({ kind: 'deleted', deletedAt });
          continue;
        }
        // A run after the deletion: the job runs again.
        await tx('deleted_jobs').where('job_key', report.jobKey).delete();
        tombstones.delete(report.jobKey);
      }
      const job = jobs.get(report.jobKey)!;
      const key = report.runId && runKey(report.jobKey, report.runId);
      const decision = decideReport(job, report, {
        storedRun: key ? this.storedRun(key, runs, runIds, stored) : undefined,
        newRunId: randomUUID(),
        config: configOf(report.jobKey),
        now,
        upstream: upstream(),
      });
      if (!decision.duplicate) {
        apply(decision);
        if (key) {
          runIds.set(key, decision.runId);
        }
      }
      outcomes.push({
        kind: decision.duplicate ? 'duplicate' : 'stored',
        id: decision.runId,
        jobKey: report.jobKey,
        change: decision.change,
        noticed: decision.notices.length > 0,
      });
    }

    const shown = await this.showLatestRuns(
      tx,
      [...changed].map(key => jobs.get(key)!),
      runs,
    );
    shown.forEach(job => jobs.set(job.jobKey, job));
    await saveBatch(tx, {
      runs: [...runs.values()],
      jobs: [...changed].map(key => jobs.get(key)!),
      changes,
      notices,
    });

    // Every result carries its job as committed.
    return outcomes.map((outcome): ReportResult | CheckResult => {
      switch (outcome.kind) {
        case 'stored':
          return {
            kind: 'stored',
            id: outcome.id,
            job: jobs.get(outcome.jobKey)!,
            change: outcome.change,
            noticed: outcome.noticed ?? false,
          };
        case 'judged':
          return {
            kind: 'judged',
            job: jobs.get(outcome.jobKey)!,
            change: outcome.change,
            noticed: outcome.noticed ?? false,
          };
        case 'duplicate':
          return {
            kind: 'duplicate',
            id: outcome.id,
            job: jobs.get(outcome.jobKey)!,
          };
        default:
          return outcome;
      }
    });
  }

  /**
   * The stored run with a report's run id: written earlier in this batch,
   * or stored before.
   */
  private storedRun(
    key: string,
    runs: Map<string, RunWrite>,
    runIds: Map<string, string>,
    stored: Map<string, RunRow>,
  ) {
    const id = runIds.get(key);
    const write = id ? runs.get(id) : undefined;
    if (write && 'create' in write) {
      return {
        id: write.id,
        status: write.create.status,
        startedAt: write.create.startedAt,
        receivedAt: write.create.receivedAt,
      };
    }
    const row = stored.get(key);
    return row ? storedRunFromRow(row) : undefined;
  }

  /**
   * The list shows each job's latest finished run. The core copies it when
   * it decides it; a run that finished earlier and became the latest (its
   * facts read again from the runs) is read here.
   */
  private async showLatestRuns(
    tx: Knex.Transaction,
    written: JobState[],
    runs: Map<string, RunWrite>,
  ): Promise<JobState[]> {
    const stale = written.filter(
      job => job.recent.length > 0 && job.recent[0].id !== job.lastRunId,
    );
    const rows = new Map(
      (
        await loadRuns(
          tx,
          stale.map(job => job.recent[0].id).filter(id => !runs.has(id)),
        )
      ).map(row => [row.id, row]),
    );
    return stale.flatMap(job => {
      const id = job.recent[0].id;
      const write = runs.get(id);
      const row = rows.get(id);
      const run =
        write && 'create' in write
          ? write.create
          : row && {
              title: row.title,
              finishedAt: toDate(row.finished_at),
              receivedAt: toDate(row.received_at),
              message: row.message,
              durationMs:
                row.duration_ms === null ? null : Number(row.duration_ms),
              warnings: decodeWarnings(row.warnings),
            };
      return run
        ? [
            showLatestRun(job, {
              ...run,
              ...(write && 'update' in write ? write.update : {}),
              id,
              outcome: job.recent[0].outcome,
            }),
          ]
        : [];
    });
  }
}
