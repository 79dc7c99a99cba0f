import {
  endOwnWindow,
  JobMaintenanceWindow,
  maintenanceAt,
  MaintenanceWindow,
} from './maintenance';

const HOUR = 60 * 60 * 1000;
const at = (iso: string) => new Date(iso);
const job: { jobKey: string; entityRef: string | null } = {
  jobKey: 'nightly',
  entityRef: 'component:default/price-service',
};

/** Saturdays from 02:00 for two hours, in Tokyo. */
const weekly: MaintenanceWindow = {
  id: 'config:0',
  reason: '週次メンテナンス',
  scope: {},
  kind: 'recurring',
  cron: '0 2 * * 6',
  timezone: 'Asia/Tokyo',
  durationMs: 2 * HOUR,
};

describe('maintenanceAt', () => {
  it.each([
    // Saturday 2026-12-05 02:00 JST is Friday 17:00 UTC.
    ['2026-12-04T16:59:59Z', false, '2026-12-04T17:00:00.000Z'],
    ['2026-12-04T17:00:00Z', true, '2026-12-04T19:00:00.000Z'],
    ['2026-12-04T18:59:59Z', true, '2026-12-04T19:00:00.000Z'],
    ['2026-12-04T19:00:00Z', false, '2026-12-11T17:00:00.000Z'],
  ])('at %s: in a window %p, next change %s', (time, inside, next) => {
    const state = maintenanceAt([weekly], job, at(time));
    expect(state.current).toEqual(
      inside
        ? {
            reason: '週次メンテナンス',
            start: at('2026-12-04T17:00:00Z'),
            end: at('2026-12-04T19:00:00Z'),
          }
        : undefined,
    );
    expect(state.nextChange?.toISOString()).toBe(next);
  });

  it('says when the last window ended: expectations start again then', () => {
    const state = maintenanceAt([weekly], job, at('2026-12-04T20:00:00Z'));
    expect(state.last?.end).toEqual(at('2026-12-04T19:00:00Z'));
    expect(state.current).toBeUndefined();
  });

  it('follows its time zone across a change of daylight saving time', () => {
    // 01:30 in New York on Sundays for an hour; on 2026-11-01 the clocks
    // fall back from 02:00 EDT to 01:00 EST.
    const sunday: MaintenanceWindow = {
      ...weekly,
      cron: '30 1 * * 0',
      timezone: 'America/New_York',
      durationMs: HOUR,
    };
    // The Sunday before: 01:30 EDT is 05:30 UTC.
    expect(
      maintenanceAt([sunday], job, at('2026-10-25T05:45:00Z')).current?.start,
    ).toEqual(at('2026-10-25T05:30:00Z'));
    // After the change, 01:30 EST is 06:30 UTC: an hour later in UTC.
    const after = maintenanceAt([sunday], job, at('2026-11-08T06:45:00Z'));
    expect(after.current?.start).toEqual(at('2026-11-08T06:30:00Z'));
    expect(
      maintenanceAt([sunday], job, at('2026-11-08T05:45:00Z')).current,
    ).toBe(undefined);
  });

  it('covers only the jobs of its scope', () => {
    const once = (scope: MaintenanceWindow['scope']): MaintenanceWindow => ({
      id: 'once',
      reason: '移行作業',
      scope,
      kind: 'once',
      start: at('2026-12-04T00:00:00Z'),
      end: at('2026-12-05T00:00:00Z'),
    });
    const noon = at('2026-12-04T12:00:00Z');
    const unlinked = { jobKey: 'seed-style', entityRef: null };
    const inside = (w: MaintenanceWindow, j = job) =>
      Boolean(maintenanceAt([w], j, noon).current);
    expect(inside(once({}))).toBe(true);
    expect(inside(once({ jobKeys: ['nightly'] }))).toBe(true);
    expect(inside(once({ jobKeys: ['other'] }))).toBe(false);
    expect(
      inside(once({ entityRefs: ['component:default/price-service'] })),
    ).toBe(true);
    expect(inside(once({ entityRefs: ['component:default/other'] }))).toBe(
      false,
    );
    expect(inside(once({ unlinked: true }), unlinked)).toBe(true);
    expect(inside(once({ unlinked: true }))).toBe(false);
  });

  it('takes the window that ends last when several cover the job', () => {
    const long: MaintenanceWindow = {
      id: 'once',
      reason: '長い停止',
      scope: {},
      kind: 'once',
      start: at('2026-12-04T16:00:00Z'),
      end: at('2026-12-05T00:00:00Z'),
    };
    const state = maintenanceAt(
      [weekly, long],
      job,
      at('2026-12-04T18:00:00Z'),
    );
    expect(state.current?.reason).toBe('長い停止');
    // It is judged again when the first of them changes.
    expect(state.nextChange).toEqual(at('2026-12-04T19:00:00Z'));
  });
});

describe('endOwnWindow', () => {
  const window = (id: string, start: string, end: string) =>
    ({
      id,
      start: at(start),
      end: at(end),
      reason: '移行',
      by: 'user:default/guest',
    } satisfies JobMaintenanceWindow);
  const under = window('a', '2026-12-04T10:00:00Z', '2026-12-04T12:00:00Z');
  const later = window('b', '2026-12-05T10:00:00Z', '2026-12-05T12:00:00Z');
  const now = at('2026-12-04T11:00:00Z');

  it('ends a window under way now, so expectations start again from now', () => {
    expect(endOwnWindow([under, later], 'a', now)).toEqual([
      { ...under, end: now },
      later,
    ]);
  });

  it('drops a window that has not started', () => {
    expect(endOwnWindow([under, later], 'b', now)).toEqual([under]);
  });

  it('finds nothing to end in a window that is over, or unknown', () => {
    expect(endOwnWindow([under], 'a', at('2026-12-04T12:00:00Z'))).toBe(
      undefined,
    );
    expect(endOwnWindow([under], 'x', now)).toBe(undefined);
  });
});
