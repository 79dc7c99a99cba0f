import { fillMessage, HEALTH_REASON_MESSAGES, wordHealthReason } from './words';

describe('wordHealthReason', () => {
  const format = {
    dateTime: (iso: string) => `<${iso}>`,
    duration: (ms: number) => `${ms / 60_000} min`,
  };
  const english = (name: keyof typeof HEALTH_REASON_MESSAGES.en, values = {}) =>
    fillMessage(HEALTH_REASON_MESSAGES.en[name], values);

  it.each([
    [{ code: 'failed', failures: 1, latest: 'error' }, 'The latest run failed'],
    [
      { code: 'failed', failures: 3, latest: 'timeout' },
      '3 runs in a row failed · The latest run timed out',
    ],
    [
      {
        code: 'late',
        lastReportAt: null,
        expectedAt: 'E',
        missedAt: 'M',
      },
      'A run due by <E> has not been reported (missed from <M>) · no report yet',
    ],
    [
      { code: 'timedOut', failures: 1, maxRuntimeMs: 90 * 60_000 },
      'Still open after the maximum runtime of 90 min',
    ],
    [
      {
        code: 'tooFast',
        failures: 1,
        durationMs: 60_000,
        minRuntimeMs: 300_000,
      },
      'Finished in 1 min, expected at least 5 min: counted as failed',
    ],
    [
      {
        code: 'tooFast',
        failures: 2,
        durationMs: 60_000,
        minRuntimeMs: 300_000,
      },
      '2 runs in a row failed · Finished in 1 min, expected at least 5 min: counted as failed',
    ],
    [
      {
        code: 'slow',
        failures: 0,
        durationMs: 30 * 60_000,
        p50Ms: 5 * 60_000,
        p95Ms: 10 * 60_000,
        slowFactor: 2,
      },
      'Took 30 min, more than 2 times the usual 10 min (p95; median 5 min)',
    ],
  ] as const)('words %j', (reason, words) => {
    expect(wordHealthReason(reason, english, format)).toBe(words);
  });

  it('has the same messages in both languages', () => {
    expect(Object.keys(HEALTH_REASON_MESSAGES.en).sort()).toEqual(
      Object.keys(HEALTH_REASON_MESSAGES.ja).sort(),
    );
  });
});

describe('fillMessage', () => {
  it('fills the values it has and leaves the others', () => {
    expect(fillMessage('{{a}} and {{ b }} and {{c}}', { a: '1', b: '2' })).toBe(
      '1 and 2 and {{c}}',
    );
  });
});
