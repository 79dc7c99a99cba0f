import { createApiRef } from '@backstage/core-plugin-api';
import {
  JobDetailResponse,
  JobListQuery,
  JobListResponse,
  JobSummaryResponse,
} from '@tc-portal/plugin-monitor-common';

/**
 * The job monitor's read API, as the frontend uses it.
 *
 * @public
 */
export interface MonitorApi {
  listJobs(query?: JobListQuery): Promise<JobListResponse>;
  getJob(jobKey: string): Promise<JobDetailResponse>;
  getSummary(): Promise<JobSummaryResponse>;
}

/**
 * @public
 */
export const monitorApiRef = createApiRef<MonitorApi>({
  id: 'plugin.monitor.api',
});
