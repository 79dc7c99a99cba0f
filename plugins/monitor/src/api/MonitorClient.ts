import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  AcknowledgeRequest,
  Job,
  JobDetailQuery,
  JobDetailResponse,
  JobListQuery,
  JobListResponse,
  JobSummaryResponse,
  MONITOR_API,
  monitorApiPath,
  MonitorApiOperation,
  MonitorApiSuccessBody,
  MaintenanceWindowRequest,
  MuteRequest,
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
    return this.call('listJobs', { query });
  }

  /** {@inheritDoc MonitorApi.getJob} */
  async getJob(
    jobKey: string,
    query: JobDetailQuery = {},
  ): Promise<JobDetailResponse> {
    return this.call('getJob', { params: { jobKey }, query });
  }

  /** {@inheritDoc MonitorApi.getSummary} */
  async getSummary(): Promise<JobSummaryResponse> {
    return this.call('getSummary');
  }

  /** {@inheritDoc MonitorApi.acknowledge} */
  async acknowledge(jobKey: string, comment: string): Promise<Job> {
    const body: AcknowledgeRequest = { comment };
    const { job } = await this.call('acknowledgeJob', {
      params: { jobKey },
      body,
    });
    return job;
  }

  /** {@inheritDoc MonitorApi.clearAcknowledgement} */
  async clearAcknowledgement(jobKey: string): Promise<Job> {
    const { job } = await this.call('clearAcknowledgement', {
      params: { jobKey },
    });
    return job;
  }

  /** {@inheritDoc MonitorApi.mute} */
  async mute(jobKey: string, until: Date, reason: string): Promise<Job> {
    const body: MuteRequest = { until: until.toISOString(), reason };
    const { job } = await this.call('muteJob', { params: { jobKey }, body });
    return job;
  }

  /** {@inheritDoc MonitorApi.unmute} */
  async unmute(jobKey: string): Promise<Job> {
    const { job } = await this.call('unmuteJob', { params: { jobKey } });
    return job;
  }

  /** {@inheritDoc MonitorApi.addMaintenanceWindow} */
  async addMaintenanceWindow(
    jobKey: string,
    window: { start?: Date; end: Date; reason: string },
  ): Promise<Job> {
    const body: MaintenanceWindowRequest = {
      ...(window.start && { start: window.start.toISOString() }),
      end: window.end.toISOString(),
      reason: window.reason,
    };
    const { job } = await this.call('addMaintenanceWindow', {
      params: { jobKey },
      body,
    });
    return job;
  }

  /** {@inheritDoc MonitorApi.endMaintenanceWindow} */
  async endMaintenanceWindow(jobKey: string, windowId: string): Promise<Job> {
    const { job } = await this.call('endMaintenanceWindow', {
      params: { jobKey, windowId },
    });
    return job;
  }

  /** {@inheritDoc MonitorApi.deleteJob} */
  async deleteJob(jobKey: string): Promise<void> {
    await this.call('deleteJob', { params: { jobKey } });
  }

  /** {@inheritDoc MonitorApi.getWebhookUrl} */
  async getWebhookUrl(): Promise<string> {
    return `${await this.discoveryApi.getBaseUrl('monitor')}${
      MONITOR_API.reportJob.path
    }`;
  }

  /** Calls a route of the contract and returns its answer. */
  private async call<K extends MonitorApiOperation>(
    operation: K,
    request: {
      params?: Record<string, string>;
      query?: Record<string, unknown>;
      body?: unknown;
    } = {},
  ): Promise<MonitorApiSuccessBody<K>> {
    const { method, path } = MONITOR_API[operation];
    const baseUrl = await this.discoveryApi.getBaseUrl('monitor');
    const url = `${baseUrl}${monitorApiPath(path, request.params ?? {})}${
      request.query ? queryString(request.query) : ''
    }`;
    const response = await this.fetchApi.fetch(url, {
      method: method.toUpperCase(),
      ...(request.body !== undefined
        ? {
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(request.body),
          }
        : {}),
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    if (response.status === 204) {
      return undefined as MonitorApiSuccessBody<K>;
    }
    return (await response.json()) as MonitorApiSuccessBody<K>;
  }
}
