import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  JobDetailResponse,
  JobListQuery,
  JobListResponse,
  JobSummaryResponse,
} from '@tc-portal/plugin-monitor-common';
import { MonitorApi } from './MonitorApi';

/**
 * Calls the monitor backend through the portal's discovery and fetch APIs
 * (so requests carry the signed-in user's token).
 *
 * @public
 */
export class MonitorClient implements MonitorApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listJobs(query: JobListQuery = {}): Promise<JobListResponse> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) {
        params.set(key, String(value));
      }
    }
    const search = params.toString() ? `?${params}` : '';
    return this.get(`/jobs${search}`);
  }

  async getJob(jobKey: string): Promise<JobDetailResponse> {
    return this.get(`/jobs/${encodeURIComponent(jobKey)}`);
  }

  async getSummary(): Promise<JobSummaryResponse> {
    return this.get('/summary');
  }

  private async get<T>(path: string): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('monitor');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
