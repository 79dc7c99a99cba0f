import { describeHealthReason, parseHealthReason } from './reasons';

describe('health reasons', () => {
  it('words every kind of reason in English', () => {
    expect(
      describeHealthReason({
        code: 'missed',
        lastReportAt: null,
        expectedAt: '2026-01-10T11:00:00.000Z',
        graceMs: 15 * 60 * 1000,
      }),
    ).toBe(
      'no report yet; a run was due by 2026-01-10T11:00:00.000Z and the grace of 15 min has passed',
    );
    expect(
      describeHealthReason({ code: 'failed', failures: 3, latest: 'timeout' }),
    ).toBe('3 runs in a row failed; the latest timed out');
    expect(
      describeHealthReason({
        code: 'timedOut',
        failures: 1,
        maxRuntimeMs: 3_600_000,
      }),
    ).toBe(
      'the latest run timed out: still open after the maximum runtime of 1 hr',
    );
    expect(
      describeHealthReason({
        code: 'tooFast',
        failures: 1,
        durationMs: 2000,
        minRuntimeMs: 5 * 60 * 1000,
      }),
    ).toBe('the latest run finished in 2 sec, expected at least 5 min');
    expect(
      describeHealthReason({
        code: 'slow',
        failures: 0,
        durationMs: 30 * 60 * 1000,
        p50Ms: 5 * 60 * 1000,
        p95Ms: 10 * 60 * 1000,
        slowFactor: 2,
      }),
    ).toBe(
      'the latest run took 30 min, more than 2 times the usual 10 min (p95; median 5 min)',
    );
  });

  it('reads a stored reason back, and leaves plain words alone', () => {
    const reason = { code: 'recovering', successes: 1, threshold: 2 } as const;
    expect(parseHealthReason(JSON.stringify(reason))).toEqual(reason);
    expect(parseHealthReason('the latest run failed')).toBeNull();
    expect(parseHealthReason('{not json')).toBeNull();
    expect(parseHealthReason(null)).toBeNull();
  });
});
