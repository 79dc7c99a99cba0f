import { JobRunOutcome, RunWarning } from '@tc-portal/plugin-monitor-common';
import { RunDecision } from './pairRun';
import { openRunFor } from './runFacts';
import { IncomingReport, JobState, RunFields, RunWrite } from './types';

/**
 * The runs a report writes, and the run the job list shows: how the
 * decision core's verdict on a run becomes rows and the job's latest run.
 */

/** A finished run becomes the one the list shows, if it is the latest. */
export function showLatestRun(
  job: JobState,
  run: { id: string } & Pick<
    RunFields,
    | 'title'
    | 'finishedAt'
    | 'receivedAt'
    | 'message'
    | 'durationMs'
    | 'warnings'
  > & { outcome: JobRunOutcome },
): JobState {
  if (job.recent[0]?.id !== run.id) {
    return job;
  }
  return {
    ...job,
    title: run.title,
    latestOutcome: run.outcome,
    finishedAt: run.finishedAt,
    receivedAt: run.receivedAt,
    message: run.message,
    lastRunId: run.id,
    durationMs: run.durationMs,
    latestWarnings: run.warnings.map(w => w.kind),
  };
}

/** The run a report belongs to, as the job's facts know an open one. */
export function storedFromFacts(job: JobState, report: IncomingReport) {
  const open = openRunFor(job.open, report.runId);
  return (
    open && {
      id: open.id,
      status: 'running' as const,
      startedAt: open.startedAt === null ? null : new Date(open.startedAt),
      receivedAt: new Date(open.receivedAt),
    }
  );
}

/** The run the report writes, new or closed. */
export function runWrite(
  id: string,
  report: IncomingReport,
  decision: Exclude<RunDecision, { kind: 'duplicate' }>,
  warnings: RunWarning[] | undefined,
): RunWrite {
  const fields = {
    title: report.title,
    status: decision.status,
    startedAt: decision.startedAt,
    finishedAt: decision.finishedAt,
    durationMs: decision.durationMs,
    message: report.message,
    warnings,
  };
  if (decision.kind === 'new') {
    return {
      id,
      create: {
        ...fields,
        warnings: warnings ?? [],
        jobKey: report.jobKey,
        runId: report.runId ?? null,
        receivedAt: report.receivedAt,
        exitCode: report.exitCode ?? null,
        host: report.host ?? null,
      },
    };
  }
  // A finish that does not say its exit code or host leaves its start's.
  return {
    id,
    update: {
      ...fields,
      ...(report.exitCode !== undefined && { exitCode: report.exitCode }),
      ...(report.host !== undefined && { host: report.host }),
    },
  };
}
