import {
  BASELINE_MIN_RUNS,
  BASELINE_RUNS,
  baselineOf,
  slowRun,
} from './baseline';
import { RecentRun } from './runFacts';

const SECOND = 1000;

/** Finished runs, latest first, of these durations in seconds. */
const runs = (
  seconds: Array<number | null>,
  outcome: RecentRun['outcome'] = 'success',
): RecentRun[] =>
  seconds.map((s, i) => ({
    id: `r${i}`,
    outcome,
    finishedAt: 1_000_000 - i,
    receivedAt: 1_000_000 - i,
    ...(s !== null && { durationMs: s * SECOND }),
  }));

describe('baselineOf', () => {
  it('has none until ten successes of known duration', () => {
    expect(BASELINE_MIN_RUNS).toBe(10);
    expect(baselineOf(runs(Array(9).fill(60)))).toBeUndefined();
    expect(baselineOf(runs(Array(10).fill(60)))).toEqual({
      p50Ms: 60 * SECOND,
      p95Ms: 60 * SECOND,
      runs: 10,
    });
  });

  it('counts neither failures, nor runs of unknown duration, nor too fast successes', () => {
    const recent = [
      ...runs(Array(9).fill(60)),
      ...runs([600], 'error'),
      ...runs([null]),
      { ...runs([1])[0], tooFast: { durationMs: SECOND, minRuntimeMs: 60 } },
    ];
    expect(baselineOf(recent)).toBeUndefined();
    expect(baselineOf([...recent, ...runs([60])])?.runs).toBe(10);
  });

  it('takes the nearest-rank median and p95 of the latest twenty runs', () => {
    // 1..20 s, latest first, and older runs of an hour that it leaves out.
    const recent = runs([
      ...Array.from({ length: BASELINE_RUNS }, (_, i) => 20 - i),
      3600,
      3600,
    ]);
    expect(baselineOf(recent)).toEqual({
      p50Ms: 10 * SECOND,
      p95Ms: 19 * SECOND,
      runs: 20,
    });
  });
});

describe('slowRun', () => {
  const baseline = { p50Ms: 50 * SECOND, p95Ms: 100 * SECOND, runs: 10 };

  it.each([
    ['above p95 × 2', 201, 2, true],
    ['exactly p95 × 2', 200, 2, false],
    ['above p95 × 3 with a factor of 3', 301, 3, true],
    ['below p95 × 3 with a factor of 3', 250, 3, false],
    ['far above, with the rule off (0)', 10_000, 0, false],
  ] as const)('a success %s is slow: %s', (_, seconds, factor, slow) => {
    expect(
      slowRun(
        { status: 'success', durationMs: seconds * SECOND },
        baseline,
        factor,
      ) !== undefined,
    ).toBe(slow);
  });

  it('says what the run took against the usual it went over', () => {
    expect(
      slowRun({ status: 'success', durationMs: 250 * SECOND }, baseline, 2),
    ).toEqual({
      durationMs: 250 * SECOND,
      p50Ms: 50 * SECOND,
      p95Ms: 100 * SECOND,
      slowFactor: 2,
    });
  });

  it('marks no failure, no run of unknown duration, and nothing before a baseline', () => {
    expect(
      slowRun({ status: 'error', durationMs: 900 * SECOND }, baseline, 2),
    ).toBeUndefined();
    expect(
      slowRun({ status: 'success', durationMs: null }, baseline, 2),
    ).toBeUndefined();
    expect(
      slowRun({ status: 'success', durationMs: 900 * SECOND }, undefined, 2),
    ).toBeUndefined();
  });
});
