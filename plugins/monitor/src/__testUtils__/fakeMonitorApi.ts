import {
  AttentionChange,
  FAILING_HEALTHS,
  Job,
  JOB_HEALTHS,
  JobDetailQuery,
  JobDetailResponse,
  JobHealth,
  JobListQuery,
  JobListResponse,
  JobRun,
  HealthChange,
  JobSummaryResponse,
} from '@tc-portal/plugin-monitor-common';
import { ResponseError } from '@backstage/errors';
import { MonitorApi } from '../api';

const list = (value: unknown): string[] | undefined => {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : String(value).split(','))
    .map(String)
    .filter(Boolean);
};

/**
 * A MonitorApi over jobs held in memory, for component tests: it filters,
 * sorts and pages as the backend does, and records what it was asked to do.
 */
export class InMemoryMonitorApi implements MonitorApi {
  runs: Record<string, JobRun[]> = {};
  healthChanges: Record<string, HealthChange[]> = {};
  attentionChanges: Record<string, AttentionChange[]> = {};
  /** The job keys of each owner, as the backend works them out. */
  owners: Record<string, string[]> = {};
  actions: string[] = [];

  constructor(public jobs: Job[]) {}

  async listJobs(query: JobListQuery = {}): Promise<JobListResponse> {
    const health = list(query.health);
    const entityRefs = list(query.entityRef);
    const jobKeys = list(query.jobKey);
    const owned = query.owner ? this.owners[query.owner] ?? [] : undefined;
    const linked = entityRefs !== undefined || jobKeys !== undefined;
    const q = query.q?.toLowerCase();
    const matching = this.jobs.filter(
      job =>
        (!health || health.includes(job.health)) &&
        (!owned || owned.includes(job.jobKey)) &&
        (!linked ||
          (job.entityRef !== null && entityRefs?.includes(job.entityRef)) ||
          jobKeys?.includes(job.jobKey)) &&
        (!q ||
          job.jobKey.toLowerCase().includes(q) ||
          job.title.toLowerCase().includes(q)),
    );
    if (query.sort === 'name') {
      matching.sort((a, b) => a.title.localeCompare(b.title));
    }
    const offset = Number(query.offset ?? 0);
    const limit = Number(query.limit ?? 100);
    return {
      items: matching.slice(offset, offset + limit),
      totalCount: matching.length,
    };
  }

  async getJob(
    jobKey: string,
    query: JobDetailQuery = {},
  ): Promise<JobDetailResponse> {
    const job = this.jobs.find(j => j.jobKey === jobKey);
    if (!job) {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'NotFoundError', message: `No job ${jobKey}` },
            request: { method: 'GET', url: `/jobs/${jobKey}` },
            response: { statusCode: 404 },
          }),
          { status: 404, headers: { 'Content-Type': 'application/json' } },
        ) as any,
      );
    }
    const runs = this.runs[jobKey] ?? [];
    const offset = Number(query.runsOffset ?? 0);
    const limit = Number(query.runsLimit ?? 50);
    return {
      job,
      runs: runs.slice(offset, offset + limit),
      runsTotalCount: runs.length,
      healthChanges: this.healthChanges[jobKey] ?? [],
      statusChanges: this.healthChanges[jobKey] ?? [],
      attentionChanges: this.attentionChanges[jobKey] ?? [],
    };
  }

  async getSummary(): Promise<JobSummaryResponse> {
    const byHealth = Object.fromEntries(
      JOB_HEALTHS.map(health => [
        health,
        this.jobs.filter(j => j.health === health).length,
      ]),
    ) as Record<JobHealth, number>;
    // As the backend counts: a mute holds until its time.
    const muted = (job: Job) =>
      job.mute !== null && Date.parse(job.mute.until) > Date.now();
    const attentionCount = this.jobs.filter(
      j =>
        FAILING_HEALTHS.includes(j.health) && !j.acknowledgement && !muted(j),
    ).length;
    return {
      attentionCount,
      errorCount: attentionCount,
      totalCount: this.jobs.length,
      byHealth,
      acknowledgedCount: this.jobs.filter(j => j.acknowledgement).length,
      mutedCount: this.jobs.filter(muted).length,
    };
  }

  private update(jobKey: string, changes: Partial<Job>): Job {
    const index = this.jobs.findIndex(j => j.jobKey === jobKey);
    this.jobs[index] = { ...this.jobs[index], ...changes };
    return this.jobs[index];
  }

  async acknowledge(jobKey: string, comment: string) {
    this.actions.push(`acknowledge ${jobKey}: ${comment}`);
    return this.update(jobKey, {
      acknowledgement: { by: 'user:default/guest', at: '', comment },
    });
  }

  async clearAcknowledgement(jobKey: string) {
    this.actions.push(`clear acknowledgement ${jobKey}`);
    return this.update(jobKey, { acknowledgement: null });
  }

  async mute(jobKey: string, until: Date, reason: string) {
    this.actions.push(`mute ${jobKey} until ${until.toISOString()}: ${reason}`);
    return this.update(jobKey, {
      mute: {
        by: 'user:default/guest',
        at: '',
        until: until.toISOString(),
        reason,
      },
    });
  }

  async unmute(jobKey: string) {
    this.actions.push(`unmute ${jobKey}`);
    return this.update(jobKey, { mute: null });
  }

  async deleteJob(jobKey: string) {
    this.actions.push(`delete ${jobKey}`);
    this.jobs = this.jobs.filter(j => j.jobKey !== jobKey);
  }

  async getWebhookUrl() {
    return 'http://portal.test/api/monitor/job-report';
  }
}

export function aJob(overrides: Partial<Job> = {}): Job {
  const outcome =
    overrides.latestOutcome === undefined ? 'success' : overrides.latestOutcome;
  return {
    jobKey: 'daily-price-sync',
    title: '価格同期処理',
    health: outcome === 'success' || outcome === null ? 'ok' : outcome,
    healthSince: '2024-01-25T10:00:01.000Z',
    healthReason: null,
    healthReasonDetail: null,
    entityRef: null,
    acknowledgement: null,
    mute: null,
    schedule: null,
    failureThreshold: 1,
    recoveryThreshold: 1,
    nextExpectedAt: null,
    durationMs: 1500,
    recentOutcomes: outcome ? [outcome] : [],
    finishedAt: '2024-01-25T10:00:00.000Z',
    receivedAt: '2024-01-25T10:00:01.000Z',
    message: '処理完了',
    ...overrides,
    latestOutcome: outcome,
    status: outcome,
  };
}

export function aRun(overrides: Partial<JobRun> = {}): JobRun {
  return {
    id: `run-${Math.random().toString(36).slice(2)}`,
    runId: null,
    jobKey: 'daily-price-sync',
    title: '価格同期処理',
    status: 'success',
    startedAt: '2024-01-25T09:59:58.500Z',
    finishedAt: '2024-01-25T10:00:00.000Z',
    receivedAt: '2024-01-25T10:00:01.000Z',
    durationMs: 1500,
    exitCode: 0,
    host: 'batch-01',
    message: null,
    ...overrides,
  };
}
