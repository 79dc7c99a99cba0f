import { z } from 'zod';

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
} as const;

/**
 * The outcome a job reports.
 *
 * @public
 */
export const JOB_REPORT_STATUSES = ['success', 'error'] as const;

/**
 * The outcome a job reports.
 *
 * @public
 */
export type JobReportStatus = (typeof JOB_REPORT_STATUSES)[number];

// Control characters have no place in keys and titles: they would break logs
// and the page.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

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

/**
 * The body a job POSTs to the webhook: snake_case, as the original snippet
 * sends it. Fields that are not listed here are ignored.
 *
 * @public
 */
export const jobReportSchema = z.object({
  job_key: requiredText(JOB_REPORT_LIMITS.jobKey),
  title: requiredText(JOB_REPORT_LIMITS.title),
  status: z.enum(JOB_REPORT_STATUSES, {
    error: `must be one of ${JOB_REPORT_STATUSES.join(', ')}`,
  }),
  finished_at: z.iso.datetime({
    offset: true,
    error:
      'must be an ISO 8601 date-time with a UTC offset, e.g. 2024-01-25T10:00:00+09:00',
  }),
  message: z.string().nullish(),
});

/**
 * A job report as sent on the wire.
 *
 * @public
 */
export type JobReport = z.input<typeof jobReportSchema>;

/**
 * The webhook's answer to an accepted report.
 *
 * @public
 */
export type JobReportAcceptedResponse = {
  success: true;
  /** The id of the stored run. */
  id: string;
  job_key: string;
};

/**
 * The outcome of checking a report against the contract: either the report,
 * or a message per offending field.
 *
 * @public
 */
export type JobReportParseResult =
  | { success: true; report: z.output<typeof jobReportSchema> }
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
