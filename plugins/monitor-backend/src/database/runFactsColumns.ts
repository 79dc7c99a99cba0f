import { JobRunOutcome, RunWarning } from '@tc-portal/plugin-monitor-common';
import { OpenRun, RecentRun } from '../health/runFacts';

// How the run facts kept on a job's row (../health/runFacts), and its strip
// of recent outcomes, are written: compact, since every report of the job
// reads and writes them.

export const OUTCOME_LETTERS: Record<JobRunOutcome, string> = {
  success: 's',
  error: 'e',
  timeout: 't',
};
export const LETTER_OUTCOMES = Object.fromEntries(
  Object.entries(OUTCOME_LETTERS).map(([outcome, letter]) => [letter, outcome]),
) as Record<string, JobRunOutcome>;

// The run facts kept on a job's row, as compact JSON tuples. A recent run:
// id, outcome, finish, arrival, and, where there is one, its duration (a
// success's, for the baseline) and its marks: the minimum runtime a too fast
// success fell short of, the usual p50 and p95 and the factor a slow one
// went over.
type RunMarks = { min?: number; slow?: [number, number, number] };
type RecentTuple =
  | [string, string, number, number]
  | [string, string, number, number, number | null]
  | [string, string, number, number, number | null, RunMarks];
type OpenTuple =
  | [string, string | null, number, number | null]
  | [string, string | null, number, number | null, RunWarning[]];

export function encodeRecentRuns(runs: RecentRun[]): string {
  return JSON.stringify(
    runs.map((r): RecentTuple => {
      const head: [string, string, number, number] = [
        r.id,
        OUTCOME_LETTERS[r.outcome],
        r.finishedAt,
        r.receivedAt,
      ];
      const duration = r.tooFast?.durationMs ?? r.durationMs ?? null;
      if (!r.tooFast && !r.slow) {
        return duration === null ? head : [...head, duration];
      }
      const marks: RunMarks = {};
      if (r.tooFast) marks.min = r.tooFast.minRuntimeMs;
      if (r.slow) {
        marks.slow = [r.slow.p50Ms, r.slow.p95Ms, r.slow.slowFactor];
      }
      return [...head, duration, marks];
    }),
  );
}

export function decodeRecentRuns(text: string): RecentRun[] {
  return (JSON.parse(text) as RecentTuple[]).map(
    ([id, letter, f, r, durationMs, marks]) => {
      const run: RecentRun = {
        id,
        outcome: LETTER_OUTCOMES[letter],
        finishedAt: f,
        receivedAt: r,
      };
      if (durationMs === undefined || durationMs === null) {
        return run;
      }
      run.durationMs = durationMs;
      if (marks?.min !== undefined) {
        run.tooFast = { durationMs, minRuntimeMs: marks.min };
      }
      if (marks?.slow) {
        const [p50Ms, p95Ms, slowFactor] = marks.slow;
        run.slow = { durationMs, p50Ms, p95Ms, slowFactor };
      }
      return run;
    },
  );
}

export function encodeOpenRuns(runs: OpenRun[]): string {
  return JSON.stringify(
    runs.map(
      (r): OpenTuple =>
        r.warnings?.length
          ? [r.id, r.runId, r.receivedAt, r.startedAt, r.warnings]
          : [r.id, r.runId, r.receivedAt, r.startedAt],
    ),
  );
}

export function decodeOpenRuns(text: string): OpenRun[] {
  return (JSON.parse(text) as OpenTuple[]).map(([id, runId, r, s, w]) => ({
    id,
    runId,
    receivedAt: r,
    startedAt: s,
    ...(w && { warnings: w }),
  }));
}
