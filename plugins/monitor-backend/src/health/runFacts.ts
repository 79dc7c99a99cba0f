import {
  JobHealth,
  JobRunOutcome,
  RunWarning,
} from '@tc-portal/plugin-monitor-common';
import { BASELINE_RUNS, Slow } from './baseline';
import { evaluateHealth, HealthRules, HealthVerdict } from './evaluateHealth';

/** A finished run, as far as judging needs it (times in epoch ms). */
export type RecentRun = {
  id: string;
  outcome: JobRunOutcome;
  finishedAt: number;
  receivedAt: number;
  /** How long a successful run took, when known (for the baseline). */
  durationMs?: number;
  /** A success sooner than the job's minimum runtime: judged a failure. */
  tooFast?: TooFast;
  /** A success far slower than usual: a warning, or a failure by config. */
  slow?: Slow;
};

/** How fast a run was, against the minimum runtime it fell short of. */
export type TooFast = { durationMs: number; minRuntimeMs: number };

/**
 * Whether a finished run was too fast: it reported success, its duration
 * is known (a start report or `started_at`), and it is shorter than the
 * job's minimum runtime.
 */
export function tooFast(
  run: { status: JobRunOutcome | 'running'; durationMs: number | null },
  rules: Pick<HealthRules, 'minRuntimeMs'>,
): TooFast | undefined {
  const { minRuntimeMs } = rules;
  return run.status === 'success' &&
    minRuntimeMs !== undefined &&
    run.durationMs !== null &&
    run.durationMs < minRuntimeMs
    ? { durationMs: run.durationMs, minRuntimeMs }
    : undefined;
}

/**
 * What a finished run counts as: a too fast success is a failure, and so is
 * a slow one where the job's config says so.
 */
export function judgedOutcome(
  run: RecentRun,
  rules: Pick<HealthRules, 'slowCountsAsFailure'>,
): JobRunOutcome {
  return run.tooFast || (run.slow && rules.slowCountsAsFailure)
    ? 'error'
    : run.outcome;
}

/** An open run (a start without its finish yet; times in epoch ms). */
export type OpenRun = {
  id: string;
  runId: string | null;
  receivedAt: number;
  startedAt: number | null;
  /** What its start was marked with (early, duplicate), kept for its finish. */
  warnings?: RunWarning[];
};

/**
 * What the rules need to know of a job, kept with the job as reports come
 * in, so that judging a report reads no run history.
 */
export type JobRunFacts = {
  /** Latest finished first (by finish, then arrival). */
  recent: RecentRun[];
  /** Oldest arrival first. */
  open: OpenRun[];
  /** When its latest report of any kind arrived (the portal's clock). */
  lastReportAt: Date | null;
  /** When the portal first knew the job. */
  knownSince: Date;
  /** The maintenance window that covers the job, or covered it last. */
  maintenance?: { start: Date; end: Date };
  /** The verdict as last stored; undefined for a job never judged. */
  previous?: { health: JobHealth; failing: boolean };
};

/**
 * How many finished runs the facts keep: the rules', the strip's and the
 * baseline's need.
 */
export function recentRunsToKeep(rules: HealthRules, strip: number): number {
  return Math.max(
    strip,
    rules.failureThreshold,
    rules.recoveryThreshold,
    BASELINE_RUNS,
  );
}

const newestFirst = (a: RecentRun, b: RecentRun) =>
  b.finishedAt - a.finishedAt || b.receivedAt - a.receivedAt;

/**
 * The recent runs with `run` among them (replacing an earlier state of the
 * same run), in order, and no more than `keep`. A run older than all of a
 * full list leaves it as it is: it is history, not news.
 */
export function withFinishedRun(
  recent: RecentRun[],
  run: RecentRun,
  keep: number,
): RecentRun[] {
  return [...recent.filter(r => r.id !== run.id), run]
    .sort(newestFirst)
    .slice(0, keep);
}

/** The open run a report belongs to, by run id; else the oldest without one. */
export function openRunFor(
  open: OpenRun[],
  runId: string | undefined,
): OpenRun | undefined {
  return runId === undefined
    ? open.find(r => r.runId === null)
    : open.find(r => r.runId === runId);
}

/** A run the rules closed: it outlived the maximum runtime. */
export type TimedOutRun = OpenRun & { finishedAt: number };

export type Judgement = {
  verdict: HealthVerdict;
  facts: JobRunFacts;
  /** Open runs that timed out, now closed in `facts`. */
  timedOut: TimedOutRun[];
};

/**
 * Judges a job by its facts at `now`. Every run still open past the
 * maximum runtime ends as a timeout (older abandoned runs too), ending when
 * its maximum runtime ran out, in the clock its start was given in, so that
 * it sorts among the job's other runs by the same clock.
 */
export function judgeJob(
  facts: JobRunFacts,
  rules: HealthRules,
  now: Date,
  strip: number,
): Judgement {
  const evaluate = (f: JobRunFacts) =>
    evaluateHealth(
      {
        previous: f.previous,
        recentOutcomes: f.recent.map(r => judgedOutcome(r, rules)),
        latestTooFast: f.recent[0]?.tooFast,
        latestSlow: rules.slowCountsAsFailure ? f.recent[0]?.slow : undefined,
        openRunSince: f.open.length
          ? new Date(Math.min(...f.open.map(r => r.receivedAt)))
          : undefined,
        lastReportAt: f.lastReportAt ?? undefined,
        knownSince: f.knownSince,
        maintenance: f.maintenance,
      },
      rules,
      now,
    );
  const verdict = evaluate(facts);
  if (!verdict.openRunTimedOut) {
    return { verdict, facts, timedOut: [] };
  }
  const deadline = now.getTime() - rules.maxRuntimeMs;
  const timedOut = facts.open
    .filter(r => r.receivedAt <= deadline)
    .map(r => ({
      ...r,
      finishedAt: (r.startedAt ?? r.receivedAt) + rules.maxRuntimeMs,
    }));
  const keep = recentRunsToKeep(rules, strip);
  let recent = facts.recent;
  for (const run of timedOut) {
    recent = withFinishedRun(
      recent,
      {
        id: run.id,
        outcome: 'timeout',
        finishedAt: run.finishedAt,
        receivedAt: run.receivedAt,
      },
      keep,
    );
  }
  const closed = new Set(timedOut.map(r => r.id));
  const after = {
    ...facts,
    recent,
    open: facts.open.filter(r => !closed.has(r.id)),
  };
  return { verdict: evaluate(after), facts: after, timedOut };
}
