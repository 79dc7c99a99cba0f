import { formatters } from './useFormatters';

describe('formatters', () => {
  it.each([
    ['ja', 90_000, '1 分、30 秒'],
    ['ja', 65_400, '1 分、5 秒'],
    ['ja', 2 * 86_400_000 + 3_600_000, '2 日、1 時間'],
    ['ja', 0, '0 秒'],
    ['en', 90_000, '1 min, 30 sec'],
    ['en', 5_400_000, '1 hr, 30 min'],
  ])('words a duration in %s: %d ms is %p', (locale, ms, words) => {
    expect(formatters(locale).duration(ms)).toBe(words);
  });

  it('keeps milliseconds below a second', () => {
    expect(formatters('en').duration(500)).toBe('500 ms');
  });

  it('words relative times in the given language', () => {
    const twoYearsAgo = new Date(
      Date.now() - 2 * 366 * 86_400_000,
    ).toISOString();
    expect(formatters('ja').relative(twoYearsAgo)).toBe('2 年前');
    expect(formatters('en').relative(twoYearsAgo)).toBe('2 years ago');
  });
});
