import { createApiRef } from '@backstage/core-plugin-api';
import {
  Job,
  JobDetailQuery,
  JobDetailResponse,
  JobListQuery,
  JobListResponse,
  JobSummaryResponse,
} from '@tc-portal/plugin-monitor-common';

/**
 * The job monitor's API, as the frontend uses it.
 *
 * @public
 */
export interface MonitorApi {
  /** A page of jobs, filtered and sorted (`GET /jobs`). */
  listJobs(query?: JobListQuery): Promise<JobListResponse>;
  /** A job with a page of its runs and its changes of health. */
  getJob(jobKey: string, query?: JobDetailQuery): Promise<JobDetailResponse>;
  /** The counts per health, and the failing jobs nobody took on (the badge). */
  getSummary(): Promise<JobSummaryResponse>;
  /** Marks a failing job as known, until its next change of health. */
  acknowledge(jobKey: string, comment: string): Promise<Job>;
  /** Takes an acknowledgement back. */
  clearAcknowledgement(jobKey: string): Promise<Job>;
  /** Keeps a job out of the badge and the notifications until `until`. */
  mute(jobKey: string, until: Date, reason: string): Promise<Job>;
  /** Ends a mute now. */
  unmute(jobKey: string): Promise<Job>;
  /**
   * Adds a one-off maintenance window to a job, from `start` (now when not
   * given) to `end`.
   */
  addMaintenanceWindow(
    jobKey: string,
    window: { start?: Date; end: Date; reason: string },
  ): Promise<Job>;
  /** Ends one of a job's one-off maintenance windows now. */
  endMaintenanceWindow(jobKey: string, windowId: string): Promise<Job>;
  /** Deletes a job and its history; a later run brings it back. */
  deleteJob(jobKey: string): Promise<void>;
  /** The webhook's full URL on this portal, for reporting instructions. */
  getWebhookUrl(): Promise<string>;
}

/**
 * The reference of the job monitor's API.
 *
 * @public
 */
export const monitorApiRef = createApiRef<MonitorApi>({
  id: 'plugin.monitor.api',
});
