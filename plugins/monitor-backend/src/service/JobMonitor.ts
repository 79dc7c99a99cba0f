import { createHash } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  EntityStatsQuery,
  EntityStatsResponse,
  JOB_LIST_LIMITS,
  JobDetailResponse,
  JobListResponse,
  JobSummaryResponse,
} from '@tc-portal/plugin-monitor-common';
import { LoggerService } from '@backstage/backend-plugin-api';
import { JobOwnership } from '../catalog/JobOwnership';
import { jobConfigOf, MonitorSettings } from '../config';
import { MonitorStores } from '../database/createStores';
import { JobListOptions } from '../database/types';
import { BASELINE_RUNS, baselineOf } from '../health/baseline';
import { rulesOf } from '../health/decide';
import { JobRecord } from '../health/types';
import { toIncomingReport } from '../report/incomingReport';
import { ChangeNotifier } from './ChangeNotifier';
import { entityStatsOf } from './entityStats';
import { Clock } from './clock';
import { JobGoneError } from './errors';
import { JobAnnouncer } from './JobAnnouncer';
import { jobViewer } from './jobView';
import { MaintenanceWindows } from './MaintenanceWindows';

/** How many jobs the check judges per batch, and how many batches a run. */
const CHECK_BATCH = 200;
const MAX_CHECK_BATCHES = 500;

/**
 * The monitor: takes reports, judges jobs as time passes, links them to
 * the catalog, and reads them for the page. What a report or a check means
 * is the decision core's (../health); this feeds it the clock and config,
 * and tells open pages and the notifier when something changed.
 */
export class JobMonitor {
  private readonly view: ReturnType<typeof jobViewer>;
  private readonly configOf: ReturnType<typeof jobConfigOf>;

  constructor(
    private readonly options: {
      stores: MonitorStores;
      settings: MonitorSettings;
      clock: Clock;
      announcer: JobAnnouncer;
      notifier: ChangeNotifier;
      ownership: JobOwnership;
      maintenance: MaintenanceWindows;
      logger: LoggerService;
    },
  ) {
    this.configOf = jobConfigOf(options.settings, options.maintenance.current);
    this.view = jobViewer(this.configOf);
  }

  /** Makes the configured jobs known, so that silence from them is noticed. */
  async start(): Promise<void> {
    const now = this.options.clock.now();
    const { defaults, defaultTimezone, jobs, maintenance } =
      this.options.settings;
    // What config says about health: when it is the same as at the last
    // start, no verdict can have changed and the jobs need no new judging.
    const rulesFingerprint = createHash('sha256')
      .update(
        JSON.stringify({
          defaults,
          defaultTimezone,
          jobs: [...jobs],
          maintenance,
        }),
      )
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
    const { defaultTimezone, limits } = this.options.settings;
    const incoming = toIncomingReport(body, now, {
      defaultTimezone,
      maxMessageLength: limits.maxMessageLength,
    });
    const result = await this.options.stores.writer.record(incoming, now);
    if (result.kind === 'deleted') {
      throw new JobGoneError(
        `Job '${
          incoming.jobKey
        }' was deleted at ${result.deletedAt.toISOString()}; reports of runs before that are not stored`,
      );
    }
    if (result.kind === 'stored') {
      this.options.announcer.jobsChanged();
      if (result.noticed) {
        this.options.notifier.poke();
      }
    }
    return {
      id: result.id,
      jobKey: incoming.jobKey,
      retry: result.kind === 'duplicate',
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
      // Reports get in between the batches (see WriteQueue).
      await yieldToEventLoop();
      const now = this.options.clock.now();
      const due = await reader.dueJobKeys(now, CHECK_BATCH);
      const results = await Promise.all(due.map(key => writer.check(key, now)));
      // Open pages hear of the jobs whose health the passing of time changed.
      for (const result of results) {
        if (result.kind === 'judged' && result.change) {
          this.options.announcer.jobsChanged();
          changed += 1;
        }
      }
      if (due.length < CHECK_BATCH) {
        break;
      }
    }
    this.options.notifier.poke();
    return changed;
  }

  /**
   * Judges one job at once, as the check does (after a person changed its
   * maintenance windows); undefined when there is no such job.
   */
  async judge(jobKey: string, now: Date): Promise<JobRecord | undefined> {
    const result = await this.options.stores.writer.check(jobKey, now);
    if (result.kind !== 'judged') {
      return undefined;
    }
    if (result.noticed) {
      this.options.notifier.poke();
    }
    return result.job;
  }

  /**
   * Reads the jobs that catalog entities name in their annotation and links
   * each to its entity. Returns how many jobs changed entity.
   */
  async linkCatalogJobs(): Promise<number> {
    const { catalogLinks } = this.options.stores;
    const now = this.options.clock.now();
    const { links, declared } = await this.options.ownership.annotatedJobs();
    let changed = await catalogLinks.replace(links, declared, now);
    // The jobs of the entities each job's entity depends on: its upstream.
    changed += await catalogLinks.dependOn(
      await this.options.ownership.dependenciesOf(
        await catalogLinks.linkedEntities(),
      ),
      now,
    );
    if (changed > 0) {
      this.options.announcer.jobsChanged();
    }
    // The owners that maintenance windows name, as the catalog says now:
    // the jobs they cover may have changed, so every job is judged again.
    if (await this.options.maintenance.resolve()) {
      await this.options.stores.configured.judgeAllAt(this.options.clock.now());
    }
    return changed;
  }

  /**
   * A page of jobs. An `owner` lists the jobs it owns, worked out through
   * the catalog (not with `entityRef` or `jobKey`).
   */
  async listJobs(options: JobListOptions): Promise<JobListResponse> {
    let query = options;
    if (options.owner) {
      if (options.entityRef || options.jobKey) {
        throw new InputError(
          'Invalid query: owner cannot be combined with entityRef or jobKey',
        );
      }
      query = {
        ...options,
        ...(await this.options.ownership.linksOf(options.owner)),
      };
    }
    const now = this.options.clock.now();
    // The version first: what is read after it holds at least as much.
    const version = await this.options.stores.version.known();
    const { items, totalCount } = await this.options.stores.reader.listJobs(
      query,
      now,
    );
    return {
      items: items.map(job => this.view(job, now)),
      totalCount,
      version,
    };
  }

  async getJob(
    jobKey: string,
    runs: { limit: number; offset: number },
  ): Promise<JobDetailResponse> {
    const { reader } = this.options.stores;
    const version = await this.options.stores.version.known();
    const job = await reader.getJob(jobKey);
    if (!job) {
      throw new NotFoundError(`No job with the key '${jobKey}'`);
    }
    const rules = rulesOf(job, this.configOf(jobKey));
    const [page, finished, healthChanges, attentionChanges, owners] =
      await Promise.all([
        reader.listRuns(jobKey, runs),
        reader.latestFinishedRuns(jobKey, BASELINE_RUNS, rules),
        reader.listHealthChanges(jobKey, JOB_LIST_LIMITS.healthChanges),
        reader.listAttentionChanges(jobKey, JOB_LIST_LIMITS.attentionChanges),
        this.ownersOf(job),
      ]);
    const baseline = baselineOf(finished);
    return {
      job: this.view(job, this.options.clock.now()),
      runs: page.runs,
      runsTotalCount: page.totalCount,
      baseline: baseline ? { ...baseline, slowFactor: rules.slowFactor } : null,
      healthChanges,
      version,
      owners,
      attentionChanges,
    };
  }

  /** The job's owners; null when the catalog cannot be read now. */
  private async ownersOf(job: JobRecord): Promise<string[] | null> {
    try {
      const owners = await this.options.ownership.ownersOfJobs([job]);
      return owners.get(job.jobKey) ?? [];
    } catch (error) {
      this.options.logger.warn(
        `Could not read the owners of job '${job.jobKey}' from the catalog: ${error}`,
      );
      return null;
    }
  }

  /**
   * Per entity, its jobs' health now and their runs and acknowledgements
   * since a time: what scorecards are made of.
   */
  async entityStats(query: EntityStatsQuery): Promise<EntityStatsResponse> {
    const since = new Date(query.since);
    const now = this.options.clock.now();
    // The version first: what is read after it holds at least as much.
    const version = await this.options.stores.version.known();
    const facts = await this.options.stores.reader.entityStatsFacts(
      since,
      query.entityRef as string[] | undefined,
    );
    return {
      items: entityStatsOf(facts, now),
      since: since.toISOString(),
      version,
    };
  }

  /** The badge's count and the counts per health, from memory. */
  async summary(): Promise<JobSummaryResponse> {
    return this.options.stores.summaries.get();
  }

  /**
   * The tag of what the read API shows now (the data's version): an
   * answer with it need not be read again.
   */
  etag(): Promise<string> {
    return this.options.stores.summaries.etag();
  }
}
