import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { CronExpressionParser } from 'cron-parser';
import { Duration, IANAZone } from 'luxon';
import { z } from 'zod';

/**
 * A job's expected rhythm: a fixed interval, or a cron expression read in an
 * IANA time zone (so that it follows daylight saving time).
 *
 * @public
 */
export type JobSchedule =
  | { kind: 'interval'; everyMs: number }
  | { kind: 'cron'; cron: string; timezone: string };

/**
 * What the portal expects of a job: its schedule, how long a run may be late
 * before it counts as missed, and how long a run may last.
 *
 * @public
 */
export type JobExpectation = {
  schedule?: JobSchedule;
  graceMs?: number;
  maxRuntimeMs?: number;
  /**
   * The shortest a successful run may last: one that finished sooner did
   * not do its work, and counts as failed. Off where unset.
   */
  minRuntimeMs?: number;
  /** Failed runs in a row before the job counts as failing. */
  failureThreshold?: number;
  /** Successful runs in a row before a failing job counts as passing again. */
  recoveryThreshold?: number;
  /**
   * The keys of the jobs this one depends on (its upstream): while one of
   * them fails, this job's failure is theirs, told in their notification
   * and counted once.
   */
  dependsOn?: string[];
};

/**
 * The most upstream jobs a job may name.
 *
 * @public
 */
export const MAX_DEPENDS_ON = 20;

/**
 * The largest failure or recovery threshold a report may set. The portal
 * keeps this many finished runs of every job at hand (the list's strip of
 * recent outcomes), so a threshold from a report never needs older runs read
 * again. App-config may set up to {@link MAX_CONFIGURED_THRESHOLD}.
 *
 * @public
 */
export const MAX_REPORTED_THRESHOLD = 20;

/**
 * The largest failure or recovery threshold app-config may set.
 *
 * @public
 */
export const MAX_CONFIGURED_THRESHOLD = 100;

/**
 * The longest duration accepted anywhere in a schedule: a year.
 *
 * @public
 */
export const MAX_SCHEDULE_DURATION_MS = 366 * 24 * 60 * 60 * 1000;

const HUMAN_DURATION_KEYS = [
  'years',
  'months',
  'weeks',
  'days',
  'hours',
  'minutes',
  'seconds',
  'milliseconds',
] as const;

/**
 * Reads a duration written as ISO 8601 (`PT1H`, `P1D`) or as Backstage's
 * `HumanDuration` object (`{ hours: 1 }`). Returns milliseconds, or a reason
 * it cannot be read.
 *
 * @public
 */
export function parseDuration(
  value: unknown,
): { ms: number } | { problem: string } {
  let ms: number;
  if (typeof value === 'string') {
    const duration = Duration.fromISO(value);
    if (!duration.isValid) {
      return {
        problem: 'must be an ISO 8601 duration such as PT1H, or { hours: 1 }',
      };
    }
    ms = duration.toMillis();
  } else if (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0 &&
    Object.entries(value).every(
      ([key, v]) =>
        (HUMAN_DURATION_KEYS as readonly string[]).includes(key) &&
        typeof v === 'number' &&
        Number.isFinite(v) &&
        v >= 0,
    )
  ) {
    ms = durationToMilliseconds(value as HumanDuration);
  } else {
    return {
      problem: 'must be an ISO 8601 duration such as PT1H, or { hours: 1 }',
    };
  }
  if (!(ms > 0)) {
    return { problem: 'must be longer than zero' };
  }
  if (ms > MAX_SCHEDULE_DURATION_MS) {
    return { problem: 'must be at most a year' };
  }
  return { ms };
}

/**
 * Whether a cron expression can be read, and if not why.
 *
 * @public
 */
export function checkCronExpression(
  cron: string,
  timezone: string,
): string | undefined {
  if (!IANAZone.isValidZone(timezone)) {
    return `unknown time zone '${timezone}'; use an IANA name such as Asia/Tokyo`;
  }
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) {
    return 'must have five fields: minute hour day-of-month month day-of-week';
  }
  // Jenkins' "hash" H picks a different time at each reading.
  if (fields.some(field => /(^|[,/(])H($|[(/,])/i.test(field))) {
    return 'must not use H: the expected time must be the same each time it is read';
  }
  try {
    CronExpressionParser.parse(cron, { tz: timezone }).next();
    return undefined;
  } catch (error) {
    return `is not a valid cron expression: ${(error as Error).message}`;
  }
}

const durationInput = z.union([
  z.string().max(100),
  z.record(z.string(), z.number()),
]);

const threshold = z
  .number({ error: 'must be a whole number' })
  .int('must be a whole number')
  .min(1, `must be from 1 to ${MAX_REPORTED_THRESHOLD}`)
  .max(MAX_REPORTED_THRESHOLD, `must be from 1 to ${MAX_REPORTED_THRESHOLD}`);

/**
 * The optional `schedule` of a job report (snake_case, like the rest of the
 * report): `every` or `cron` (with `timezone`), plus `grace`,
 * `max_runtime`, `min_runtime`, `failure_threshold` and
 * `recovery_threshold`. Like Sentry's
 * `monitor_config`, it is what the job's code expects of itself; app-config
 * wins over it field by field.
 *
 * @public
 */
export const reportScheduleSchema = z
  .object({
    every: durationInput.optional(),
    cron: z.string().max(200).optional(),
    timezone: z.string().max(100).optional(),
    grace: durationInput.optional(),
    max_runtime: durationInput.optional(),
    min_runtime: durationInput.optional(),
    failure_threshold: threshold.optional(),
    recovery_threshold: threshold.optional(),
    depends_on: z
      .array(z.string().trim().min(1).max(200))
      .max(MAX_DEPENDS_ON)
      .optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.every === undefined) === (value.cron === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'needs exactly one of every or cron',
      });
    }
    for (const key of [
      'every',
      'grace',
      'max_runtime',
      'min_runtime',
    ] as const) {
      if (value[key] !== undefined) {
        const parsed = parseDuration(value[key]);
        if ('problem' in parsed) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: parsed.problem,
          });
        }
      }
    }
    if (value.cron !== undefined) {
      const problem = checkCronExpression(value.cron, value.timezone ?? 'UTC');
      if (problem) {
        ctx.addIssue({
          code: 'custom',
          path: [
            value.timezone && problem.startsWith('unknown')
              ? 'timezone'
              : 'cron',
          ],
          message: problem,
        });
      }
    } else if (value.timezone !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['timezone'],
        message: 'applies to a cron schedule only',
      });
    }
  });

/**
 * The `schedule` of a report as sent.
 *
 * @public
 */
export type ReportSchedule = z.input<typeof reportScheduleSchema>;

/**
 * Turns a validated report schedule into an expectation. `defaultTimezone`
 * applies to cron schedules that name no time zone.
 *
 * @public
 */
export function expectationFromReportSchedule(
  schedule: z.output<typeof reportScheduleSchema>,
  defaultTimezone: string,
): JobExpectation {
  const ms = (value: unknown) => {
    const parsed = parseDuration(value);
    return 'ms' in parsed ? parsed.ms : undefined;
  };
  return {
    schedule:
      schedule.cron !== undefined
        ? {
            kind: 'cron',
            cron: schedule.cron,
            timezone: schedule.timezone ?? defaultTimezone,
          }
        : { kind: 'interval', everyMs: ms(schedule.every)! },
    graceMs: schedule.grace !== undefined ? ms(schedule.grace) : undefined,
    maxRuntimeMs:
      schedule.max_runtime !== undefined ? ms(schedule.max_runtime) : undefined,
    minRuntimeMs:
      schedule.min_runtime !== undefined ? ms(schedule.min_runtime) : undefined,
    failureThreshold: schedule.failure_threshold,
    recoveryThreshold: schedule.recovery_threshold,
    ...(schedule.depends_on && {
      dependsOn: [...new Set(schedule.depends_on)],
    }),
  };
}

/**
 * When a job on this schedule is next expected to report, after `after`.
 *
 * @public
 */
export function nextExpectedRun(schedule: JobSchedule, after: Date): Date {
  if (schedule.kind === 'interval') {
    return new Date(after.getTime() + schedule.everyMs);
  }
  return CronExpressionParser.parse(schedule.cron, {
    currentDate: after,
    tz: schedule.timezone,
  })
    .next()
    .toDate();
}

/**
 * The times of a cron expression around `at`, in its time zone (daylight
 * saving time included): the last at or before `at`, and the next after it.
 *
 * @public
 */
export function cronTimesAround(
  cron: string,
  timezone: string,
  at: Date,
): { last: Date; next: Date } {
  const times = (from: Date) =>
    CronExpressionParser.parse(cron, { currentDate: from, tz: timezone });
  return {
    last: times(new Date(at.getTime() + 1))
      .prev()
      .toDate(),
    next: times(at).next().toDate(),
  };
}
