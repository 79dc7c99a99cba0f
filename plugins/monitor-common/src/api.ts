import { z } from 'zod';
import { JOB_REPORT_STATUSES, JobReportStatus } from './report';

/**
 * A job as the read API shows it: its latest finished run, by `finishedAt`.
 *
 * Dates are ISO 8601 strings in UTC.
 *
 * @public
 */
export type Job = {
  jobKey: string;
  title: string;
  /** The outcome of the latest finished run. */
  status: JobReportStatus;
  /** When the latest run finished, as the job reported it. */
  finishedAt: string;
  /** When the portal received the latest run's report. */
  receivedAt: string;
  message: string | null;
  /** The id of the latest run. */
  lastRunId: string;
};

/**
 * One run of a job, as the portal stored its report.
 *
 * @public
 */
export type JobRun = {
  id: string;
  jobKey: string;
  title: string;
  status: JobReportStatus;
  finishedAt: string;
  receivedAt: string;
  message: string | null;
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
 * `GET /jobs/:jobKey`: the job and its recent runs, newest first.
 *
 * @public
 */
export type JobDetailResponse = {
  job: Job;
  runs: JobRun[];
};

/**
 * `GET /summary`: what the sidebar badge shows.
 *
 * @public
 */
export type JobSummaryResponse = {
  /** Jobs whose latest run is an error. */
  errorCount: number;
  totalCount: number;
};

/**
 * Paging limits of `GET /jobs`.
 *
 * @public
 */
export const JOB_LIST_LIMITS = { defaultLimit: 100, maxLimit: 500 } as const;

/**
 * The query of `GET /jobs`.
 *
 * @public
 */
export const jobListQuerySchema = z.object({
  status: z.enum(JOB_REPORT_STATUSES).optional(),
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
