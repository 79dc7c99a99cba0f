import {
  HealthReason,
  JobExpectation,
  JobHealth,
  JobRunOutcome,
  nextExpectedRun,
} from '@tc-portal/plugin-monitor-common';
import type { Slow } from './baseline';
import type { TooFast } from './runFacts';

/**
 * The rules a job is judged by: what config and its reports say it should
 * do, with every default filled in.
 */
export type HealthRules = {
  expectation: JobExpectation;
  /** How late a due run may be before it counts as missed. */
  graceMs: number;
  /** How long a run may stay open before it counts as timed out. */
  maxRuntimeMs: number;
  /**
   * The shortest a successful run may last: a faster one counts as failed.
   * Off where undefined.
   */
  minRuntimeMs?: number;
  /**
   * A successful run above the p95 of the usual durations times this is
   * slow; 0 turns it off.
   */
  slowFactor: number;
  /** Whether a slow run counts as failed (else it is a warning). */
  slowCountsAsFailure: boolean;
  /** The keys of the jobs it depends on (see ./upstream). */
  dependsOn: string[];
  /** Failed runs in a row before the job counts as failing. */
  failureThreshold: number;
  /** Successful runs in a row before a failing job counts as recovered. */
  recoveryThreshold: number;
};

/**
 * What is known of a job, at the moment it is judged.
 */
export type JobFacts = {
  /** The job's verdict as last stored; undefined for a job judged first. */
  previous?: { health: JobHealth; failing: boolean };
  /** How its finished runs ended, latest finished first. */
  recentOutcomes: JobRunOutcome[];
  /** The latest run, where it was a success too fast to count. */
  latestTooFast?: TooFast;
  /** The latest run, where it was a success slow enough to count as failed. */
  latestSlow?: Slow;
  /** When the start of its open run arrived (the portal's clock). */
  openRunSince?: Date;
  /** When its latest report of any kind arrived (the portal's clock). */
  lastReportAt?: Date;
  /** When the portal first knew the job (a report, or config). */
  knownSince: Date;
  /**
   * The maintenance window that covers the job, else the one that covered
   * it last. A run due within it is forgiven: the schedule's expectations
   * start again from its end, as from a report.
   */
  maintenance?: { start: Date; end: Date };
};

export type HealthVerdict = {
  health: JobHealth;
  /** Whether its runs count as failing, by the thresholds. */
  failing: boolean;
  reason: HealthReason;
  /** When the passing of time alone could next change the verdict. */
  nextCheckAt: Date | null;
  /** When the job's next run is expected to report, for a scheduled job. */
  nextExpectedAt: Date | null;
  /** The open run outlived the maximum runtime: close it as a timeout. */
  openRunTimedOut: boolean;
};

/** How many of the leading outcomes satisfy `test`, up to `limit`. */
function leading(
  outcomes: JobRunOutcome[],
  test: (outcome: JobRunOutcome) => boolean,
): number {
  const index = outcomes.findIndex(outcome => !test(outcome));
  return index === -1 ? outcomes.length : index;
}

const isFailure = (outcome: JobRunOutcome) => outcome !== 'success';

/**
 * Whether the runs count as failing: a passing job starts failing after
 * `failureThreshold` failures in a row, and a failing job passes again after
 * `recoveryThreshold` successes in a row.
 */
function decideFailing(
  outcomes: JobRunOutcome[],
  wasFailing: boolean,
  rules: HealthRules,
): { failing: boolean; reason: HealthReason } {
  if (outcomes.length === 0) {
    // No run to judge (none yet, or all pruned): nothing changes.
    return {
      failing: wasFailing,
      reason: wasFailing ? { code: 'stillFailing' } : { code: 'noRunYet' },
    };
  }
  const failures = leading(outcomes, isFailure);
  const successes = leading(outcomes, outcome => !isFailure(outcome));
  if (wasFailing) {
    if (successes >= rules.recoveryThreshold) {
      return { failing: false, reason: { code: 'succeeded' } };
    }
    if (successes > 0) {
      return {
        failing: true,
        reason: {
          code: 'recovering',
          successes,
          threshold: rules.recoveryThreshold,
        },
      };
    }
  } else if (failures < rules.failureThreshold) {
    return {
      failing: false,
      reason:
        failures === 0
          ? { code: 'succeeded' }
          : {
              code: 'belowThreshold',
              failures,
              threshold: rules.failureThreshold,
            },
    };
  }
  return {
    failing: true,
    reason: {
      code: 'failed',
      failures,
      latest: outcomes[0] === 'timeout' ? 'timeout' : 'error',
    },
  };
}

/** How early a report may arrive and still count for the coming slot. */
const EARLY_TOLERANCE_MS = 5 * 60 * 1000;

/**
 * When the next run is expected after a report arrived at `reference`. A
 * report that arrives just before a cron slot (a machine clock a little
 * ahead, a very short job) counts as that slot's run, not the one before.
 */
function nextExpectedSlot(
  schedule: NonNullable<JobExpectation['schedule']>,
  reference: Date,
  graceMs: number,
): Date {
  const next = nextExpectedRun(schedule, reference);
  if (schedule.kind !== 'cron') {
    return next;
  }
  const after = nextExpectedRun(schedule, next);
  const tolerance = Math.min(
    EARLY_TOLERANCE_MS,
    graceMs,
    (after.getTime() - next.getTime()) / 2,
  );
  return next.getTime() - reference.getTime() <= tolerance ? after : next;
}

/**
 * Decides a job's health from its runs, its schedule and the time. Pure: the
 * same facts and time always give the same verdict.
 *
 * Lateness is judged by the portal's receive times, not by the times a job
 * reports (its machine's clock may be wrong). When several healths apply the
 * most urgent wins: timeout, missed, error, late, running, ok.
 */
export function evaluateHealth(
  facts: JobFacts,
  rules: HealthRules,
  now: Date,
): HealthVerdict {
  let outcomes = facts.recentOutcomes;
  let openRunSince = facts.openRunSince;
  let openRunTimedOut = false;
  let nextCheckAt: Date | null = null;

  if (openRunSince) {
    const deadline = new Date(openRunSince.getTime() + rules.maxRuntimeMs);
    if (now >= deadline) {
      openRunTimedOut = true;
      outcomes = ['timeout', ...outcomes];
      openRunSince = undefined;
    } else {
      nextCheckAt = deadline;
    }
  }

  const runs = decideFailing(outcomes, facts.previous?.failing ?? false, rules);

  let lateness: { health: 'late' | 'missed'; reason: HealthReason } | undefined;
  let nextExpectedAt: Date | null = null;
  const schedule = rules.expectation.schedule;
  if (schedule) {
    const known = facts.lastReportAt ?? facts.knownSince;
    let expectedAt = nextExpectedSlot(schedule, known, rules.graceMs);
    let missedAt = new Date(expectedAt.getTime() + rules.graceMs);
    // A window that began before the run was missed (and ended after the
    // last report) forgives it: the next run is expected after the window.
    // A miss before the window began stays a miss.
    const window = facts.maintenance;
    if (window && window.start < missedAt && window.end > known) {
      expectedAt = nextExpectedSlot(schedule, window.end, rules.graceMs);
      missedAt = new Date(expectedAt.getTime() + rules.graceMs);
    }
    nextExpectedAt = expectedAt;
    // An open run is not late: it is running, and the maximum runtime
    // guards it.
    if (!openRunSince) {
      const lastReportAt = facts.lastReportAt?.toISOString() ?? null;
      if (now >= missedAt) {
        lateness = {
          health: 'missed',
          reason: {
            code: 'missed',
            lastReportAt,
            expectedAt: expectedAt.toISOString(),
            graceMs: rules.graceMs,
          },
        };
      } else if (now >= expectedAt) {
        lateness = {
          health: 'late',
          reason: {
            code: 'late',
            lastReportAt,
            expectedAt: expectedAt.toISOString(),
            missedAt: missedAt.toISOString(),
          },
        };
        nextCheckAt = missedAt;
      } else {
        nextCheckAt = expectedAt;
      }
    }
  }

  let health: JobHealth;
  let reason: HealthReason;
  if (runs.failing && outcomes[0] === 'timeout') {
    health = 'timeout';
    reason = {
      code: 'timedOut',
      failures: runs.reason.code === 'failed' ? runs.reason.failures : 1,
      maxRuntimeMs: rules.maxRuntimeMs,
    };
  } else if (lateness?.health === 'missed') {
    ({ health, reason } = lateness);
  } else if (runs.failing) {
    health = 'error';
    reason = runs.reason;
    if (runs.reason.code === 'failed' && facts.latestTooFast) {
      reason = {
        code: 'tooFast',
        failures: runs.reason.failures,
        ...facts.latestTooFast,
      };
    } else if (runs.reason.code === 'failed' && facts.latestSlow) {
      reason = {
        code: 'slow',
        failures: runs.reason.failures,
        ...facts.latestSlow,
      };
    }
  } else if (lateness) {
    ({ health, reason } = lateness);
  } else if (openRunSince) {
    health = 'running';
    reason = { code: 'running', startedAt: openRunSince.toISOString() };
  } else {
    health = 'ok';
    reason = runs.reason;
  }

  return {
    health,
    failing: runs.failing,
    reason,
    nextCheckAt,
    nextExpectedAt,
    openRunTimedOut,
  };
}
