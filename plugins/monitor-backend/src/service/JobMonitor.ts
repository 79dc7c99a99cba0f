import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
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
import { MonitorStores } from '../database/createStores';
import {
  IncomingReport,
  JobListOptions,
  JobRecord,
  RulesFor,
} from '../database/types';
import { resolveRules } from '../health';
import { ChangeNotifier } from './ChangeNotifier';
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

/** The rules each job is judged by: config's, its reports', the defaults. */
export function rulesFromSettings(settings: MonitorSettings): RulesFor {
  return job =>
    resolveRules(
      settings.jobs.get(job.jobKey),
      job.reportedExpectation ?? undefined,
      settings.defaults,
    );
}

/**
 * The monitor: turns reports into runs and health, judges jobs as time
 * passes, and tells people. The rules live in ../health; this wires them to
 * the stores, the config, the clock, the live updates and the notifier.
 */
export class JobMonitor {
  private readonly rulesFor: RulesFor;

  constructor(
    private readonly options: {
      stores: MonitorStores;
      settings: MonitorSettings;
      clock: Clock;
      announcer: JobAnnouncer;
      notifier: ChangeNotifier;
      logger: LoggerService;
    },
  ) {
    this.rulesFor = rulesFromSettings(options.settings);
  }

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
    await this.options.stores.configured.sync(
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
  async report(
    body: unknown,
  ): Promise<{ id: string; jobKey: string; retry: boolean }> {
    const now = this.options.clock.now();
    const incoming = this.validate(body, now);
    const result = await this.options.stores.writer.record(incoming, now);
    if (result.kind === 'deleted') {
      throw new JobGoneError(
        `Job '${
          incoming.jobKey
        }' was deleted at ${result.deletedAt.toISOString()}; reports of runs before that are not stored`,
      );
    }
    if (result.kind === 'stored') {
      this.options.announcer.jobChanged(incoming.jobKey, result.job);
      if (result.change) {
        this.options.notifier.poke();
      }
    }
    return {
      id: result.id,
      jobKey: incoming.jobKey,
      retry: result.kind === 'duplicate',
    };
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
    const common = {
      jobKey: report.job_key,
      title: report.title,
      runId: report.run_id,
      receivedAt: now,
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
    if (report.status === 'start') {
      return {
        ...common,
        status: 'start',
        startedAt: date(report.started_at),
      };
    }
    // The contract requires finished_at on a finish (parseJobReport).
    return {
      ...common,
      status: report.status,
      finishedAt: new Date(report.finished_at!),
      startedAt: date(report.started_at),
      durationMs: report.duration_ms,
    };
  }

  /**
   * Judges every job that time may have made late, missed or timed out,
   * through the writer of reports (a batch at a time, under the same
   * locks), and sends what notifications are left unsent.
   */
  async checkJobs(): Promise<number> {
    const { reader, writer } = this.options.stores;
    let changed = 0;
    // Every due job, a batch at a time (bounded, should time misbehave).
    for (let batch = 0; batch < MAX_CHECK_BATCHES; batch++) {
      // Reports get in between the batches (see JobWriter).
      await yieldToEventLoop();
      const now = this.options.clock.now();
      const due = await reader.dueJobKeys(now, CHECK_BATCH);
      const results = await Promise.all(due.map(key => writer.check(key, now)));
      for (const result of results) {
        if (result.kind === 'judged') {
          this.options.announcer.jobChanged(result.job.jobKey, result.job);
          if (result.change) {
            changed += 1;
          }
        }
      }
      if (due.length < CHECK_BATCH) {
        break;
      }
    }
    this.options.notifier.poke();
    return changed;
  }

  async listJobs(options: JobListOptions): Promise<JobListResponse> {
    const now = this.options.clock.now();
    const { items, totalCount } = await this.options.stores.reader.listJobs(
      options,
    );
    return { items: items.map(job => this.view(job, now)), totalCount };
  }

  private async requireJob(jobKey: string): Promise<JobRecord> {
    const job = await this.options.stores.reader.getJob(jobKey);
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
    const [page, healthChanges, attentionChanges] = await Promise.all([
      this.options.stores.reader.listRuns(jobKey, runs),
      this.options.stores.reader.listHealthChanges(
        jobKey,
        JOB_LIST_LIMITS.healthChanges,
      ),
      this.options.stores.reader.listAttentionChanges(
        jobKey,
        JOB_LIST_LIMITS.attentionChanges,
      ),
    ]);
    return {
      job: this.view(job, this.options.clock.now()),
      runs: page.runs,
      runsTotalCount: page.totalCount,
      healthChanges,
      statusChanges: healthChanges,
      attentionChanges,
    };
  }

  async summary(): Promise<JobSummaryResponse> {
    const summary = await this.options.stores.reader.summary(
      this.options.clock.now(),
    );
    return {
      attentionCount: summary.failingUnattended,
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
      await this.options.stores.attention.acknowledge(
        jobKey,
        { by, comment },
        now,
      ),
      jobKey,
      now,
    );
  }

  async clearAcknowledgement(jobKey: string, by: string): Promise<Job> {
    const now = this.options.clock.now();
    return this.changed(
      await this.options.stores.attention.clearAcknowledgement(jobKey, by, now),
      jobKey,
      now,
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
      await this.options.stores.attention.mute(
        jobKey,
        { by, until, reason },
        now,
      ),
      jobKey,
      now,
    );
  }

  async unmute(jobKey: string, by: string): Promise<Job> {
    const now = this.options.clock.now();
    return this.changed(
      await this.options.stores.attention.unmute(jobKey, by, now),
      jobKey,
      now,
    );
  }

  async deleteJob(jobKey: string, by: string): Promise<void> {
    const now = this.options.clock.now();
    if (!(await this.options.stores.attention.deleteJob(jobKey, by, now))) {
      throw new NotFoundError(`No job with the key '${jobKey}'`);
    }
    this.options.announcer.jobChanged(jobKey, undefined);
  }

  private async changed(
    job: JobRecord | undefined,
    jobKey: string,
    now: Date,
  ): Promise<Job> {
    if (!job) {
      throw new NotFoundError(`No job with the key '${jobKey}'`);
    }
    this.options.announcer.jobChanged(jobKey, job);
    return this.view(job, now);
  }
}
