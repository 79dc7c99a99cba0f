import {
  AttentionChange,
  describeHealthReason,
  JobEntitySource,
  JobExpectation,
  JobHealth,
  JobRunOutcome,
  HealthChange,
  parseHealthReason,
  RunWarning,
} from '@tc-portal/plugin-monitor-common';
import { JobMaintenanceWindow } from '../health/maintenance';
import {
  encodeOpenRuns,
  encodeRecentRuns,
  LETTER_OUTCOMES,
  OUTCOME_LETTERS,
} from './runFactsColumns';
import {
  HealthChange as DecidedChange,
  JobRecord,
  JobState,
  Notice,
} from '../health/types';

// The tables' rows, and how they become the domain's records. Times come
// back as Dates from PostgreSQL and as epoch milliseconds from SQLite.

export type Timestamp = Date | number | string;

export type JobRow = {
  job_key: string;
  title: string;
  created_at: Timestamp;
  /** The job's one entity (see ../health/entityLink). */
  entity_ref: string | null;
  entity_source: JobEntitySource | null;
  /** The entity the job's reports named last. */
  reported_entity_ref: string | null;
  reported_expectation: string | null;
  declared_expectation: string | null;
  last_report_at: Timestamp | null;
  latest_outcome: JobRunOutcome | null;
  finished_at: Timestamp | null;
  received_at: Timestamp | null;
  message: string | null;
  last_run_id: string | null;
  duration_ms: number | string | null;
  recent_outcomes: string;
  /** The latest finished run's warning kinds, comma-separated. */
  latest_warnings: string | null;
  /** JSON array of the keys of the jobs it depends on; null for none. */
  depends_on: string | null;
  catalog_depends_on: string | null;
  upstream_job_key: string | null;
  upstream_title: string | null;
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
  maintenance_until: Timestamp | null;
  maintenance_reason: string | null;
  /** JSON of the job's own one-off maintenance windows. */
  maintenance_windows: string | null;
  failing_since: Timestamp | null;
  reminded_at: Timestamp | null;
  escalated_at: Timestamp | null;
  /** JSON of RecentRun tuples; null until rebuilt from job_runs. */
  recent_runs: string | null;
  /** JSON of OpenRun tuples; null until rebuilt from job_runs. */
  open_runs: string | null;
  /** JSON [start ms, slot ms] of the latest started run. */
  last_start: string | null;
};

export type HealthChangeRow = {
  id: number | string;
  job_key: string;
  from_health: JobHealth | null;
  to_health: JobHealth;
  reason: string;
  changed_at: Timestamp;
};

export type NoticeRow = {
  id: number | string;
  job_key: string;
  kind: Notice['kind'];
  severity: Notice['severity'];
  recipients: string;
  from_health: JobHealth | null;
  to_health: JobHealth;
  reason: string;
  created_at: Timestamp;
  delivery: 'pending' | 'sent' | 'expired';
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

export function jobFromRow(row: JobRow): JobRecord {
  return {
    jobKey: row.job_key,
    title: row.title,
    createdAt: toDate(row.created_at),
    entityRef: row.entity_ref,
    entitySource: row.entity_source,
    reportedExpectation: row.reported_expectation
      ? (JSON.parse(row.reported_expectation) as JobExpectation)
      : null,
    declaredExpectation: row.declared_expectation
      ? (JSON.parse(row.declared_expectation) as JobExpectation)
      : null,
    lastReportAt: toDate(row.last_report_at),
    latestOutcome: row.latest_outcome,
    finishedAt: toDate(row.finished_at),
    receivedAt: toDate(row.received_at),
    message: row.message,
    lastRunId: row.last_run_id,
    durationMs: toNumber(row.duration_ms),
    recentOutcomes: [...row.recent_outcomes].map(l => LETTER_OUTCOMES[l]),
    latestWarnings: row.latest_warnings
      ? (row.latest_warnings.split(',') as RunWarning['kind'][])
      : [],
    upstream:
      row.upstream_job_key !== null
        ? { jobKey: row.upstream_job_key, title: row.upstream_title ?? '' }
        : null,
    dependsOn: keysFromJson(row.depends_on),
    catalogDependsOn: keysFromJson(row.catalog_depends_on),
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
    maintenance:
      row.maintenance_until !== null
        ? {
            until: toDate(row.maintenance_until),
            reason: row.maintenance_reason ?? '',
          }
        : null,
    maintenanceWindows: decodeWindows(row.maintenance_windows),
    failingSince: toDate(row.failing_since),
    remindedAt: toDate(row.reminded_at),
    escalatedAt: toDate(row.escalated_at),
  };
}

/** Job keys, from a JSON array (null for none). */
function keysFromJson(text: string | null): string[] {
  return text ? (JSON.parse(text) as string[]) : [];
}

/** Job keys as a JSON array, null for none. */
function keysToJson(keys: string[]): string | null {
  return keys.length ? JSON.stringify(keys) : null;
}

/** The job's own maintenance windows, from their JSON. */
function decodeWindows(text: string | null): JobMaintenanceWindow[] {
  if (!text) {
    return [];
  }
  return (JSON.parse(text) as JobMaintenanceWindow[]).map(window => ({
    ...window,
    start: new Date(window.start),
    end: new Date(window.end),
  }));
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

/** A job's row as the decision core sees it, with its run facts. */
export function stateFromRow(
  row: JobRow,
  facts: Pick<JobState, 'recent' | 'open'>,
): JobState {
  const lastStart = row.last_start
    ? (JSON.parse(row.last_start) as [number, number])
    : null;
  return {
    ...jobFromRow(row),
    reportedEntityRef: row.reported_entity_ref,
    lastStart: lastStart && { startAt: lastStart[0], slotAt: lastStart[1] },
    ...facts,
  };
}

/** The row of a job, as the decision core left it. */
export function rowFromState(job: JobState): JobRow {
  return {
    job_key: job.jobKey,
    title: job.title,
    created_at: job.createdAt,
    entity_ref: job.entityRef,
    entity_source: job.entitySource,
    reported_entity_ref: job.reportedEntityRef,
    reported_expectation: job.reportedExpectation
      ? JSON.stringify(job.reportedExpectation)
      : null,
    declared_expectation: job.declaredExpectation
      ? JSON.stringify(job.declaredExpectation)
      : null,
    last_report_at: job.lastReportAt,
    latest_outcome: job.latestOutcome,
    finished_at: job.finishedAt,
    received_at: job.receivedAt,
    message: job.message,
    last_run_id: job.lastRunId,
    duration_ms: job.durationMs,
    recent_outcomes: job.recentOutcomes.map(o => OUTCOME_LETTERS[o]).join(''),
    latest_warnings: job.latestWarnings.length
      ? job.latestWarnings.join(',')
      : null,
    depends_on: keysToJson(job.dependsOn),
    catalog_depends_on: keysToJson(job.catalogDependsOn),
    upstream_job_key: job.upstream?.jobKey ?? null,
    upstream_title: job.upstream?.title ?? null,
    health: job.health,
    failing: job.failing,
    health_since: job.healthSince,
    health_reason: job.healthReason ? JSON.stringify(job.healthReason) : null,
    next_check_at: job.nextCheckAt,
    next_expected_at: job.nextExpectedAt,
    acknowledged_at: job.acknowledgement?.at ?? null,
    acknowledged_by: job.acknowledgement?.by ?? null,
    acknowledgement_comment: job.acknowledgement?.comment ?? null,
    muted_at: job.mute?.at ?? null,
    muted_until: job.mute?.until ?? null,
    muted_by: job.mute?.by ?? null,
    mute_reason: job.mute?.reason ?? null,
    maintenance_until: job.maintenance?.until ?? null,
    maintenance_reason: job.maintenance?.reason ?? null,
    maintenance_windows: job.maintenanceWindows.length
      ? JSON.stringify(job.maintenanceWindows)
      : null,
    failing_since: job.failingSince,
    reminded_at: job.remindedAt,
    escalated_at: job.escalatedAt,
    recent_runs: encodeRecentRuns(job.recent),
    open_runs: encodeOpenRuns(job.open),
    last_start: job.lastStart
      ? JSON.stringify([job.lastStart.startAt, job.lastStart.slotAt])
      : null,
  };
}

export function healthChangeRow(change: DecidedChange) {
  return {
    job_key: change.jobKey,
    from_health: change.from ?? null,
    to_health: change.to,
    reason: JSON.stringify(change.reason),
    changed_at: change.at,
  };
}

export function noticeRow(notice: Notice) {
  return {
    job_key: notice.jobKey,
    kind: notice.kind,
    severity: notice.severity,
    recipients: JSON.stringify(notice.recipients),
    from_health: notice.change.from ?? null,
    to_health: notice.change.to,
    reason: JSON.stringify(notice.change.reason),
    created_at: notice.change.at,
  };
}
