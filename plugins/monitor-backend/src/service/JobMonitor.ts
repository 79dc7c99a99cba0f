import { createHash } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  expectationFromReportSchedule,
  Job,
  JOB_HEALTHS,
  JOB_LIST_LIMITS,
  JobDetailResponse,
  JobHealth,
  JobListResponse,
  JobSummaryResponse,
  parseJobReport,
} from '@tc-portal/plugin-monitor-common';
import { MonitorSettings } from '../config';
import {
  IncomingReport,
  JobListOptions,
  JobRecord,
  JobStore,
} from '../database/types';
import { resolveRules } from '../health';
import { Clock } from './clock';
import { JobAnnouncer } from './JobAnnouncer';
import { JobGoneError } from './errors';
import { toJobView } from './jobView';
import { truncateMessage } from '../report/truncateMessage';

/**
 * How far in the future a reported time may be. A run that claims to finish
 * later than this comes from a clock that is wrong; stored, it would hide
 * every later report of its job.
 */
export const MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;

/** How many jobs the check judges per batch, and how many batches a run. */
const CHECK_BATCH = 200;
const MAX_CHECK_BATCHES = 500;

/**
 * The monitor: turns reports into runs and health, judges jobs as time
 * passes, and tells people. The rules live in ../health; this wires them to
 * the store, the config, the clock and the announcer.
 */
export class JobMonitor {
  constructor(
    private readonly options: {
      store: JobStore;
      settings: MonitorSettings;
      clock: Clock;
      announcer: JobAnnouncer;
      logger: LoggerService;
    },
  ) {}

  private readonly rulesFor = (job: {
    jobKey: string;
    reportedExpectation: JobRecord['reportedExpectation'];
  }) =>
    resolveRules(
      this.options.settings.jobs.get(job.jobKey),
      job.reportedExpectation ?? undefined,
      this.options.settings.defaults,
    );

  private view(job: JobRecord, now: Date): Job {
    return toJobView(job, this.rulesFor(job), now);
  }

  /** Makes the configured jobs known, so that silence from them is noticed. */
  async start(): Promise<void> {
    const now = this.options.clock.now();
    const { defaults, defaultTimezone, jobs } = this.options.settings;
    // What config says about health: when it is the same as at the last
    // start, no verdict can have changed and the jobs need no new judging.
    const rulesFingerprint = createHash('sha256')
      .update(JSON.stringify({ defaults, defaultTimezone, jobs: [...jobs] }))
      .digest('hex');
    await this.options.store.syncConfiguredJobs(
      [...jobs].map(([jobKey, job]) => ({
        jobKey,
        title: job.title ?? jobKey,
        entityRef: job.entityRef,
      })),
      now,
      rulesFingerprint,
    );
  }

  /**
   * Stores a report sent to the webhook. Throws InputError naming every bad
   * field, JobGoneError for a run of a deleted job.
   */
  async report(body: unknown): Promise<{ id: string; jobKey: string }> {
    const now = this.options.clock.now();
    const incoming = this.validate(body, now);
    const result = await this.options.store.recordReport(incoming, {
      now,
      rulesFor: this.rulesFor,
    });
    if (result.kind === 'deleted') {
      throw new JobGoneError(
        `Job '${
          incoming.jobKey
        }' was deleted at ${result.deletedAt.toISOString()}; reports of runs before that are not stored`,
      );
    }
    if (result.kind === 'stored') {
      await this.options.announcer.jobChanged(
        incoming.jobKey,
        result.job,
        result.change,
        now,
      );
    }
    return { id: result.id, jobKey: incoming.jobKey };
  }

  private validate(body: unknown, now: Date): IncomingReport {
    const parsed = parseJobReport(body);
    const problems = parsed.success ? [] : [...parsed.problems];
    if (parsed.success) {
      const report = parsed.report;
      for (const field of ['finished_at', 'started_at'] as const) {
        const value = report[field];
        if (
          value !== undefined &&
          new Date(value).getTime() - now.getTime() > MAX_CLOCK_AHEAD_MS
        ) {
          problems.push({
            field,
            message: `is more than 24 hours after the portal's clock (${now.toISOString()}); check the reporting machine's clock`,
          });
        }
      }
    }
    if (!parsed.success || problems.length > 0) {
      throw new InputError(
        `Invalid job report: ${problems
          .map(p => `${p.field} ${p.message}`)
          .join('; ')}`,
      );
    }
    const report = parsed.report;
    const configured = this.options.settings.jobs.get(report.job_key);
    const date = (value?: string) =>
      value === undefined ? undefined : new Date(value);
    return {
      jobKey: report.job_key,
      title: report.title,
      status: report.status,
      runId: report.run_id,
      startedAt: date(report.started_at),
      finishedAt: date(report.finished_at),
      receivedAt: now,
      durationMs: report.duration_ms,
      exitCode: report.exit_code,
      host: report.host,
      message:
        report.message === null || report.message === undefined
          ? null
          : truncateMessage(
              // PostgreSQL text cannot hold NUL characters.
              report.message.replaceAll('\u0000', '\uFFFD'),
              this.options.settings.limits.maxMessageLength,
            ),
      entityRef: configured?.entityRef ?? report.entity_ref,
      expectation: report.schedule
        ? expectationFromReportSchedule(
            report.schedule,
            this.options.settings.defaultTimezone,
          )
        : undefined,
    };
  }

  /** Judges every job that time may have made late, missed or timed out. */
  async checkJobs(): Promise<number> {
    let changed = 0;
    // Every due job, a batch at a time (bounded, should time misbehave).
    for (let batch = 0; batch < MAX_CHECK_BATCHES; batch++) {
      const now = this.options.clock.now();
      const { judged, changes } = await this.options.store.judgeDueJobs({
        now,
        rulesFor: this.rulesFor,
        limit: CHECK_BATCH,
      });
      for (const { change, job } of changes) {
        await this.options.announcer.jobChanged(
          change.jobKey,
          job,
          change,
          now,
        );
      }
      changed += changes.length;
      if (judged < CHECK_BATCH) {
        break;
      }
    }
    return changed;
  }

  async pruneHistory() {
    const { retention } = this.options.settings;
    const pruned = await this.options.store.pruneHistory({
      now: this.options.clock.now(),
      maxRunsPerJob: retention.maxRunsPerJob,
      maxAgeMs: retention.maxAgeMs,
      batchSize: 500,
    });
    if (pruned.runs || pruned.statusChanges) {
      this.options.logger.info(
        `Pruned ${pruned.runs} runs and ${pruned.statusChanges} status changes`,
      );
    }
    return pruned;
  }

  async listJobs(options: JobListOptions): Promise<JobListResponse> {
    const now = this.options.clock.now();
    const { items, totalCount } = await this.options.store.listJobs(
      options,
      now,
    );
    return { items: items.map(job => this.view(job, now)), totalCount };
  }

  private async requireJob(jobKey: string): Promise<JobRecord> {
    const job = await this.options.store.getJob(jobKey);
    if (!job) {
      throw new NotFoundError(`No job with the key '${jobKey}'`);
    }
    return job;
  }

  async getJob(
    jobKey: string,
    runs: { limit: number; offset: number },
  ): Promise<JobDetailResponse> {
    const job = await this.requireJob(jobKey);
    const [page, statusChanges] = await Promise.all([
      this.options.store.listRuns(jobKey, runs),
      this.options.store.listStatusChanges(
        jobKey,
        JOB_LIST_LIMITS.statusChanges,
      ),
    ]);
    return {
      job: this.view(job, this.options.clock.now()),
      runs: page.runs,
      runsTotalCount: page.totalCount,
      statusChanges,
    };
  }

  async summary(): Promise<JobSummaryResponse> {
    const summary = await this.options.store.summary(this.options.clock.now());
    return {
      errorCount: summary.failingUnattended,
      totalCount: summary.total,
      byHealth: Object.fromEntries(
        JOB_HEALTHS.map(health => [health, summary.byHealth[health] ?? 0]),
      ) as Record<JobHealth, number>,
      acknowledgedCount: summary.acknowledged,
      mutedCount: summary.muted,
    };
  }

  /** Refused (409) unless the job is failing when the store writes it. */
  async acknowledge(jobKey: string, by: string, comment: string): Promise<Job> {
    const now = this.options.clock.now();
    return this.changed(
      await this.options.store.acknowledge(jobKey, { by, comment }, now),
      jobKey,
      now,
    );
  }

  async clearAcknowledgement(jobKey: string): Promise<Job> {
    return this.changed(
      await this.options.store.clearAcknowledgement(jobKey),
      jobKey,
      this.options.clock.now(),
    );
  }

  async mute(
    jobKey: string,
    by: string,
    until: Date,
    reason: string,
  ): Promise<Job> {
    const now = this.options.clock.now();
    if (until <= now) {
      throw new InputError('Invalid mute: until must be in the future');
    }
    return this.changed(
      await this.options.store.mute(jobKey, { by, until, reason }, now),
      jobKey,
      now,
    );
  }

  async unmute(jobKey: string): Promise<Job> {
    return this.changed(
      await this.options.store.unmute(jobKey),
      jobKey,
      this.options.clock.now(),
    );
  }

  async deleteJob(jobKey: string, by: string): Promise<void> {
    const now = this.options.clock.now();
    if (!(await this.options.store.deleteJob(jobKey, by, now))) {
      throw new NotFoundError(`No job with the key '${jobKey}'`);
    }
    await this.options.announcer.jobChanged(jobKey, undefined, undefined, now);
  }

  private async changed(
    job: JobRecord | undefined,
    jobKey: string,
    now: Date,
  ): Promise<Job> {
    if (!job) {
      throw new NotFoundError(`No job with the key '${jobKey}'`);
    }
    await this.options.announcer.jobChanged(jobKey, job, undefined, now);
    return this.view(job, now);
  }
}
