import { describeHealthReason } from '@tc-portal/plugin-monitor-common';
import { JobFacts, HealthRules, evaluateHealth } from './evaluateHealth';
import { isRecordedChange, notificationFor } from './changes';
import { resolveRules } from './rules';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

const at = (iso: string) => new Date(iso);

function rules(overrides: Partial<HealthRules> = {}): HealthRules {
  return {
    expectation: {},
    graceMs: 15 * MINUTE,
    maxRuntimeMs: HOUR,
    failureThreshold: 1,
    recoveryThreshold: 1,
    slowFactor: 2,
    slowCountsAsFailure: false,
    dependsOn: [],
    ...overrides,
  };
}

function facts(overrides: Partial<JobFacts> = {}): JobFacts {
  return {
    recentOutcomes: [],
    knownSince: at('2026-01-01T00:00:00Z'),
    ...overrides,
  };
}

const now = at('2026-01-10T12:00:00Z');

describe('evaluateHealth: runs', () => {
  it('is ok before any run and after a success', () => {
    expect(evaluateHealth(facts(), rules(), now).health).toBe('ok');
    expect(
      evaluateHealth(
        facts({ recentOutcomes: ['success', 'error'] }),
        rules(),
        now,
      ).health,
    ).toBe('ok');
  });

  it('is error after a failed run', () => {
    const verdict = evaluateHealth(
      facts({ recentOutcomes: ['error', 'success'] }),
      rules(),
      now,
    );
    expect(verdict).toMatchObject({ health: 'error', failing: true });
    expect(verdict.reason).toEqual({
      code: 'failed',
      failures: 1,
      latest: 'error',
    });
    expect(describeHealthReason(verdict.reason)).toBe('the latest run failed');
  });

  it('fails only after failureThreshold failures in a row', () => {
    const threeToFail = rules({ failureThreshold: 3 });
    const judge = (outcomes: JobFacts['recentOutcomes']) =>
      evaluateHealth(facts({ recentOutcomes: outcomes }), threeToFail, now);

    expect(judge(['error', 'error']).health).toBe('ok');
    expect(describeHealthReason(judge(['error', 'error']).reason)).toContain(
      'below the threshold of 3',
    );
    expect(judge(['error', 'error', 'success', 'error']).health).toBe('ok');
    expect(judge(['error', 'timeout', 'error']).health).toBe('error');
  });

  it('recovers only after recoveryThreshold successes in a row', () => {
    const twoToRecover = rules({ recoveryThreshold: 2 });
    const judge = (outcomes: JobFacts['recentOutcomes'], wasFailing: boolean) =>
      evaluateHealth(
        facts({
          recentOutcomes: outcomes,
          previous: {
            health: wasFailing ? 'error' : 'ok',
            failing: wasFailing,
          },
        }),
        twoToRecover,
        now,
      );

    expect(judge(['success', 'error'], true).health).toBe('error');
    expect(judge(['success', 'error'], true).reason).toEqual({
      code: 'recovering',
      successes: 1,
      threshold: 2,
    });
    expect(judge(['success', 'success', 'error'], true).health).toBe('ok');
    // A passing job stays passing on one success, whatever the threshold.
    expect(judge(['success', 'error'], false).health).toBe('ok');
  });

  it('keeps its verdict when no run is left to judge', () => {
    const verdict = evaluateHealth(
      facts({ previous: { health: 'error', failing: true } }),
      rules(),
      now,
    );
    expect(verdict.health).toBe('error');
  });
});

describe('evaluateHealth: open runs', () => {
  it('is running while a run is open, until the maximum runtime', () => {
    const started = at('2026-01-10T11:30:00Z');
    const verdict = evaluateHealth(
      facts({ openRunSince: started, lastReportAt: started }),
      rules(),
      now,
    );
    expect(verdict).toMatchObject({
      health: 'running',
      openRunTimedOut: false,
      nextCheckAt: at('2026-01-10T12:30:00Z'),
    });
  });

  it('times the run out once it outlives the maximum runtime', () => {
    const started = at('2026-01-10T10:59:59Z');
    const verdict = evaluateHealth(
      facts({ openRunSince: started, lastReportAt: started }),
      rules(),
      now,
    );
    expect(verdict).toMatchObject({
      health: 'timeout',
      failing: true,
      openRunTimedOut: true,
    });
    expect(describeHealthReason(verdict.reason)).toContain(
      'maximum runtime of 1 hr',
    );
  });

  it('keeps a failing job failing while a new run is open', () => {
    const started = at('2026-01-10T11:50:00Z');
    const verdict = evaluateHealth(
      facts({
        recentOutcomes: ['error'],
        previous: { health: 'error', failing: true },
        openRunSince: started,
        lastReportAt: started,
      }),
      rules(),
      now,
    );
    expect(verdict.health).toBe('error');
  });
});

describe('evaluateHealth: schedules', () => {
  const hourly = rules({
    expectation: { schedule: { kind: 'interval', everyMs: HOUR } },
  });
  const lastReportAt = at('2026-01-10T10:00:00Z');

  it.each([
    ['10:59:59', 'ok', '2026-01-10T11:00:00.000Z'],
    ['11:00:00', 'late', '2026-01-10T11:15:00.000Z'],
    ['11:14:59', 'late', '2026-01-10T11:15:00.000Z'],
    ['11:15:00', 'missed', null],
  ])('at %s an hourly job last heard at 10:00 is %s', (time, health, next) => {
    const verdict = evaluateHealth(
      facts({ recentOutcomes: ['success'], lastReportAt }),
      hourly,
      at(`2026-01-10T${time}Z`),
    );
    expect(verdict.health).toBe(health);
    expect(verdict.nextExpectedAt).toEqual(at('2026-01-10T11:00:00Z'));
    expect(verdict.nextCheckAt?.toISOString() ?? null).toBe(next);
  });

  it('counts from when the portal first knew a job that never reported', () => {
    const verdict = evaluateHealth(
      facts({ knownSince: at('2026-01-10T10:00:00Z') }),
      hourly,
      at('2026-01-10T11:20:00Z'),
    );
    expect(verdict.health).toBe('missed');
    expect(describeHealthReason(verdict.reason)).toContain('no report yet');
  });

  it('prefers missed to error, and error to late', () => {
    const failing = {
      recentOutcomes: ['error' as const],
      previous: { health: 'error' as const, failing: true },
      lastReportAt,
    };
    expect(
      evaluateHealth(facts(failing), hourly, at('2026-01-10T11:05:00Z')).health,
    ).toBe('error');
    expect(
      evaluateHealth(facts(failing), hourly, at('2026-01-10T11:30:00Z')).health,
    ).toBe('missed');
  });

  describe('cron across daylight saving time', () => {
    // 02:30 every day in New York. On 2026-03-08 clocks jump from 02:00 to
    // 03:00 (EST -> EDT); on 2026-11-01 they fall back from 02:00 to 01:00.
    const nightly = rules({
      expectation: {
        schedule: {
          kind: 'cron',
          cron: '30 2 * * *',
          timezone: 'America/New_York',
        },
      },
      graceMs: 30 * MINUTE,
    });

    it('expects the run at 02:30 EST before the change', () => {
      const verdict = evaluateHealth(
        facts({ lastReportAt: at('2026-03-06T07:31:00Z') }), // 02:31 EST
        nightly,
        at('2026-03-07T07:00:00Z'),
      );
      expect(verdict.nextExpectedAt).toEqual(at('2026-03-07T07:30:00Z'));
      expect(verdict.health).toBe('ok');
    });

    it('expects the run an hour earlier in UTC once summer time began', () => {
      const lastReport = at('2026-03-09T06:31:00Z'); // 02:31 EDT
      const verdict = evaluateHealth(
        facts({ lastReportAt: lastReport }),
        nightly,
        at('2026-03-10T06:45:00Z'), // 02:45 EDT: due at 02:30 EDT
      );
      expect(verdict.nextExpectedAt).toEqual(at('2026-03-10T06:30:00Z'));
      expect(verdict.health).toBe('late');
      expect(
        evaluateHealth(
          facts({ lastReportAt: lastReport }),
          nightly,
          at('2026-03-10T07:00:00Z'),
        ).health,
      ).toBe('missed');
    });

    it('counts a report a little early as the coming slot', () => {
      // 02:29:58 EST: the machine's clock runs two seconds ahead.
      const early = at('2026-03-06T07:29:58Z');
      const verdict = evaluateHealth(
        facts({ lastReportAt: early }),
        nightly,
        at('2026-03-06T08:30:00Z'),
      );
      expect(verdict.nextExpectedAt).toEqual(at('2026-03-07T07:30:00Z'));
      expect(verdict.health).toBe('ok');
    });

    it('is not late an hour early on the night the clocks fall back', () => {
      const lastReport = at('2026-10-31T06:31:00Z'); // 02:31 EDT
      // 01:40 EST on 2026-11-01 is 06:40 UTC: with a fixed UTC offset the
      // run would already be 10 minutes late.
      const before = evaluateHealth(
        facts({ lastReportAt: lastReport }),
        nightly,
        at('2026-11-01T06:40:00Z'),
      );
      expect(before.nextExpectedAt).toEqual(at('2026-11-01T07:30:00Z'));
      expect(before.health).toBe('ok');
      expect(
        evaluateHealth(
          facts({ lastReportAt: lastReport }),
          nightly,
          at('2026-11-01T07:45:00Z'),
        ).health,
      ).toBe('late');
    });
  });
});

describe('resolveRules', () => {
  const defaults = { graceMs: 15 * MINUTE, maxRuntimeMs: HOUR };

  it('lets config win over the report, field by field', () => {
    const resolved = resolveRules(
      {
        expectation: { schedule: { kind: 'interval', everyMs: HOUR } },
        failureThreshold: 3,
      },
      {
        schedule: { kind: 'interval', everyMs: 5 * MINUTE },
        graceMs: MINUTE,
        failureThreshold: 5,
        recoveryThreshold: 2,
      },
      defaults,
    );
    expect(resolved).toEqual({
      expectation: { schedule: { kind: 'interval', everyMs: HOUR } },
      scheduleSource: 'config',
      graceMs: MINUTE,
      maxRuntimeMs: HOUR,
      failureThreshold: 3,
      recoveryThreshold: 2,
      slowFactor: 2,
      slowCountsAsFailure: false,
      dependsOn: [],
    });
  });

  it("puts what the catalog declares between config's and the report's, field by field", () => {
    const declared = {
      schedule: { kind: 'interval' as const, everyMs: 10 * MINUTE },
      graceMs: 5 * MINUTE,
      maxRuntimeMs: 3 * MINUTE,
    };
    const reported = {
      schedule: { kind: 'interval' as const, everyMs: HOUR },
      graceMs: 30 * MINUTE,
      maxRuntimeMs: HOUR,
      minRuntimeMs: MINUTE,
      failureThreshold: 4,
    };
    expect(
      resolveRules(
        { expectation: { graceMs: 2 * MINUTE } },
        reported,
        defaults,
        declared,
      ),
    ).toMatchObject({
      expectation: { schedule: declared.schedule },
      scheduleSource: 'catalog',
      graceMs: 2 * MINUTE,
      maxRuntimeMs: 3 * MINUTE,
      minRuntimeMs: MINUTE,
      failureThreshold: 4,
    });
    expect(
      resolveRules(
        { expectation: { schedule: { kind: 'interval', everyMs: HOUR } } },
        reported,
        defaults,
        declared,
      ).scheduleSource,
    ).toBe('config');
  });

  it('takes the slow rule from config alone', () => {
    expect(
      resolveRules(
        { expectation: {}, slowFactor: 0, slowCountsAsFailure: true },
        { failureThreshold: 4 },
        defaults,
      ),
    ).toMatchObject({ slowFactor: 0, slowCountsAsFailure: true });
  });

  it('takes the thresholds a report sends when config sets none', () => {
    expect(
      resolveRules(
        { expectation: {} },
        { failureThreshold: 4, recoveryThreshold: 3 },
        defaults,
      ),
    ).toMatchObject({ failureThreshold: 4, recoveryThreshold: 3 });
  });

  it('falls back to the report, then to the defaults', () => {
    expect(resolveRules(undefined, undefined, defaults)).toEqual({
      expectation: { schedule: undefined },
      scheduleSource: undefined,
      ...defaults,
      failureThreshold: 1,
      recoveryThreshold: 1,
      slowFactor: 2,
      slowCountsAsFailure: false,
      dependsOn: [],
    });
  });
});

describe('changes', () => {
  it('logs every change but a run starting and finishing well', () => {
    expect(isRecordedChange('ok', 'running')).toBe(false);
    expect(isRecordedChange('running', 'ok')).toBe(false);
    expect(isRecordedChange('ok', 'ok')).toBe(false);
    expect(isRecordedChange(undefined, 'ok')).toBe(true);
    expect(isRecordedChange('running', 'timeout')).toBe(true);
    expect(isRecordedChange('ok', 'late')).toBe(true);
  });

  it('tells of failures and recoveries only', () => {
    expect(notificationFor(undefined, 'ok')).toBeUndefined();
    expect(notificationFor('ok', 'late')).toBeUndefined();
    expect(notificationFor('ok', 'running')).toBeUndefined();
    expect(notificationFor('error', 'error')).toBeUndefined();
    expect(notificationFor(undefined, 'error')).toEqual({
      kind: 'failure',
      severity: 'high',
    });
    expect(notificationFor('late', 'missed')).toEqual({
      kind: 'failure',
      severity: 'high',
    });
    expect(notificationFor('error', 'missed')).toEqual({
      kind: 'failure',
      severity: 'high',
    });
    // A timed-out job's first success of a recovery that needs two.
    expect(notificationFor('timeout', 'error')).toBeUndefined();
    expect(notificationFor('missed', 'ok')).toEqual({
      kind: 'recovery',
      severity: 'normal',
    });
  });
});
