import { JobSchedule } from '@tc-portal/plugin-monitor-common';
import { judgeSlot } from './slots';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const ms = (iso: string) => Date.parse(iso);

describe('judgeSlot on a cron schedule', () => {
  const daily: JobSchedule = {
    kind: 'cron',
    cron: '0 2 * * *',
    timezone: 'Asia/Tokyo',
  };
  const GRACE = 15 * MINUTE;
  // 02:00 in Tokyo is 17:00 UTC the day before.
  const SLOT = ms('2026-03-09T17:00:00Z');

  it.each([
    ['on time', 0, undefined],
    ['late', 40 * MINUTE, undefined],
    ['exactly the grace early', -GRACE, undefined],
    ['a minute more than the grace early', -GRACE - MINUTE, GRACE + MINUTE],
    ['hours early', -5 * HOUR, 5 * HOUR],
  ])('a run %s', (_, offset, earlyBy) => {
    const verdict = judgeSlot(daily, GRACE, SLOT + offset, undefined);
    expect(verdict.slotAt).toBe(SLOT);
    expect(verdict.early?.earlyByMs).toBe(earlyBy);
    expect(verdict.duplicate).toBeUndefined();
  });

  it('marks a second run of the same slot a duplicate, and the next day not', () => {
    const first = judgeSlot(daily, GRACE, SLOT + MINUTE, undefined);
    expect(judgeSlot(daily, GRACE, SLOT + 3 * MINUTE, first)).toEqual({
      startAt: SLOT + 3 * MINUTE,
      slotAt: SLOT,
      duplicate: { slotAt: SLOT },
    });
    expect(
      judgeSlot(daily, GRACE, SLOT + 24 * HOUR, first).duplicate,
    ).toBeUndefined();
  });

  it('keeps to the local time across daylight saving time', () => {
    const newYork: JobSchedule = {
      kind: 'cron',
      cron: '30 6 * * *',
      timezone: 'America/New_York',
    };
    // 06:30 EST is 11:30 UTC; after the change of 2026-03-08, 06:30 EDT is
    // 10:30 UTC.
    const before = judgeSlot(
      newYork,
      GRACE,
      ms('2026-03-07T11:31:00Z'),
      undefined,
    );
    expect(before).toEqual({
      startAt: ms('2026-03-07T11:31:00Z'),
      slotAt: ms('2026-03-07T11:30:00Z'),
    });
    // At the winter time's 06:30, the day after: an hour late, not early,
    // and not a duplicate of the day before.
    const after = judgeSlot(newYork, GRACE, ms('2026-03-09T11:30:00Z'), before);
    expect(after).toEqual({
      startAt: ms('2026-03-09T11:30:00Z'),
      slotAt: ms('2026-03-09T10:30:00Z'),
    });
    // At 05:30 summer time it is an hour early.
    expect(
      judgeSlot(newYork, GRACE, ms('2026-03-09T09:30:00Z'), before).early,
    ).toEqual({ slotAt: ms('2026-03-09T10:30:00Z'), earlyByMs: HOUR });
  });

  it('gives the hour that repeats when the clocks go back its two slots', () => {
    const hourly: JobSchedule = {
      kind: 'cron',
      cron: '30 * * * *',
      timezone: 'America/New_York',
    };
    // 01:30 EDT (05:30 UTC), then 01:30 EST (06:30 UTC) on 2026-11-01.
    const first = judgeSlot(
      hourly,
      GRACE,
      ms('2026-11-01T05:31:00Z'),
      undefined,
    );
    const second = judgeSlot(hourly, GRACE, ms('2026-11-01T06:31:00Z'), first);
    expect(first.slotAt).toBe(ms('2026-11-01T05:30:00Z'));
    expect(second.slotAt).toBe(ms('2026-11-01T06:30:00Z'));
    expect(second.duplicate).toBeUndefined();
    // The same wall clock time twice in the same real hour is one slot.
    expect(
      judgeSlot(hourly, GRACE, ms('2026-11-01T06:35:00Z'), second).duplicate,
    ).toEqual({ slotAt: ms('2026-11-01T06:30:00Z') });
  });
});

describe('judgeSlot on an interval', () => {
  const hourly: JobSchedule = { kind: 'interval', everyMs: HOUR };
  const GRACE = 5 * MINUTE;
  const T = ms('2026-01-10T10:00:00Z');
  const first = judgeSlot(hourly, GRACE, T, undefined);

  it('takes the first run as it comes', () => {
    expect(first).toEqual({ startAt: T, slotAt: T });
  });

  it.each([
    ['an interval later', HOUR, undefined, undefined],
    ['the grace before the interval', HOUR - GRACE, undefined, undefined],
    ['sooner than that', HOUR - GRACE - MINUTE, GRACE + MINUTE, undefined],
    ['within the grace of the previous', GRACE, undefined, T],
    ['at the same time', 0, undefined, T],
  ])('a run %s', (_, after, earlyBy, duplicateOf) => {
    const verdict = judgeSlot(hourly, GRACE, T + after, first);
    expect(verdict.early?.earlyByMs).toBe(earlyBy);
    expect(verdict.duplicate?.slotAt).toBe(duplicateOf);
  });
});
