import { z } from 'zod';
import { JOB_HEALTHS, JobHealth } from '../healths';
import {
  attentionChangeSchema,
  healthChangeSchema,
  jobRunSchema,
  jobSchema,
} from './models';
import { jobBaselineSchema } from './runMarks';

// The read API's answers, as the router sends them and the client reads them.

/**
 * The version of the monitor's data an answer was read at; the monitor's
 * signals carry the latest one, so a page that shows it need not reload.
 */
const dataVersion = z
  .string()
  .describe(
    'The version of the data this was read at (as the monitor:jobs signal carries it).',
  );

const count = z.number().int().min(0);

/**
 * `GET /jobs`: a page of jobs and the count of all that match.
 *
 * @public
 */
export const jobListResponseSchema = z.strictObject({
  items: z.array(jobSchema),
  totalCount: count,
  version: dataVersion,
});

/**
 * `GET /jobs`
 *
 * @public
 */
export type JobListResponse = z.output<typeof jobListResponseSchema>;

/**
 * `GET /jobs/{jobKey}`: the job, a page of its runs (newest first) and its
 * recent changes of health (newest first).
 *
 * @public
 */
export const jobDetailResponseSchema = z.strictObject({
  job: jobSchema,
  runs: z.array(jobRunSchema),
  runsTotalCount: count,
  baseline: jobBaselineSchema
    .nullable()
    .describe(
      'How long the runs usually take; null until 10 of the latest 20 finished runs succeeded with a known duration.',
    ),
  healthChanges: z.array(healthChangeSchema),
  version: dataVersion,
  owners: z
    .array(z.string())
    .nullable()
    .describe(
      "Who owns the job, as entity refs: its entity's owners in the catalog, or, for a job linked to no entity, the portal's default owner (monitor.defaultOwner); empty when nobody does; null when the catalog could not be read. An owner policy (isJobOwner) lets them act on it.",
    ),
  attentionChanges: z
    .array(attentionChangeSchema)
    .describe(
      'Who acknowledged or muted the job, added or ended a maintenance window, or took it back; newest first.',
    ),
});

/**
 * `GET /jobs/{jobKey}`
 *
 * @public
 */
export type JobDetailResponse = z.output<typeof jobDetailResponseSchema>;

/**
 * `GET /summary`: counts of jobs.
 *
 * @public
 */
export const jobSummaryResponseSchema = z.strictObject({
  attentionCount: count.describe(
    'What the sidebar badge shows: jobs whose health is failing and that are neither acknowledged nor muted.',
  ),
  totalCount: count,
  byHealth: z
    .strictObject(
      Object.fromEntries(JOB_HEALTHS.map(health => [health, count])) as Record<
        JobHealth,
        typeof count
      >,
    )
    .describe('Jobs per health, acknowledged and muted ones included.'),
  acknowledgedCount: count,
  mutedCount: count,
  version: dataVersion,
});

/**
 * `GET /summary`
 *
 * @public
 */
export type JobSummaryResponse = z.output<typeof jobSummaryResponseSchema>;

/**
 * What the monitor knows of one entity's jobs, for scorecards.
 *
 * @public
 */
export const entityStatsSchema = z.strictObject({
  entityRef: z.string(),
  jobCount: count.describe('Jobs linked to the entity.'),
  attentionCount: count.describe(
    'Of them, those that need attention now (as the badge counts).',
  ),
  failingCount: count.describe('Of them, those whose health is failing.'),
  failingSince: z
    .string()
    .nullable()
    .describe(
      'When the longest failure among them began (ISO 8601); null when none fails.',
    ),
  runs: z
    .strictObject({ succeeded: count, failed: count })
    .describe(
      'Runs that finished since `since`: succeeded, and failed (an error or a timeout).',
    ),
  acknowledgements: z
    .strictObject({
      count,
      meanTimeToAcknowledgeMs: z
        .number()
        .min(0)
        .nullable()
        .describe(
          'From the start of the acknowledged failure to its acknowledgement, on average; null with no acknowledgement.',
        ),
    })
    .describe('Failures acknowledged since `since`.'),
});

/**
 * One entity's stats.
 *
 * @public
 */
export type EntityStats = z.output<typeof entityStatsSchema>;

/**
 * `GET /entity-stats`: per entity, its jobs' health now and their runs and
 * acknowledgements since a time.
 *
 * @public
 */
export const entityStatsResponseSchema = z.strictObject({
  items: z.array(entityStatsSchema),
  since: z.string(),
  version: dataVersion,
});

/**
 * `GET /entity-stats`
 *
 * @public
 */
export type EntityStatsResponse = z.output<typeof entityStatsResponseSchema>;

/**
 * The answer of the routes that change a job: the job as it is now.
 *
 * @public
 */
export const jobResponseSchema = z.strictObject({ job: jobSchema });

/**
 * The answer of the routes that change a job.
 *
 * @public
 */
export type JobResponse = z.output<typeof jobResponseSchema>;

/**
 * The webhook's answer to an accepted report.
 *
 * @public
 */
export const jobReportAcceptedResponseSchema = z.strictObject({
  success: z.literal(true),
  id: z.uuid().describe('The id of the stored run.'),
  job_key: z.string(),
});

/**
 * The webhook's answer to an accepted report.
 *
 * @public
 */
export type JobReportAcceptedResponse = z.output<
  typeof jobReportAcceptedResponseSchema
>;

/**
 * An error, in Backstage's usual body.
 *
 * @public
 */
export const errorResponseSchema = z.object({
  error: z.object({ name: z.string(), message: z.string() }),
  request: z.object({}).optional(),
  response: z.object({ statusCode: z.number().int() }),
});
