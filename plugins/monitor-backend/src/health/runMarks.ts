import { RunWarning } from '@tc-portal/plugin-monitor-common';
import { Slow } from './baseline';
import type { HealthRules } from './evaluateHealth';
import { RunDecision } from './pairRun';
import { judgeSlot, RunSlot } from './slots';
import { IncomingReport, JobState } from './types';

/**
 * The marks of a run (warnings: slow, early, duplicate), as the decision
 * core stores them with it: what ./baseline and ./slots found, in the
 * shape of the read API.
 */

/** The warning of a slow run, as stored with it. */
export function slowWarnings(slow: Slow | undefined): RunWarning[] {
  return slow ? [{ kind: 'slow', ...slow }] : [];
}

/**
 * A run's start judged against the job's schedule (./slots): its warnings
 * (early, duplicate), and the job's latest start moved on. Nothing for a
 * job without a schedule, or a start the portal's clock does not know.
 */
export function judgeStart(
  job: JobState,
  rules: HealthRules,
  startAt: number | undefined,
): { warnings: RunWarning[]; lastStart: RunSlot | null } {
  const schedule = rules.expectation.schedule;
  if (!schedule || startAt === undefined) {
    return { warnings: [], lastStart: job.lastStart };
  }
  const verdict = judgeSlot(
    schedule,
    rules.graceMs,
    startAt,
    job.lastStart ?? undefined,
  );
  const iso = (ms: number) => new Date(ms).toISOString();
  const warnings: RunWarning[] = [];
  if (verdict.early) {
    warnings.push({
      kind: 'early',
      slotAt: iso(verdict.early.slotAt),
      earlyByMs: verdict.early.earlyByMs,
    });
  }
  if (verdict.duplicate) {
    warnings.push({ kind: 'duplicate', slotAt: iso(verdict.duplicate.slotAt) });
  }
  // A start older than the latest (a report that waited) moves nothing on.
  const lastStart =
    job.lastStart && job.lastStart.startAt > startAt
      ? job.lastStart
      : { startAt: verdict.startAt, slotAt: verdict.slotAt };
  return { warnings, lastStart };
}

/**
 * When a new run started, in the portal's clock: its start report's
 * arrival, or its finish's less the duration it reported. A finish of an
 * open run was judged at its start; one without a duration is not timed.
 */
export function startOf(
  report: IncomingReport,
  decision: Exclude<RunDecision, { kind: 'duplicate' }>,
): number | undefined {
  if (decision.kind !== 'new') {
    return undefined;
  }
  if (decision.status === 'running') {
    return report.receivedAt.getTime();
  }
  return decision.durationMs === null
    ? undefined
    : report.receivedAt.getTime() - decision.durationMs;
}
