import {
  AttentionChange,
  describeHealthReason,
  JobExpectation,
  JobHealth,
  JobRun,
  JobRunOutcome,
  JobRunStatus,
  HealthChange,
  parseHealthReason,
} from '@tc-portal/plugin-monitor-common';
import { OpenRun, RecentRun } from '../health/runFacts';
import { JobRecord } from './types';

// The tables' rows, and how they become the domain's records. Times come
// back as Dates from PostgreSQL and as epoch milliseconds from SQLite.

export type Timestamp = Date | number | string;

export type JobRow = {
  job_key: string;
  title: string;
  created_at: Timestamp;
  entity_ref: string | null;
  reported_expectation: string | null;
  last_report_at: Timestamp | null;
  latest_outcome: JobRunOutcome | null;
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
  /** JSON of RecentRun tuples; null until rebuilt from job_runs. */
  recent_runs: string | null;
  /** JSON of OpenRun tuples; null until rebuilt from job_runs. */
  open_runs: string | null;
};

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
};

export type HealthChangeRow = {
  id: number | string;
  job_key: string;
  from_health: JobHealth | null;
  to_health: JobHealth;
  reason: string;
  changed_at: Timestamp;
  delivery: 'pending' | 'sent' | 'none' | 'expired';
  claimed_until: Timestamp | null;
  delivered_at: Timestamp | null;
};

export type AttentionChangeRow = {
  id: number | string;
  job_key: string;
  kind: AttentionChange['kind'];
  by: string;
  at: Timestamp;
  note: string | null;
  until: Timestamp | null;
};

// PostgreSQL returns timestamps as Dates; better-sqlite3 stores and returns
// the epoch milliseconds knex bound for a Date.
export function toDate(value: Timestamp): Date;
export function toDate(value: Timestamp | null): Date | null;
export function toDate(value: Timestamp | null): Date | null {
  return value === null ? null : new Date(value);
}

export function toIso(value: Timestamp | null): string | null {
  return value === null ? null : new Date(value).toISOString();
}

// PostgreSQL returns bigint as a string.
export function toNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

export const OUTCOME_LETTERS: Record<JobRunOutcome, string> = {
  success: 's',
  error: 'e',
  timeout: 't',
};
const LETTER_OUTCOMES = Object.fromEntries(
  Object.entries(OUTCOME_LETTERS).map(([outcome, letter]) => [letter, outcome]),
) as Record<string, JobRunOutcome>;

export function jobFromRow(row: JobRow): JobRecord {
  return {
    jobKey: row.job_key,
    title: row.title,
    createdAt: toDate(row.created_at),
    entityRef: row.entity_ref,
    reportedExpectation: row.reported_expectation
      ? (JSON.parse(row.reported_expectation) as JobExpectation)
      : null,
    lastReportAt: toDate(row.last_report_at),
    latestOutcome: row.latest_outcome,
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
  };
}

export function attentionChangeFromRow(
  row: AttentionChangeRow,
): AttentionChange {
  return {
    id: String(row.id),
    jobKey: row.job_key,
    kind: row.kind,
    by: row.by,
    at: toIso(row.at)!,
    note: row.note,
    until: toIso(row.until),
  };
}

export function healthChangeFromRow(row: HealthChangeRow): HealthChange {
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

/** A job the portal has just come to know: healthy, nothing run yet. */
export function newJobRow(jobKey: string, title: string, now: Date) {
  return {
    job_key: jobKey,
    title,
    created_at: now,
    health: 'ok' as const,
    failing: false,
    health_since: now,
    recent_outcomes: '',
    recent_runs: '[]',
    open_runs: '[]',
  };
}

// The run facts kept on a job's row, as compact JSON tuples.
type RecentTuple = [string, string, number, number];
type OpenTuple = [string, string | null, number, number | null];

export function encodeRecentRuns(runs: RecentRun[]): string {
  return JSON.stringify(
    runs.map(r => [
      r.id,
      OUTCOME_LETTERS[r.outcome],
      r.finishedAt,
      r.receivedAt,
    ]),
  );
}

export function decodeRecentRuns(text: string): RecentRun[] {
  return (JSON.parse(text) as RecentTuple[]).map(([id, letter, f, r]) => ({
    id,
    outcome: LETTER_OUTCOMES[letter],
    finishedAt: f,
    receivedAt: r,
  }));
}

export function encodeOpenRuns(runs: OpenRun[]): string {
  return JSON.stringify(
    runs.map(r => [r.id, r.runId, r.receivedAt, r.startedAt]),
  );
}

export function decodeOpenRuns(text: string): OpenRun[] {
  return (JSON.parse(text) as OpenTuple[]).map(([id, runId, r, s]) => ({
    id,
    runId,
    receivedAt: r,
    startedAt: s,
  }));
}

/** The outcome strip of the job list, from the recent runs. */
export function outcomeLetters(runs: RecentRun[], strip: number): string {
  return runs
    .slice(0, strip)
    .map(r => OUTCOME_LETTERS[r.outcome])
    .join('');
}
