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
  listJobs(query?: JobListQuery): Promise<JobListResponse>;
  getJob(jobKey: string, query?: JobDetailQuery): Promise<JobDetailResponse>;
  getSummary(): Promise<JobSummaryResponse>;
  acknowledge(jobKey: string, comment: string): Promise<Job>;
  clearAcknowledgement(jobKey: string): Promise<Job>;
  mute(jobKey: string, until: Date, reason: string): Promise<Job>;
  unmute(jobKey: string): Promise<Job>;
  deleteJob(jobKey: string): Promise<void>;
  /** The webhook's full URL on this portal, for reporting instructions. */
  getWebhookUrl(): Promise<string>;
}

/**
 * @public
 */
export const monitorApiRef = createApiRef<MonitorApi>({
  id: 'plugin.monitor.api',
});
