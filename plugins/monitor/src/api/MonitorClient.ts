import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  Job,
  JOB_REPORT_PATH,
  JobDetailQuery,
  JobDetailResponse,
  JobListQuery,
  JobListResponse,
  JobSummaryResponse,
} from '@tc-portal/plugin-monitor-common';
import { MonitorApi } from './MonitorApi';

function queryString(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) {
      // An empty list is sent, empty: it matches nothing, unlike no list.
      params.set(key, value.join(','));
    } else if (value !== undefined) {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

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

  /** {@inheritDoc MonitorApi.listJobs} */
  async listJobs(query: JobListQuery = {}): Promise<JobListResponse> {
    return this.call('GET', `/jobs${queryString(query)}`);
  }

  /** {@inheritDoc MonitorApi.getJob} */
  async getJob(
    jobKey: string,
    query: JobDetailQuery = {},
  ): Promise<JobDetailResponse> {
    return this.call('GET', `${this.jobPath(jobKey)}${queryString(query)}`);
  }

  /** {@inheritDoc MonitorApi.getSummary} */
  async getSummary(): Promise<JobSummaryResponse> {
    return this.call('GET', '/summary');
  }

  /** {@inheritDoc MonitorApi.acknowledge} */
  async acknowledge(jobKey: string, comment: string): Promise<Job> {
    const { job } = await this.call<{ job: Job }>(
      'POST',
      `${this.jobPath(jobKey)}/acknowledgement`,
      { comment },
    );
    return job;
  }

  /** {@inheritDoc MonitorApi.clearAcknowledgement} */
  async clearAcknowledgement(jobKey: string): Promise<Job> {
    const { job } = await this.call<{ job: Job }>(
      'DELETE',
      `${this.jobPath(jobKey)}/acknowledgement`,
    );
    return job;
  }

  /** {@inheritDoc MonitorApi.mute} */
  async mute(jobKey: string, until: Date, reason: string): Promise<Job> {
    const { job } = await this.call<{ job: Job }>(
      'POST',
      `${this.jobPath(jobKey)}/mute`,
      { until: until.toISOString(), reason },
    );
    return job;
  }

  /** {@inheritDoc MonitorApi.unmute} */
  async unmute(jobKey: string): Promise<Job> {
    const { job } = await this.call<{ job: Job }>(
      'DELETE',
      `${this.jobPath(jobKey)}/mute`,
    );
    return job;
  }

  /** {@inheritDoc MonitorApi.deleteJob} */
  async deleteJob(jobKey: string): Promise<void> {
    await this.call('DELETE', this.jobPath(jobKey));
  }

  /** {@inheritDoc MonitorApi.getWebhookUrl} */
  async getWebhookUrl(): Promise<string> {
    return `${await this.discoveryApi.getBaseUrl('monitor')}${JOB_REPORT_PATH}`;
  }

  private jobPath(jobKey: string) {
    return `/jobs/${encodeURIComponent(jobKey)}`;
  }

  private async call<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const baseUrl = await this.discoveryApi.getBaseUrl('monitor');
    const response = await this.fetchApi.fetch(`${baseUrl}${path}`, {
      method,
      ...(body !== undefined
        ? {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          }
        : {}),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (response.status === 204) {
      return undefined as T;
    }
    return (await response.json()) as T;
  }
}
