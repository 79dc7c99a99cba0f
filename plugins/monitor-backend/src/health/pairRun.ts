import { JobReportOutcome } from '@tc-portal/plugin-monitor-common';

/** What a report says about a run, beside its job. */
type RunReportCommon = {
  /** The reporter's run id: retries, and a start and its finish, share it. */
  runId?: string;
  /** When the report arrived (the portal's clock). */
  receivedAt: Date;
};

/** "The run has started". */
export type StartReport = RunReportCommon & {
  status: 'start';
  /** When it started, in the reporter's clock, if it says. */
  startedAt?: Date;
};

/** "The run has ended": its outcome, when, and maybe how long it took. */
export type FinishReport = RunReportCommon & {
  status: JobReportOutcome;
  /** When it ended, in the reporter's clock. */
  finishedAt: Date;
  startedAt?: Date;
  durationMs?: number;
};

export type RunReport = StartReport | FinishReport;

/** A run as stored, as much of it as pairing needs. */
export type StoredRun = {
  id: string;
  status: 'running' | JobReportOutcome | 'timeout';
  startedAt: Date | null;
  /** When its first report arrived (the portal's clock). */
  receivedAt: Date;
};

/** What to do with a report, given the run it belongs to (if any). */
export type RunDecision =
  /** A retry, or a start arriving after its finish: store nothing. */
  | { kind: 'duplicate'; id: string }
  /** The finish of a stored run that is open (or timed out meanwhile). */
  | {
      kind: 'close';
      id: string;
      status: JobReportOutcome;
      startedAt: Date | null;
      finishedAt: Date;
      durationMs: number | null;
    }
  /** A run the portal did not know: open for a start, ended for a finish. */
  | {
      kind: 'new';
      status: 'running' | JobReportOutcome;
      startedAt: Date | null;
      finishedAt: Date | null;
      durationMs: number | null;
    };

const span = (from: Date, to: Date) =>
  Math.max(0, to.getTime() - from.getTime());

/**
 * Pairs a report with the run it belongs to: `match` is the stored run with
 * the report's run id, or, for a finish without one, the oldest open run
 * started without one (the store finds it; this decides).
 *
 * A run's two ends are measured on one clock. A start that gave no time is
 * stamped with the portal's clock when it arrives; its finish then takes its
 * duration from the portal's clock too (the finish's arrival), and its start
 * is placed that long before the reported finish, so that a reporter whose
 * clock is off still gets a true duration, and a run never ends before it
 * began.
 */
export function pairRun(report: RunReport, match?: StoredRun): RunDecision {
  if (match) {
    if (
      report.status === 'start' ||
      match.status === 'success' ||
      match.status === 'error'
    ) {
      return { kind: 'duplicate', id: match.id };
    }
    return closeRun(report, match);
  }
  if (report.status === 'start') {
    return {
      kind: 'new',
      status: 'running',
      startedAt: report.startedAt ?? report.receivedAt,
      finishedAt: null,
      durationMs: null,
    };
  }
  const startedAt =
    report.startedAt ??
    (report.durationMs !== undefined
      ? new Date(report.finishedAt.getTime() - report.durationMs)
      : null);
  return {
    kind: 'new',
    status: report.status,
    startedAt,
    finishedAt: report.finishedAt,
    durationMs:
      report.durationMs ??
      (startedAt ? span(startedAt, report.finishedAt) : null),
  };
}

function closeRun(report: FinishReport, open: StoredRun): RunDecision {
  const close = (startedAt: Date | null, durationMs: number | null) => ({
    kind: 'close' as const,
    id: open.id,
    status: report.status,
    startedAt,
    finishedAt: report.finishedAt,
    durationMs,
  });
  if (report.durationMs !== undefined) {
    return close(
      report.startedAt ??
        new Date(report.finishedAt.getTime() - report.durationMs),
      report.durationMs,
    );
  }
  if (report.startedAt) {
    // Both ends from the reporter.
    return close(report.startedAt, span(report.startedAt, report.finishedAt));
  }
  const stampedByPortal =
    open.startedAt === null ||
    open.startedAt.getTime() === open.receivedAt.getTime();
  if (stampedByPortal) {
    // Both ends from the portal: the start's arrival and the finish's.
    const durationMs = span(open.receivedAt, report.receivedAt);
    return close(
      new Date(report.finishedAt.getTime() - durationMs),
      durationMs,
    );
  }
  // Both ends from the reporter: its start, and its finish.
  return close(open.startedAt, span(open.startedAt!, report.finishedAt));
}
