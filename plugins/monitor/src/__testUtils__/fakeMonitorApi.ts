import {
  Job,
  JobDetailResponse,
  JobListQuery,
  JobListResponse,
  JobSummaryResponse,
} from '@tc-portal/plugin-monitor-common';
import { MonitorApi } from '../api';

/**
 * An in-memory MonitorApi for component tests: it answers from the jobs it
 * holds, paging and filtering as the backend does.
 */
export class InMemoryMonitorApi implements MonitorApi {
  constructor(public jobs: Job[]) {}

  async listJobs(query: JobListQuery = {}): Promise<JobListResponse> {
    const matching = this.jobs.filter(
      job => !query.status || job.status === query.status,
    );
    const offset = Number(query.offset ?? 0);
    const limit = Number(query.limit ?? 100);
    return {
      items: matching.slice(offset, offset + limit),
      totalCount: matching.length,
    };
  }

  async getJob(jobKey: string): Promise<JobDetailResponse> {
    const job = this.jobs.find(j => j.jobKey === jobKey);
    if (!job) {
      throw new Error(`No job ${jobKey}`);
    }
    return { job, runs: [] };
  }

  async getSummary(): Promise<JobSummaryResponse> {
    return {
      errorCount: this.jobs.filter(j => j.status === 'error').length,
      totalCount: this.jobs.length,
    };
  }
}

export function aJob(overrides: Partial<Job> = {}): Job {
  return {
    jobKey: 'daily-price-sync',
    title: '価格同期処理',
    status: 'success',
    finishedAt: '2024-01-25T10:00:00.000Z',
    receivedAt: '2024-01-25T10:00:01.000Z',
    message: '処理完了',
    lastRunId: '00000000-0000-4000-8000-000000000000',
    ...overrides,
  };
}
