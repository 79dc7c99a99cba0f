import { z } from 'zod';
import { storableText } from '../report';
import { JOB_HEALTHS } from '../healths';
import { JOB_RUN_OUTCOMES } from './models';

/**
 * Paging limits of `GET /jobs` and of a job's runs.
 *
 * @public
 */
export const JOB_LIST_LIMITS = {
  defaultLimit: 100,
  maxLimit: 500,
  defaultRunsLimit: 50,
  maxRunsLimit: 500,
  healthChanges: 100,
  attentionChanges: 100,
  recentOutcomes: 20,
} as const;

/** A list given as `a,b` or as a repeated parameter. */
function listOf<T extends z.ZodType>(item: T) {
  return z.preprocess(value => {
    const values = Array.isArray(value) ? value : [value];
    return values
      .flatMap(v => (typeof v === 'string' ? v.split(',') : [v]))
      .map(v => (typeof v === 'string' ? v.trim() : v))
      .filter(v => v !== '');
  }, z.array(item).max(100));
}

/**
 * The sort orders of `GET /jobs`.
 *
 * @public
 */
export const JOB_SORT_FIELDS = ['finishedAt', 'name', 'health'] as const;

/**
 * The query of `GET /jobs`. Lists are given as `a,b` or as repeated
 * parameters. `entityRef` and `jobKey` both link jobs to entities: given
 * together, a job matching either is listed.
 *
 * @public
 */
export const jobListQuerySchema = z.strictObject({
  health: listOf(z.enum(JOB_HEALTHS))
    .optional()
    .describe('Healths, comma-separated or repeated.'),
  latestOutcome: z
    .enum(JOB_RUN_OUTCOMES)
    .optional()
    .describe('The outcome of the latest finished run.'),
  entityRef: listOf(storableText(400))
    .optional()
    .describe('Entity references, comma-separated or repeated.'),
  jobKey: listOf(storableText(200))
    .optional()
    .describe(
      'Job keys, comma-separated or repeated; with entityRef, either matches.',
    ),
  dependsOn: listOf(storableText(200))
    .optional()
    .describe(
      'Job keys, comma-separated or repeated: only the jobs that depend on one of them (whose dependsOn names it).',
    ),
  owner: storableText(400)
    .optional()
    .describe(
      "An owner's entity ref (group:default/pricing-team): the jobs it owns (those of the entities it owns in the catalog, and its own; for the default owner, also the jobs linked to no entity). Not with entityRef or jobKey.",
    ),
  attention: z
    .union([z.boolean(), z.enum(['true', 'false'])])
    .transform(value => value === true || value === 'true')
    .optional()
    .describe(
      "true: only the jobs that need attention (failing, nobody acknowledged, not muted), the jobs the summary's attentionCount counts; false: only the others.",
    ),
  q: storableText(200)
    .optional()
    .describe('Text searched in job keys and titles.'),
  sort: z.enum(JOB_SORT_FIELDS).default('finishedAt'),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(JOB_LIST_LIMITS.maxLimit)
    .default(JOB_LIST_LIMITS.defaultLimit),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * The query of `GET /jobs`, as a client sends it.
 *
 * @public
 */
export type JobListQuery = z.input<typeof jobListQuerySchema>;

/**
 * The query of `GET /jobs/{jobKey}`.
 *
 * @public
 */
export const jobDetailQuerySchema = z.strictObject({
  runsLimit: z.coerce
    .number()
    .int()
    .min(1)
    .max(JOB_LIST_LIMITS.maxRunsLimit)
    .default(JOB_LIST_LIMITS.defaultRunsLimit),
  runsOffset: z.coerce.number().int().min(0).default(0),
});

/**
 * The query of `GET /entity-stats`: from when runs and acknowledgements
 * count, and which entities.
 *
 * @public
 */
export const entityStatsQuerySchema = z.strictObject({
  since: z
    .string()
    .datetime({ offset: true })
    .describe(
      'An ISO 8601 instant: runs that finished and acknowledgements made since then count.',
    ),
  entityRef: listOf(storableText(400))
    .optional()
    .describe(
      'Entity references, comma-separated or repeated; without it, every entity that has jobs.',
    ),
});

/**
 * The query of `GET /entity-stats`.
 *
 * @public
 */
export type EntityStatsQuery = z.input<typeof entityStatsQuerySchema>;

/**
 * The query of `GET /jobs/{jobKey}`: which page of the job's runs to return.
 *
 * @public
 */
export type JobDetailQuery = z.input<typeof jobDetailQuerySchema>;

/**
 * `POST /jobs/{jobKey}/acknowledgement`
 *
 * @public
 */
export const acknowledgeRequestSchema = z.object({
  comment: storableText(2000).pipe(
    z.string().trim().min(1, 'must not be empty'),
  ),
});

/**
 * The body of an acknowledgement: why the failure is known.
 *
 * @public
 */
export type AcknowledgeRequest = z.input<typeof acknowledgeRequestSchema>;

/**
 * `POST /jobs/{jobKey}/mute`
 *
 * @public
 */
export const muteRequestSchema = z.object({
  until: z.iso.datetime({
    offset: true,
    error: 'must be an ISO 8601 date-time with a UTC offset',
  }),
  reason: storableText(2000).pipe(
    z.string().trim().min(1, 'must not be empty'),
  ),
});

/**
 * The body of a mute: until when, and why.
 *
 * @public
 */
export type MuteRequest = z.input<typeof muteRequestSchema>;

/**
 * `POST /jobs/{jobKey}/maintenance`
 *
 * @public
 */
export const maintenanceWindowRequestSchema = z
  .object({
    start: z.iso
      .datetime({
        offset: true,
        error: 'must be an ISO 8601 date-time with a UTC offset',
      })
      .optional()
      .describe('When the window starts; now when not given.'),
    end: z.iso.datetime({
      offset: true,
      error: 'must be an ISO 8601 date-time with a UTC offset',
    }),
    reason: storableText(2000).pipe(
      z.string().trim().min(1, 'must not be empty'),
    ),
  })
  .refine(w => !w.start || Date.parse(w.end) > Date.parse(w.start), {
    path: ['end'],
    message: 'must be after start',
  });

/**
 * The body of a one-off maintenance window on a job: from when (now when
 * not given) until when, and why.
 *
 * @public
 */
export type MaintenanceWindowRequest = z.input<
  typeof maintenanceWindowRequestSchema
>;
