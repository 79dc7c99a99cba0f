import { z } from 'zod';
import { JOB_HEALTHS, JobHealth } from '../healths';
import { healthReasonSchema } from '../reasons';
import {
  jobBaselineSchema,
  RUN_WARNING_KINDS,
  runWarningSchema,
} from './runMarks';

/**
 * How a finished run ended: as its report said (`success`, `error`), or
 * `timeout` when it stayed open past its maximum runtime.
 *
 * @public
 */
export const JOB_RUN_OUTCOMES = ['success', 'error', 'timeout'] as const;

/**
 * How a finished run ended.
 *
 * @public
 */
export type JobRunOutcome = (typeof JOB_RUN_OUTCOMES)[number];

/**
 * How a stored run stands: still open, or how it ended.
 *
 * @public
 */
export type JobRunStatus = 'running' | JobRunOutcome;

/**
 * What can link a job to its catalog entity, strongest first: app-config,
 * the `tc-portal.io/monitor-job-keys` annotation of an entity, the job's
 * reports (`entity_ref`).
 *
 * @public
 */
export const JOB_ENTITY_SOURCES = ['config', 'catalog', 'report'] as const;

/**
 * What links a job to its catalog entity.
 *
 * @public
 */
export type JobEntitySource = (typeof JOB_ENTITY_SOURCES)[number];

/**
 * The version of the monitor's data an answer was read at; the monitor's
 * signals carry the latest one, so a page that shows it need not reload.
 */
const dataVersion = z
  .string()
  .describe(
    'The version of the data this was read at (as the monitor:jobs signal carries it).',
  );

/** An instant, written by the portal in UTC. */
const instant = z.iso.datetime();
const count = z.number().int().min(0);

/**
 * A job's health, in the read API.
 *
 * @public
 */
export const jobHealthSchema = z.enum(JOB_HEALTHS);

/**
 * How a finished run ended, in the read API.
 *
 * @public
 */
export const jobRunOutcomeSchema = z.enum(JOB_RUN_OUTCOMES);

/**
 * A job's schedule as the read API shows it.
 *
 * @public
 */
export const jobScheduleViewSchema = z.strictObject({
  every: z.string().optional().describe('An ISO 8601 duration.'),
  cron: z.string().optional(),
  timezone: z.string().optional(),
  grace: z.string().describe('An ISO 8601 duration.'),
  maxRuntime: z.string().describe('An ISO 8601 duration.'),
  minRuntime: z
    .string()
    .optional()
    .describe(
      'An ISO 8601 duration: a successful run shorter than it counts as failed.',
    ),
  source: z
    .enum(['config', 'catalog', 'report'])
    .describe(
      "Whether app-config, an entity's tc-portal.io/monitor-jobs annotation or the job's own reports set the schedule.",
    ),
});

/**
 * A job's schedule as the read API shows it.
 *
 * @public
 */
export type JobScheduleView = z.output<typeof jobScheduleViewSchema>;

/**
 * A job as the read API shows it. Dates are ISO 8601 strings in UTC.
 *
 * @public
 */
export const jobSchema = z.strictObject({
  jobKey: z.string(),
  title: z.string(),
  health: jobHealthSchema,
  healthSince: instant.describe('When the job entered its current health.'),
  healthReason: z
    .string()
    .nullable()
    .describe('Why the job has its health, in English words.'),
  healthReasonDetail: healthReasonSchema
    .nullable()
    .describe('Why the job has its health, as data to word in any language.'),
  entityRef: z
    .string()
    .nullable()
    .describe(
      'The catalog entity the job belongs to: by app-config, else by the annotation of an entity in the catalog, else by its reports.',
    ),
  entitySource: z
    .enum(JOB_ENTITY_SOURCES)
    .nullable()
    .describe('What links the job to entityRef.'),
  acknowledgement: z
    .strictObject({ by: z.string(), at: instant, comment: z.string() })
    .nullable()
    .describe('Present while a failure is acknowledged.'),
  mute: z
    .strictObject({
      by: z.string(),
      at: instant,
      until: instant,
      reason: z.string(),
    })
    .nullable()
    .describe('Present while the job is muted.'),
  maintenance: z
    .strictObject({ until: instant, reason: z.string() })
    .nullable()
    .describe(
      'Present while a maintenance window covers the job: its failures notify nobody and the badge leaves it out.',
    ),
  maintenanceWindows: z
    .array(
      z.strictObject({
        id: z.string(),
        start: instant,
        end: instant,
        reason: z.string(),
        by: z.string().describe('Who added it.'),
      }),
    )
    .describe(
      "The job's own one-off maintenance windows that have not ended, earliest first (app-config's windows are not listed).",
    ),
  schedule: jobScheduleViewSchema.nullable(),
  failureThreshold: z
    .number()
    .int()
    .min(1)
    .describe(
      "Failed runs in a row before the job counts as failing: app-config's, else its reports', else 1.",
    ),
  recoveryThreshold: z
    .number()
    .int()
    .min(1)
    .describe(
      "Successful runs in a row before a failing job passes again: app-config's, else its reports', else 1.",
    ),
  nextExpectedAt: instant
    .nullable()
    .describe('When the next run is expected to report, for a scheduled job.'),
  latestOutcome: jobRunOutcomeSchema
    .nullable()
    .describe(
      'The outcome of the latest finished run; null before the first one.',
    ),
  finishedAt: instant
    .nullable()
    .describe('When the latest finished run finished, as the job reported it.'),
  receivedAt: instant
    .nullable()
    .describe("When the portal received the latest finished run's report."),
  message: z.string().nullable().describe("The latest finished run's message."),
  durationMs: count
    .nullable()
    .describe('How long the latest finished run took, when known.'),
  recentOutcomes: z
    .array(jobRunOutcomeSchema)
    .max(20)
    .describe('The outcomes of the latest finished runs, newest first.'),
  upstream: z
    .strictObject({ jobKey: z.string(), title: z.string() })
    .nullable()
    .describe(
      'Present while the job fails because a job it depends on fails: that job, which counts on the badge and whose notification names this one. This one is counted and told of on its own again once that job passes.',
    ),
  dependsOn: z
    .array(z.string())
    .describe(
      "The keys of the jobs it depends on: app-config's, else its reports', and those of the entities its entity depends on in the catalog.",
    ),
  latestWarnings: z
    .array(z.enum(RUN_WARNING_KINDS))
    .describe("The kinds of the latest finished run's warnings."),
});

/**
 * A job as the read API shows it. Dates are ISO 8601 strings in UTC.
 *
 * @public
 */
export type Job = z.output<typeof jobSchema>;

/**
 * One run of a job.
 *
 * @public
 */
export const jobRunSchema = z.strictObject({
  id: z.uuid().describe('Assigned by the portal.'),
  runId: z
    .string()
    .nullable()
    .describe("The reporter's run id, when it sent one."),
  jobKey: z.string(),
  title: z.string(),
  status: z.enum(['running', ...JOB_RUN_OUTCOMES]),
  startedAt: instant.nullable(),
  finishedAt: instant.nullable(),
  receivedAt: instant.describe(
    "When the portal received the run's first report.",
  ),
  durationMs: count.nullable(),
  exitCode: z.number().int().nullable(),
  host: z.string().nullable(),
  message: z.string().nullable(),
  warnings: z
    .array(runWarningSchema)
    .describe('What is worth a look about the run, such as being slow.'),
});

/**
 * One run of a job.
 *
 * @public
 */
export type JobRun = z.output<typeof jobRunSchema>;

/**
 * A recorded change of a job's health.
 *
 * @public
 */
export const healthChangeSchema = z.strictObject({
  id: z.string(),
  jobKey: z.string(),
  from: jobHealthSchema.nullable().describe("Null for the job's first health."),
  to: jobHealthSchema,
  reason: z.string().describe('Why, in English words.'),
  reasonDetail: healthReasonSchema
    .nullable()
    .describe('Why, as data to word in any language.'),
  changedAt: instant,
});

/**
 * A recorded change of a job's health.
 *
 * @public
 */
export type HealthChange = z.output<typeof healthChangeSchema>;

/**
 * What a person can do to a job's attention.
 *
 * @public
 */
export const ATTENTION_CHANGE_KINDS = [
  'acknowledged',
  'unacknowledged',
  'muted',
  'unmuted',
  'maintenance-added',
  'maintenance-ended',
] as const;

/**
 * A person's change of a job's attention: who acknowledged or muted it, or
 * took that back, and when.
 *
 * @public
 */
export const attentionChangeSchema = z.strictObject({
  id: z.string(),
  jobKey: z.string(),
  kind: z.enum(ATTENTION_CHANGE_KINDS),
  by: z.string().describe('The user (or service) who did it.'),
  at: instant,
  note: z
    .string()
    .nullable()
    .describe(
      "The acknowledgement's comment, the mute's or the maintenance window's reason.",
    ),
  until: instant
    .nullable()
    .describe("A mute's end, or an added maintenance window's."),
});

/**
 * A person's change of a job's attention.
 *
 * @public
 */
export type AttentionChange = z.output<typeof attentionChangeSchema>;

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
