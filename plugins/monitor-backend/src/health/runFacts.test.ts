import {
  JOB_LIST_LIMITS,
  JobExpectation,
  MAX_REPORTED_THRESHOLD,
} from '@tc-portal/plugin-monitor-common';
import { HealthRules } from './evaluateHealth';
import {
  judgeJob,
  JobRunFacts,
  openRunFor,
  RecentRun,
  recentRunsToKeep,
  withFinishedRun,
} from './runFacts';

const MINUTE = 60_000;
const T0 = Date.parse('2026-01-10T10:00:00Z');

const run = (
  id: string,
  minutes: number,
  outcome: RecentRun['outcome'] = 'success',
): RecentRun => ({
  id,
  outcome,
  finishedAt: T0 + minutes * MINUTE,
  receivedAt: T0 + minutes * MINUTE,
});

const rules: HealthRules = {
  expectation: {} as JobExpectation,
  graceMs: 5 * MINUTE,
  maxRuntimeMs: 30 * MINUTE,
  failureThreshold: 1,
  recoveryThreshold: 1,
  slowFactor: 2,
  slowCountsAsFailure: false,
  dependsOn: [],
};

describe('recentRunsToKeep', () => {
  it('keeps enough runs for any threshold a report may set, so that a report changing it needs no runs read again', () => {
    const strip = JOB_LIST_LIMITS.recentOutcomes;
    const largest = {
      ...rules,
      failureThreshold: MAX_REPORTED_THRESHOLD,
      recoveryThreshold: MAX_REPORTED_THRESHOLD,
    };
    expect(recentRunsToKeep(largest, strip)).toBe(
      recentRunsToKeep(rules, strip),
    );
  });
});

describe('withFinishedRun', () => {
  it('keeps the latest finished first, a late report in its place', () => {
    const recent = [run('c', 3), run('a', 1)];
    expect(withFinishedRun(recent, run('b', 2), 5).map(r => r.id)).toEqual([
      'c',
      'b',
      'a',
    ]);
  });

  it('replaces a run that ended again (a timeout, then its finish)', () => {
    const recent = [run('a', 3, 'timeout'), run('b', 1)];
    expect(withFinishedRun(recent, run('a', 2, 'error'), 5)).toEqual([
      run('a', 2, 'error'),
      run('b', 1),
    ]);
  });

  it('keeps no more than it is told, dropping the oldest', () => {
    const recent = [run('c', 3), run('b', 2)];
    expect(withFinishedRun(recent, run('a', 1), 2)).toEqual(recent);
    expect(withFinishedRun(recent, run('d', 4), 2).map(r => r.id)).toEqual([
      'd',
      'c',
    ]);
  });
});

describe('openRunFor', () => {
  const open = [
    { id: 'x', runId: 'r-1', receivedAt: T0, startedAt: T0 },
    { id: 'y', runId: null, receivedAt: T0 + 1, startedAt: T0 + 1 },
    { id: 'z', runId: null, receivedAt: T0 + 2, startedAt: T0 + 2 },
  ];
  it('finds a run by its run id, else the oldest started without one', () => {
    expect(openRunFor(open, 'r-1')?.id).toBe('x');
    expect(openRunFor(open, 'r-2')).toBeUndefined();
    expect(openRunFor(open, undefined)?.id).toBe('y');
  });
});

describe('judgeJob', () => {
  const facts = (overrides: Partial<JobRunFacts> = {}): JobRunFacts => ({
    recent: [],
    open: [],
    lastReportAt: new Date(T0),
    knownSince: new Date(T0),
    ...overrides,
  });

  it('judges from the facts kept, reading nothing', () => {
    const judged = judgeJob(
      facts({ recent: [run('b', 2, 'error'), run('a', 1)] }),
      rules,
      new Date(T0 + 3 * MINUTE),
      20,
    );
    expect(judged.verdict.health).toBe('error');
    expect(judged.timedOut).toEqual([]);
  });

  it('closes every run open past the maximum runtime as a timeout, then judges again', () => {
    const judged = judgeJob(
      facts({
        recent: [run('a', -10)],
        open: [
          { id: 'old', runId: null, receivedAt: T0, startedAt: T0 - MINUTE },
          {
            id: 'new',
            runId: null,
            receivedAt: T0 + 20 * MINUTE,
            startedAt: null,
          },
        ],
      }),
      rules,
      new Date(T0 + 31 * MINUTE),
      20,
    );
    // Ended when its maximum runtime ran out, by the clock of its start.
    expect(judged.timedOut).toEqual([
      expect.objectContaining({ id: 'old', finishedAt: T0 + 29 * MINUTE }),
    ]);
    expect(judged.facts.open.map(r => r.id)).toEqual(['new']);
    expect(judged.facts.recent.map(r => [r.id, r.outcome])).toEqual([
      ['old', 'timeout'],
      ['a', 'success'],
    ]);
    expect(judged.verdict.health).toBe('timeout');
  });
});
