import {
  Job,
  JobListResponse,
  JobReportStatus,
  JobRun,
  JobSummaryResponse,
} from '@tc-portal/plugin-monitor-common';

/**
 * A run to be stored, as the webhook accepted it.
 */
export type NewRun = {
  jobKey: string;
  title: string;
  status: JobReportStatus;
  finishedAt: Date;
  receivedAt: Date;
  message: string | null;
};

/**
 * Where jobs and their runs are kept.
 */
export interface JobStore {
  /**
   * Keeps the run in the job's history and makes it the job's latest run,
   * unless the job already has a run that finished later. Both happen or
   * neither does.
   *
   * @returns the id of the stored run
   */
  recordRun(run: NewRun): Promise<{ id: string }>;

  listJobs(options: {
    status?: JobReportStatus;
    limit: number;
    offset: number;
  }): Promise<JobListResponse>;

  /** The job, or undefined when no report for it was ever stored. */
  getJob(jobKey: string): Promise<Job | undefined>;

  /** The job's most recent runs, latest finished first. */
  listRuns(jobKey: string, options: { limit: number }): Promise<JobRun[]>;

  summary(): Promise<JobSummaryResponse>;
}
