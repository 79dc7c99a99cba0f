import {
  JobRun,
  JobRunOutcome,
  JobRunStatus,
  RunWarning,
} from '@tc-portal/plugin-monitor-common';
import type { HealthRules } from '../health/evaluateHealth';
import { RecentRun, tooFast } from '../health/runFacts';
import { RunFields } from '../health/types';
import { Timestamp, toDate, toIso, toNumber } from './rows';

// The rows of job_runs, and how they become the domain's runs.

export type RunRow = {
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
  /** JSON of the run's warnings; null for none. */
  warnings: string | null;
};

export function runFromRow(row: RunRow): JobRun {
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
    warnings: decodeWarnings(row.warnings),
  };
}

/**
 * A finished run as the rules judge it, read from its row: a too fast
 * success by the rules given (they may have changed since), a slow one as
 * it was marked when it finished (against the usual of its time).
 */
export function recentRunFromRow(
  row: RunRow,
  rules: Pick<HealthRules, 'minRuntimeMs'>,
): RecentRun {
  const durationMs = toNumber(row.duration_ms);
  const fast = tooFast({ status: row.status, durationMs }, rules);
  const slow = decodeWarnings(row.warnings).find(w => w.kind === 'slow');
  return {
    id: row.id,
    outcome: row.status as JobRunOutcome,
    finishedAt: toDate(row.finished_at)!.getTime(),
    receivedAt: toDate(row.received_at).getTime(),
    ...(row.status === 'success' && durationMs !== null && { durationMs }),
    ...(fast && { tooFast: fast }),
    ...(slow && {
      slow: {
        durationMs: slow.durationMs,
        p50Ms: slow.p50Ms,
        p95Ms: slow.p95Ms,
        slowFactor: slow.slowFactor,
      },
    }),
  };
}

/** A run's warnings, from their JSON. */
export function decodeWarnings(text: string | null): RunWarning[] {
  return text ? (JSON.parse(text) as RunWarning[]) : [];
}

/** The columns of a run's fields. */
export function runColumns(fields: Partial<RunFields>): Partial<RunRow> {
  const columns: Partial<RunRow> = {};
  const set = <K extends keyof RunRow>(
    key: K,
    value: RunRow[K] | undefined,
  ) => {
    if (value !== undefined) columns[key] = value;
  };
  set('job_key', fields.jobKey);
  set('run_id', fields.runId);
  set('title', fields.title);
  set('status', fields.status);
  set('started_at', fields.startedAt);
  set('finished_at', fields.finishedAt);
  set('received_at', fields.receivedAt);
  set('duration_ms', fields.durationMs);
  set('exit_code', fields.exitCode);
  set('host', fields.host);
  set('message', fields.message);
  if (fields.warnings !== undefined) {
    columns.warnings = fields.warnings.length
      ? JSON.stringify(fields.warnings)
      : null;
  }
  return columns;
}

/** A stored run as the decision core pairs reports with it. */
export function storedRunFromRow(row: RunRow) {
  return {
    id: row.id,
    status: row.status,
    startedAt: toDate(row.started_at),
    receivedAt: toDate(row.received_at),
  };
}
