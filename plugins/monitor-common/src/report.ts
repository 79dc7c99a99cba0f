import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { reportScheduleSchema } from './schedule';

/**
 * The path of the webhook, relative to the plugin's base URL
 * (`/api/monitor` in a standard backend).
 *
 * @public
 */
export const JOB_REPORT_PATH = '/job-report';

/**
 * The header that carries the shared secret of the webhook.
 *
 * @public
 */
export const JOB_REPORT_SECRET_HEADER = 'X-TC-Portal-Webhook-Secret';

/**
 * Length limits of the report's fields, in characters.
 *
 * A longer `message` is not refused: the backend stores its head and its
 * tail with a marker between them, since the end of a traceback matters most.
 *
 * @public
 */
export const JOB_REPORT_LIMITS = {
  jobKey: 200,
  title: 500,
  host: 255,
  entityRef: 400,
  /** 30 days */
  durationMs: 30 * 24 * 60 * 60 * 1000,
} as const;

/**
 * What a report says: a run began (`start`), or a run finished with
 * `success` or `error`.
 *
 * @public
 */
export const JOB_REPORT_STATUSES = ['success', 'error', 'start'] as const;

/**
 * What a report says.
 *
 * @public
 */
export type JobReportStatus = (typeof JOB_REPORT_STATUSES)[number];

/**
 * How a finished run ended, as a report says it.
 *
 * @public
 */
export type JobReportOutcome = Exclude<JobReportStatus, 'start'>;

// Control characters have no place in keys and titles: they would break logs
// and the page.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

/**
 * Free text that PostgreSQL can store: anything but the NUL character.
 *
 * @public
 */
export function storableText(maxLength: number) {
  return z
    .string()
    .max(maxLength, `must be at most ${maxLength} characters`)
    .refine(value => !value.includes('\u0000'), 'must not contain NUL');
}

function requiredText(maxLength: number) {
  return z
    .string()
    .max(maxLength, `must be at most ${maxLength} characters`)
    .refine(value => value.trim().length > 0, 'must not be empty')
    .refine(
      value => !CONTROL_CHARACTERS.test(value),
      'must not contain control characters',
    );
}

const dateTime = z.iso.datetime({
  offset: true,
  error:
    'must be an ISO 8601 date-time with a UTC offset, e.g. 2024-01-25T10:00:00+09:00',
});

/**
 * A catalog entity reference, with its kind (`component:price-service`,
 * `component:default/price-service`), written back in full.
 */
const entityRef = z
  .string()
  .max(JOB_REPORT_LIMITS.entityRef)
  .transform((value, ctx) => {
    try {
      if (CONTROL_CHARACTERS.test(value)) {
        throw new Error('control characters');
      }
      const full = stringifyEntityRef(parseEntityRef(value));
      if (full.length > JOB_REPORT_LIMITS.entityRef) {
        ctx.addIssue({
          code: 'custom',
          message: `must be at most ${JOB_REPORT_LIMITS.entityRef} characters written in full`,
        });
        return z.NEVER;
      }
      return full;
    } catch {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be an entity reference with a kind, e.g. component:default/price-service',
      });
      return z.NEVER;
    }
  });

/**
 * The body a job POSTs to the webhook: snake_case, as the original snippet
 * sends it. The first five fields are the original contract; the others are
 * optional extensions. Fields that are not listed here are ignored.
 *
 * @public
 */
export const jobReportSchema = z
  .object({
    job_key: requiredText(JOB_REPORT_LIMITS.jobKey),
    title: requiredText(JOB_REPORT_LIMITS.title),
    status: z.enum(JOB_REPORT_STATUSES, {
      error: `must be one of ${JOB_REPORT_STATUSES.join(', ')}`,
    }),
    /** Required unless status is `start`. */
    finished_at: dateTime.optional(),
    message: z.string().nullish(),
    /** A UUID the reporter makes per run: retries and start/finish share it. */
    run_id: z
      .uuid({ error: 'must be a UUID' })
      .transform(value => value.toLowerCase())
      .optional(),
    started_at: dateTime.optional(),
    duration_ms: z
      .number()
      .int()
      .min(0)
      .max(JOB_REPORT_LIMITS.durationMs)
      .optional(),
    exit_code: z.number().int().min(-2147483648).max(2147483647).optional(),
    host: requiredText(JOB_REPORT_LIMITS.host).optional(),
    entity_ref: entityRef.optional(),
    schedule: reportScheduleSchema.optional(),
  })
  .refine(
    report => report.status === 'start' || report.finished_at !== undefined,
    {
      path: ['finished_at'],
      message: 'is required',
      // Also when other fields are wrong, so that every problem is named.
      when: ({ value }) => typeof value === 'object' && value !== null,
    },
  );

/**
 * A job report as sent on the wire.
 *
 * @public
 */
export type JobReport = z.input<typeof jobReportSchema>;

/**
 * A job report after validation: entity refs written in full, run ids in
 * lower case.
 *
 * @public
 */
export type ValidJobReport = z.output<typeof jobReportSchema>;

/**
 * The outcome of checking a report against the contract: either the report,
 * or a message per offending field.
 *
 * @public
 */
export type JobReportParseResult =
  | { success: true; report: ValidJobReport }
  | { success: false; problems: Array<{ field: string; message: string }> };

/**
 * Checks a parsed JSON body against the report contract.
 *
 * @public
 */
export function parseJobReport(body: unknown): JobReportParseResult {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      success: false,
      problems: [{ field: '(body)', message: 'must be a JSON object' }],
    };
  }
  const result = jobReportSchema.safeParse(body);
  if (result.success) {
    return { success: true, report: result.data };
  }
  return {
    success: false,
    problems: result.error.issues.map(issue => {
      const field = issue.path.join('.') || '(body)';
      const missing =
        issue.path.length > 0 &&
        (body as Record<string, unknown>)[String(issue.path[0])] === undefined;
      return { field, message: missing ? 'is required' : issue.message };
    }),
  };
}
