import type { RecentRun } from './runFacts';

/**
 * How long a job's runs usually take: the median and the 95th percentile of
 * the durations of its latest successful runs. A job has one from
 * {@link BASELINE_MIN_RUNS} such runs on; the latest
 * {@link BASELINE_RUNS} of its finished runs are looked at.
 */
export type Baseline = { p50Ms: number; p95Ms: number; runs: number };

/** How many finished runs a baseline looks at (the latest). */
export const BASELINE_RUNS = 20;

/** How many successful runs of known duration a baseline needs. */
export const BASELINE_MIN_RUNS = 10;

/** The factor of the p95 above which a run is slow, unless config sets it. */
export const DEFAULT_SLOW_FACTOR = 2;

/** A run slower than usual, and the usual it was measured against. */
export type Slow = {
  durationMs: number;
  p50Ms: number;
  p95Ms: number;
  slowFactor: number;
};

/** The nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * The baseline of a job's recent runs (latest finished first), or
 * undefined while fewer than BASELINE_MIN_RUNS of them succeeded with a
 * known duration. A success judged too fast does not count: it did not do
 * the job's work.
 */
export function baselineOf(recent: RecentRun[]): Baseline | undefined {
  const durations = recent
    .slice(0, BASELINE_RUNS)
    .filter(r => r.outcome === 'success' && !r.tooFast)
    .map(r => r.durationMs)
    .filter((d): d is number => d !== undefined)
    .sort((a, b) => a - b);
  if (durations.length < BASELINE_MIN_RUNS) {
    return undefined;
  }
  return {
    p50Ms: percentile(durations, 50),
    p95Ms: percentile(durations, 95),
    runs: durations.length,
  };
}

/**
 * Whether a finished run was slow: it succeeded, its duration is known, and
 * it is above the baseline's p95 times the slow factor. Off with a factor
 * of 0, and until the job has a baseline. A failure is told of as one; a
 * success that took far longer than usual is what nothing else tells.
 */
export function slowRun(
  run: { status: string; durationMs: number | null },
  baseline: Baseline | undefined,
  slowFactor: number,
): Slow | undefined {
  if (
    !baseline ||
    slowFactor <= 0 ||
    run.status !== 'success' ||
    run.durationMs === null ||
    run.durationMs <= baseline.p95Ms * slowFactor
  ) {
    return undefined;
  }
  return {
    durationMs: run.durationMs,
    p50Ms: baseline.p50Ms,
    p95Ms: baseline.p95Ms,
    slowFactor,
  };
}
