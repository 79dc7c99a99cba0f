import {
  AttentionChange,
  FAILING_HEALTHS,
  isFailingHealth,
  JOB_HEALTHS,
  JobHealth,
  JobRun,
  HealthChange,
} from '@tc-portal/plugin-monitor-common';
import { Knex } from 'knex';
import {
  attentionChangeFromRow,
  AttentionChangeRow,
  jobFromRow,
  JobRow,
  healthChangeFromRow,
  HealthChangeRow,
  toDate,
} from './rows';
import { recentRunFromRow, runFromRow, RunRow } from './runRows';
import { JobRecord } from '../health/types';
import type { HealthRules } from '../health/evaluateHealth';
import type { RecentRun } from '../health/runFacts';
import { SummaryFacts } from './summaryFacts';
import { isPostgres, whereDependsOnAny } from './dialect';
import { readJobCounts } from './JobCounts';
import { EntityStatsFacts, loadEntityStatsFacts } from './entityStats';
import { JobListOptions } from './types';

/** Escapes a text for a LIKE pattern with `\` as the escape character. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, c => `\\${c}`)}%`;
}

const HEALTH_RANK_SQL = `case health ${[...JOB_HEALTHS]
  .reverse()
  .map((health, rank) => `when '${health}' then ${rank}`)
  .join(' ')} end`;

/**
 * Jobs that need attention at `now`: the SQL of the common package's
 * `needsAttention` (failing, not because of an upstream job, acknowledged
 * by nobody, not muted, in no maintenance), which a
 * property test of the stores ties it to. The badge counts them, and
 * `attention=true` lists them.
 */
function needsAttention(query: Knex.QueryBuilder, now: Date) {
  // The health index finds the few failing rows; the rest reads them.
  query
    .whereIn('health', FAILING_HEALTHS as JobHealth[])
    .whereNull('upstream_job_key')
    .whereNull('acknowledged_at')
    .where(q => q.whereNull('muted_until').orWhere('muted_until', '<=', now))
    .where(q =>
      q.whereNull('maintenance_until').orWhere('maintenance_until', '<=', now),
    );
}

/** A condition a list puts on jobs. */
type JobFilter = (query: Knex.QueryBuilder) => void;

// Jobs that never finished a run sort last, whatever the order. (knex's own
// "nulls last" loses the column's order on SQLite.)
const NULLS_LAST = '(finished_at is null) asc';

/**
 * Reads jobs, their runs and their changes of health, for the page, the
 * badge and the check: reads only, no transaction.
 */
export class JobReader {
  constructor(private readonly db: Knex) {}

  /** The keys of jobs whose verdict the passing of time may have changed. */
  async dueJobKeys(now: Date, limit: number): Promise<string[]> {
    return this.db<JobRow>('jobs')
      .where('next_check_at', '<=', now)
      .orderBy('next_check_at')
      .limit(limit)
      .pluck('job_key');
  }

  /**
   * The conditions a list's options put on jobs, one for each filter given:
   * none means every job.
   */
  private filtersOf(options: JobListOptions, now: Date): JobFilter[] {
    const filters: JobFilter[] = [];
    if (options.attention === true) {
      filters.push(query => query.where(q => needsAttention(q, now)));
    } else if (options.attention === false) {
      filters.push(query => query.whereNot(q => needsAttention(q, now)));
    }
    const { health, latestOutcome, entityRef, jobKey, unlinked } = options;
    if (health?.length) {
      filters.push(query => query.whereIn('health', health));
    }
    if (latestOutcome) {
      filters.push(query => query.where('latest_outcome', latestOutcome));
    }
    // Given but empty, a list matches no job.
    if (entityRef !== undefined || jobKey !== undefined || unlinked) {
      filters.push(query =>
        query.where(linked => {
          linked.whereIn('entity_ref', entityRef ?? []);
          linked.orWhereIn('job_key', jobKey ?? []);
          if (unlinked) {
            linked.orWhereNull('entity_ref');
          }
        }),
      );
    }
    const { dependsOn, q: text } = options;
    if (dependsOn !== undefined) {
      filters.push(query => whereDependsOnAny(query, this.db, dependsOn));
    }
    if (text) {
      filters.push(query => this.whereTextIn(query, text));
    }
    return filters;
  }

  /**
   * Jobs whose key or title holds `text`, ignoring case: through the
   * trigram index for three characters or more (SQLite's FTS5 table; on
   * PostgreSQL, pg_trgm indexes these very expressions), by reading every
   * job for less.
   */
  private whereTextIn(query: Knex.QueryBuilder, text: string) {
    if (!isPostgres(this.db) && [...text].length >= 3) {
      query.whereIn(
        'rowid',
        this.db('jobs_search')
          .select('rowid')
          .whereRaw('jobs_search match ?', [`"${text.replaceAll('"', '""')}"`]),
      );
      return;
    }
    const pattern = likePattern(text);
    query.where(q =>
      q
        .whereRaw(`lower(job_key) like ? escape '\\'`, [pattern])
        .orWhereRaw(`lower(title) like ? escape '\\'`, [pattern]),
    );
  }

  async listJobs(
    options: JobListOptions,
    now: Date,
  ): Promise<{ items: JobRecord[]; totalCount: number }> {
    const filters = this.filtersOf(options, now);
    const filtered = this.db<JobRow>('jobs').where(query => {
      for (const filter of filters) {
        filter(query);
      }
    });
    const rows = filtered.clone().select('*');
    const order = options.order;
    switch (options.sort) {
      case 'name':
        rows.orderBy([
          { column: 'title', order: order ?? 'asc' },
          { column: 'job_key', order: order ?? 'asc' },
        ]);
        break;
      case 'health':
        rows
          .orderByRaw(`${HEALTH_RANK_SQL} ${order ?? 'asc'}`)
          .orderByRaw(NULLS_LAST)
          .orderBy('finished_at', 'desc')
          .orderBy('job_key', 'asc');
        break;
      default:
        rows
          .orderByRaw(NULLS_LAST)
          .orderBy('finished_at', order ?? 'desc')
          .orderBy('job_key', 'asc');
    }
    const [items, totalCount] = await Promise.all([
      rows.limit(options.limit).offset(options.offset),
      // Every job: as counted for the summary, not by reading them all.
      filters.length === 0
        ? readJobCounts(this.db).then(counts => counts.total)
        : filtered
            .clone()
            .count({ count: '*' })
            .then(([{ count }]) => Number(count)),
    ]);
    return {
      items: (items as JobRow[]).map(jobFromRow),
      totalCount,
    };
  }

  async getJob(jobKey: string): Promise<JobRecord | undefined> {
    const row = await this.db<JobRow>('jobs').where('job_key', jobKey).first();
    return row ? jobFromRow(row) : undefined;
  }

  /** The jobs of these keys that exist, by key: one query per 500 keys. */
  async getJobs(jobKeys: string[]): Promise<Map<string, JobRecord>> {
    const keys = [...new Set(jobKeys)];
    const jobs = new Map<string, JobRecord>();
    for (let i = 0; i < keys.length; i += 500) {
      const rows: JobRow[] = await this.db<JobRow>('jobs').whereIn(
        'job_key',
        keys.slice(i, i + 500),
      );
      for (const row of rows) {
        jobs.set(row.job_key, jobFromRow(row));
      }
    }
    return jobs;
  }

  async listRuns(
    jobKey: string,
    options: { limit: number; offset: number },
  ): Promise<{ runs: JobRun[]; totalCount: number }> {
    const [rows, [{ count }]] = await Promise.all([
      this.db<RunRow>('job_runs')
        .where('job_key', jobKey)
        // Open runs (no finish yet) first, then latest finished first.
        .orderByRaw('(finished_at is null) desc')
        .orderBy('finished_at', 'desc')
        .orderBy('received_at', 'desc')
        .limit(options.limit)
        .offset(options.offset),
      this.db<RunRow>('job_runs')
        .where('job_key', jobKey)
        .count({ count: '*' }),
    ]);
    return {
      runs: (rows as RunRow[]).map(runFromRow),
      totalCount: Number(count),
    };
  }

  /**
   * The job's latest finished runs, latest first, as the rules judge them
   * (for its baseline).
   */
  async latestFinishedRuns(
    jobKey: string,
    limit: number,
    rules: Pick<HealthRules, 'minRuntimeMs'>,
  ): Promise<RecentRun[]> {
    const rows: RunRow[] = await this.db<RunRow>('job_runs')
      .where('job_key', jobKey)
      .whereNotNull('finished_at')
      .orderBy('finished_at', 'desc')
      .orderBy('received_at', 'desc')
      .limit(limit);
    return rows.map(row => recentRunFromRow(row, rules));
  }

  /**
   * The jobs failing because this one fails (their `upstream`), by key,
   * with their entity: whom its notification also tells.
   */
  async downstreamOf(
    jobKey: string,
  ): Promise<
    Array<{ jobKey: string; title: string; entityRef: string | null }>
  > {
    const rows: Array<Pick<JobRow, 'job_key' | 'title' | 'entity_ref'>> =
      await this.db<JobRow>('jobs')
        .where('upstream_job_key', jobKey)
        .orderBy('job_key')
        .limit(50)
        .select('job_key', 'title', 'entity_ref');
    return rows.map(row => ({
      jobKey: row.job_key,
      title: row.title,
      entityRef: row.entity_ref,
    }));
  }

  async listHealthChanges(
    jobKey: string,
    limit: number,
  ): Promise<HealthChange[]> {
    const rows = await this.db<HealthChangeRow>('job_health_changes')
      .where('job_key', jobKey)
      .orderBy([
        { column: 'changed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(healthChangeFromRow);
  }

  async listAttentionChanges(
    jobKey: string,
    limit: number,
  ): Promise<AttentionChange[]> {
    const rows = await this.db<AttentionChangeRow>('job_attention_changes')
      .where('job_key', jobKey)
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(attentionChangeFromRow);
  }

  /**
   * The jobs of these entities (or of every entity that has jobs), and
   * their runs and acknowledgements since `since`.
   */
  entityStatsFacts(
    since: Date,
    entityRefs?: string[],
  ): Promise<EntityStatsFacts> {
    return loadEntityStatsFacts(this.db, since, entityRefs);
  }

  /**
   * What the summary is made of, counted once: the jobs per health, the
   * acknowledged ones, the failing ones nobody acknowledged (as the
   * database keeps them counted: JobCounts), and every
   * mute that holds at `now` (with whether its job is failing and not
   * acknowledged). From these the summary at any later time follows with no
   * query (a mute that ends changes it at its time): SummaryFacts.
   */
  async summaryFacts(now: Date): Promise<SummaryFacts> {
    const [counts, holds] = await Promise.all([
      readJobCounts(this.db),
      this.db<JobRow>('jobs')
        .where('muted_until', '>', now)
        .orWhere('maintenance_until', '>', now)
        .select(
          'muted_until',
          'maintenance_until',
          'health',
          'acknowledged_at',
          'upstream_job_key',
        ),
    ]);
    const { byHealth, acknowledged, failingUnacknowledged } = counts;
    return {
      byHealth,
      acknowledged,
      failingUnacknowledged,
      holds: holds.map(row => ({
        muteUntil: toDate(row.muted_until)?.getTime() ?? null,
        maintenanceUntil: toDate(row.maintenance_until)?.getTime() ?? null,
        failingUnacknowledged:
          isFailingHealth(row.health) &&
          row.upstream_job_key === null &&
          row.acknowledged_at === null,
      })),
    };
  }
}
