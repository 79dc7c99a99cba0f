import { z } from 'zod';
import { JOB_HEALTHS } from '../healths';
import { healthReasonSchema } from '../reasons';
import { RUN_WARNING_KINDS, runWarningSchema } from './runMarks';

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
