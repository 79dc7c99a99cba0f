import {
  AttentionChange,
  isMuteActive,
  Job,
  JOB_HEALTHS,
  JobBaseline,
  JobDetailResponse,
  JobHealth,
  JobListResponse,
  JobRun,
  HealthChange,
  JobSummaryResponse,
  needsAttention,
} from '@tc-portal/plugin-monitor-common';
import { ResponseError } from '@backstage/errors';
import { MonitorApi } from '../api';

/**
 * A MonitorApi over jobs held in memory, for component tests. It neither
 * filters, sorts nor pages: that is the backend's, tested over HTTP in
 * monitor-backend. `listJobs` answers with every job it holds; a test that
 * needs another answer gives it (`jest.spyOn(api, 'listJobs')`) and checks
 * the query the component sent. It counts jobs by the product's own rules
 * and records the actions it was asked to do.
 */
export class InMemoryMonitorApi implements MonitorApi {
  runs: Record<string, JobRun[]> = {};
  healthChanges: Record<string, HealthChange[]> = {};
  attentionChanges: Record<string, AttentionChange[]> = {};
  /** The owners of each job, as the job's page reads them. */
  jobOwners: Record<string, string[]> = {};
  /** How long each job's runs usually take, as its page reads it. */
  baselines: Record<string, JobBaseline> = {};
  actions: string[] = [];
  /** The version of the data its answers carry. */
  version = '1';

  constructor(public jobs: Job[]) {}

  async listJobs(): Promise<JobListResponse> {
    return aPage(this.jobs, this.jobs.length, this.version);
  }

  async getJob(jobKey: string): Promise<JobDetailResponse> {
    const job = this.jobs.find(j => j.jobKey === jobKey);
    if (!job) {
      const notFound = new Response(null, { status: 404 });
      throw await ResponseError.fromResponse(notFound as any);
    }
    const runs = this.runs[jobKey] ?? [];
    return {
      job,
      runs,
      runsTotalCount: runs.length,
      baseline: this.baselines[jobKey] ?? null,
      owners: this.jobOwners[jobKey] ?? [],
      healthChanges: this.healthChanges[jobKey] ?? [],
      attentionChanges: this.attentionChanges[jobKey] ?? [],
      version: this.version,
    };
  }

  async getSummary(): Promise<JobSummaryResponse> {
    const now = new Date();
    const count = (test: (job: Job) => unknown) =>
      this.jobs.filter(test).length;
    const byHealth = JOB_HEALTHS.map(h => [h, count(j => j.health === h)]);
    return {
      attentionCount: count(job => needsAttention(job, now)),
      totalCount: this.jobs.length,
      byHealth: Object.fromEntries(byHealth) as Record<JobHealth, number>,
      acknowledgedCount: count(job => job.acknowledgement),
      mutedCount: count(job => isMuteActive(job.mute, now)),
      version: this.version,
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

  async addMaintenanceWindow(
    jobKey: string,
    window: { start?: Date; end: Date; reason: string },
  ) {
    const start = (window.start ?? new Date()).toISOString();
    const end = window.end.toISOString();
    this.actions.push(
      `maintenance ${jobKey} ${window.start ? start : 'now'} to ${end}: ${
        window.reason
      }`,
    );
    const job = this.jobs.find(j => j.jobKey === jobKey)!;
    return this.update(jobKey, {
      maintenance: window.start
        ? job.maintenance
        : { until: end, reason: window.reason },
      maintenanceWindows: [
        ...job.maintenanceWindows,
        {
          id: `w${job.maintenanceWindows.length + 1}`,
          start,
          end,
          reason: window.reason,
          by: 'user:default/guest',
        },
      ],
    });
  }

  async endMaintenanceWindow(jobKey: string, windowId: string) {
    this.actions.push(`end maintenance ${jobKey} ${windowId}`);
    const job = this.jobs.find(j => j.jobKey === jobKey)!;
    return this.update(jobKey, {
      maintenance: null,
      maintenanceWindows: job.maintenanceWindows.filter(w => w.id !== windowId),
    });
  }

  async deleteJob(jobKey: string) {
    this.actions.push(`delete ${jobKey}`);
    this.jobs = this.jobs.filter(j => j.jobKey !== jobKey);
  }

  async getWebhookUrl() {
    return 'http://portal.test/api/monitor/job-report';
  }
}

/** A page of jobs as `listJobs` answers it, with the count of them all. */
export function aPage(
  items: Job[],
  totalCount = items.length,
  version = '1',
): JobListResponse {
  return { items, totalCount, version };
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
    entitySource: null,
    acknowledgement: null,
    mute: null,
    maintenance: null,
    maintenanceWindows: [],
    schedule: null,
    failureThreshold: 1,
    recoveryThreshold: 1,
    nextExpectedAt: null,
    durationMs: 1500,
    recentOutcomes: outcome ? [outcome] : [],
    latestWarnings: [],
    upstream: null,
    dependsOn: [],
    finishedAt: '2024-01-25T10:00:00.000Z',
    receivedAt: '2024-01-25T10:00:01.000Z',
    message: '処理完了',
    ...overrides,
    latestOutcome: outcome,
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
    warnings: [],
    ...overrides,
  };
}
