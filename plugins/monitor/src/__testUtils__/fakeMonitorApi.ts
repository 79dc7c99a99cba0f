import {
  FAILING_HEALTHS,
  Job,
  JOB_HEALTHS,
  JobHealth,
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
    return { job, runs: [], runsTotalCount: 0, statusChanges: [] };
  }

  async getSummary(): Promise<JobSummaryResponse> {
    const byHealth = Object.fromEntries(
      JOB_HEALTHS.map(health => [
        health,
        this.jobs.filter(j => j.health === health).length,
      ]),
    ) as Record<JobHealth, number>;
    return {
      errorCount: this.jobs.filter(
        j =>
          FAILING_HEALTHS.includes(j.health) && !j.acknowledgement && !j.mute,
      ).length,
      totalCount: this.jobs.length,
      byHealth,
      acknowledgedCount: this.jobs.filter(j => j.acknowledgement).length,
      mutedCount: this.jobs.filter(j => j.mute).length,
    };
  }
}

export function aJob(overrides: Partial<Job> = {}): Job {
  const status = overrides.status ?? 'success';
  return {
    jobKey: 'daily-price-sync',
    title: '価格同期処理',
    health: status === 'success' ? 'ok' : status,
    healthSince: '2024-01-25T10:00:01.000Z',
    healthReason: null,
    entityRef: null,
    acknowledgement: null,
    mute: null,
    schedule: null,
    nextExpectedAt: null,
    durationMs: 1500,
    recentOutcomes: [status],
    status,
    finishedAt: '2024-01-25T10:00:00.000Z',
    receivedAt: '2024-01-25T10:00:01.000Z',
    message: '処理完了',
    lastRunId: '00000000-0000-4000-8000-000000000000',
    ...overrides,
  };
}
