import { z } from 'zod';
import { HealthReason } from './reasons';
import { JobReportOutcome, storableText } from './report';

/**
 * What the portal concludes about a job now:
 *
 * - `ok`: its runs pass and it reports on time (or has no schedule).
 * - `running`: a run has started and not yet finished.
 * - `late`: a run was due and has not been reported, but the grace period
 *   has not passed yet.
 * - `error`: its runs fail (after `failureThreshold` failures in a row).
 * - `missed`: a run was due and the grace period passed with no report.
 * - `timeout`: a run started and stayed open past the maximum runtime.
 *
 * @public
 */
export const JOB_HEALTHS = [
  'ok',
  'running',
  'late',
  'error',
  'missed',
  'timeout',
] as const;

/**
 * What the portal concludes about a job now, worst last.
 *
 * @public
 */
export type JobHealth = (typeof JOB_HEALTHS)[number];

/**
 * The healths' names in Japanese, the portal's language: the labels the
 * page shows by default, and the words of notifications.
 *
 * @public
 */
export const JOB_HEALTH_LABELS = {
  ok: '正常',
  running: '実行中',
  late: '遅延',
  error: 'エラー',
  missed: '未実行',
  timeout: 'タイムアウト',
} as const satisfies Record<JobHealth, string>;

/**
 * The healths that count as failing: the sidebar badge counts the jobs in
 * them that are neither acknowledged nor muted.
 *
 * @public
 */
export const FAILING_HEALTHS: readonly JobHealth[] = [
  'error',
  'missed',
  'timeout',
];

/**
 * How a stored run stands: still open, or how it ended.
 *
 * @public
 */
export type JobRunStatus = 'running' | JobReportOutcome | 'timeout';

/**
 * How a finished run ended.
 *
 * @public
 */
export type JobRunOutcome = Exclude<JobRunStatus, 'running'>;

/**
 * A job's schedule as the read API shows it.
 *
 * @public
 */
export type JobScheduleView = {
  /** An ISO 8601 duration, for an interval schedule. */
  every?: string;
  cron?: string;
  timezone?: string;
  /** ISO 8601 durations. */
  grace: string;
  maxRuntime: string;
  /** Whether app-config or the job's own reports set the schedule. */
  source: 'config' | 'report';
};

/**
 * A job as the read API shows it. Dates are ISO 8601 strings in UTC.
 *
 * @public
 */
export type Job = {
  jobKey: string;
  title: string;
  health: JobHealth;
  /** When the job entered its current health. */
  healthSince: string;
  /** Why the job has its health, in English words. */
  healthReason: string | null;
  /** Why the job has its health, as data to word in any language. */
  healthReasonDetail: HealthReason | null;
  /** The catalog entity the job belongs to, by config or by its reports. */
  entityRef: string | null;
  acknowledgement: { by: string; at: string; comment: string } | null;
  /** Present while the job is muted. */
  mute: { by: string; at: string; until: string; reason: string } | null;
  schedule: JobScheduleView | null;
  /** When the next run is expected to report, for a scheduled job. */
  nextExpectedAt: string | null;
  /** The outcome of the latest finished run; null before the first one. */
  status: JobRunOutcome | null;
  /** When the latest finished run finished, as the job reported it. */
  finishedAt: string | null;
  /** When the portal received the latest finished run's report. */
  receivedAt: string | null;
  message: string | null;
  /** The id of the latest finished run. */
  lastRunId: string | null;
  /** How long the latest finished run took, when known. */
  durationMs: number | null;
  /** The outcomes of the latest finished runs, newest first (up to 20). */
  recentOutcomes: JobRunOutcome[];
};

/**
 * One run of a job.
 *
 * @public
 */
export type JobRun = {
  /** Assigned by the portal. */
  id: string;
  /** The reporter's run id, when it sent one. */
  runId: string | null;
  jobKey: string;
  title: string;
  status: JobRunStatus;
  startedAt: string | null;
  finishedAt: string | null;
  /** When the portal received the run's first report. */
  receivedAt: string;
  durationMs: number | null;
  exitCode: number | null;
  host: string | null;
  message: string | null;
};

/**
 * A recorded change of a job's health.
 *
 * @public
 */
export type JobStatusChange = {
  id: string;
  jobKey: string;
  /** Null for the job's first health. */
  from: JobHealth | null;
  to: JobHealth;
  /** Why, in English words. */
  reason: string;
  /** Why, as data to word in any language. */
  reasonDetail: HealthReason | null;
  changedAt: string;
};

/**
 * `GET /jobs`
 *
 * @public
 */
export type JobListResponse = {
  items: Job[];
  totalCount: number;
};

/**
 * `GET /jobs/:jobKey`: the job, a page of its runs (newest first) and its
 * recent changes of health (newest first).
 *
 * @public
 */
export type JobDetailResponse = {
  job: Job;
  runs: JobRun[];
  runsTotalCount: number;
  statusChanges: JobStatusChange[];
};

/**
 * `GET /summary`
 *
 * @public
 */
export type JobSummaryResponse = {
  /**
   * What the sidebar badge shows: jobs whose health is failing and that are
   * neither acknowledged nor muted.
   */
  errorCount: number;
  totalCount: number;
  /** Jobs per health, acknowledged and muted ones included. */
  byHealth: Record<JobHealth, number>;
  acknowledgedCount: number;
  mutedCount: number;
};

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
  statusChanges: 100,
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
export const jobListQuerySchema = z.object({
  health: listOf(z.enum(JOB_HEALTHS)).optional(),
  /** The outcome of the latest finished run. */
  status: z.enum(['success', 'error', 'timeout']).optional(),
  entityRef: listOf(storableText(400)).optional(),
  jobKey: listOf(storableText(200)).optional(),
  /** Text searched in job keys and titles. */
  q: storableText(200).optional(),
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
 * The query of `GET /jobs/:jobKey`.
 *
 * @public
 */
export const jobDetailQuerySchema = z.object({
  runsLimit: z.coerce
    .number()
    .int()
    .min(1)
    .max(JOB_LIST_LIMITS.maxRunsLimit)
    .default(JOB_LIST_LIMITS.defaultRunsLimit),
  runsOffset: z.coerce.number().int().min(0).default(0),
});

/**
 * The query of `GET /jobs/:jobKey`: which page of the job's runs to return.
 *
 * @public
 */
export type JobDetailQuery = z.input<typeof jobDetailQuerySchema>;

/**
 * `POST /jobs/:jobKey/acknowledge`
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
 * `POST /jobs/:jobKey/mute`
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
 * A job that changed (a report, a change of health, an acknowledgement, a
 * mute, a deletion), as the monitor's signals carry it.
 *
 * @public
 */
export type MonitorJobChange = {
  jobKey: string;
  health: JobHealth | null;
  /** Whether the job was deleted. */
  deleted?: boolean;
};

/**
 * The body of the monitor's signals, on the channel `monitor:jobs`: the jobs
 * that changed since the backend's previous signal, each once, as it is now.
 * A backend sends at most one signal a quarter second, however many reports
 * come in.
 *
 * @public
 */
export type MonitorJobSignal = {
  jobs: MonitorJobChange[];
};

/**
 * The signal channel the monitor publishes job changes on.
 *
 * @public
 */
export const MONITOR_SIGNAL_CHANNEL = 'monitor:jobs';
