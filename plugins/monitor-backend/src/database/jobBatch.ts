import {
  JobHealth,
  MAX_CONFIGURED_THRESHOLD,
} from '@tc-portal/plugin-monitor-common';
import { Knex } from 'knex';
import { BASELINE_RUNS } from '../health/baseline';
import { OUTCOME_STRIP, rulesOf } from '../health/decide';
import type { HealthRules } from '../health/evaluateHealth';
import { OpenRun, RecentRun, recentRunsToKeep } from '../health/runFacts';
import { UpstreamJob } from '../health/upstream';
import {
  HealthChange,
  IncomingReport,
  JobConfig,
  JobState,
  Notice,
  RunFields,
  RunWrite,
} from '../health/types';
import { forUpdate, isPostgres, whereDependsOnAny } from './dialect';
import { decodeOpenRuns, decodeRecentRuns } from './runFactsColumns';
import { catalogLinksOf } from './JobLinks';
import {
  healthChangeRow,
  JobRow,
  noticeRow,
  rowFromState,
  stateFromRow,
  Timestamp,
  toDate,
} from './rows';
import {
  decodeWarnings,
  recentRunFromRow,
  runColumns,
  RunRow,
} from './runRows';
import { chunks } from './chunks';

// The reads and writes of a batch of reports and checks (../JobWriter): it
// loads the batch's jobs and facts, and writes what the decision core
// decided. No rule lives here.

const CHUNK = 200;

/** The batch's jobs, locked until the commit, with their run facts. */
export async function loadJobs(
  tx: Knex.Transaction,
  jobKeys: string[],
  configOf: (jobKey: string) => JobConfig,
): Promise<Map<string, JobState>> {
  if (jobKeys.length === 0) {
    return new Map();
  }
  const rows: JobRow[] = await forUpdate(
    tx,
    tx<JobRow>('jobs').whereIn('job_key', jobKeys),
  );
  const rebuilt = await rebuildFacts(
    tx,
    rows.filter(r => r.recent_runs === null || r.open_runs === null),
    row =>
      rulesOf(
        stateFromRow(row, { recent: [], open: [] }),
        configOf(row.job_key),
      ),
  );
  return new Map(
    rows.map(row => [
      row.job_key,
      stateFromRow(
        row,
        rebuilt.get(row.job_key) ?? {
          recent: decodeRecentRuns(row.recent_runs!),
          open: decodeOpenRuns(row.open_runs!),
        },
      ),
    ]),
  );
}

/**
 * The run facts of jobs whose rows do not hold them (cleared when the rules
 * in config changed), read once from their runs.
 */
async function rebuildFacts(
  tx: Knex.Transaction,
  rows: JobRow[],
  rulesFor: (row: JobRow) => HealthRules,
): Promise<Map<string, { recent: RecentRun[]; open: OpenRun[] }>> {
  const facts = new Map<string, { recent: RecentRun[]; open: OpenRun[] }>();
  if (rows.length === 0) {
    return facts;
  }
  const keys = rows.map(r => r.job_key);
  const ranked = tx('job_runs')
    .select(
      'id',
      'job_key',
      'status',
      'finished_at',
      'received_at',
      tx.raw(
        'row_number() over (partition by job_key order by finished_at desc, received_at desc) as position',
      ),
    )
    .whereIn('job_key', keys)
    .whereNotNull('finished_at')
    .as('ranked');
  const recent: Array<RunRow & { position: number }> = await tx
    .select('*')
    .from(ranked)
    // Enough for the largest threshold there is, and for the baseline.
    .where('position', '<=', Math.max(MAX_CONFIGURED_THRESHOLD, BASELINE_RUNS))
    .orderBy([{ column: 'job_key' }, { column: 'position' }]);
  const open = await tx<RunRow>('job_runs')
    .whereIn('job_key', keys)
    .where('status', 'running')
    .orderBy('received_at', 'asc');
  for (const row of rows) {
    const rules = rulesFor(row);
    facts.set(row.job_key, {
      recent: recent
        .filter(r => r.job_key === row.job_key)
        .slice(0, recentRunsToKeep(rules, OUTCOME_STRIP))
        .map(r => recentRunFromRow(r, rules)),
      open: open
        .filter(r => r.job_key === row.job_key)
        .map(r => ({
          id: r.id,
          runId: r.run_id,
          receivedAt: toDate(r.received_at).getTime(),
          startedAt: toDate(r.started_at)?.getTime() ?? null,
          ...(r.warnings && { warnings: decodeWarnings(r.warnings) }),
        })),
    });
  }
  return facts;
}

/** When each of these deleted jobs was deleted. */
export async function loadTombstones(
  tx: Knex.Transaction,
  jobKeys: string[],
): Promise<Map<string, Date>> {
  if (jobKeys.length === 0) {
    return new Map();
  }
  const rows: Array<{ job_key: string; deleted_at: Timestamp }> = await tx(
    'deleted_jobs',
  )
    .whereIn('job_key', jobKeys)
    .select('job_key', 'deleted_at');
  return new Map(rows.map(t => [t.job_key, toDate(t.deleted_at)]));
}

/**
 * Inserts the jobs the portal has just come to know (a job that another
 * writer made meanwhile stays as it is), each linked to the entity whose
 * annotation names it, if any.
 */
export async function insertJobs(
  tx: Knex.Transaction,
  make: (jobKey: string, catalogEntityRef?: string) => JobState,
  jobKeys: string[],
): Promise<void> {
  if (jobKeys.length === 0) {
    return;
  }
  const catalog = await catalogLinksOf(tx, jobKeys);
  await tx('jobs')
    .insert(jobKeys.map(key => rowFromState(make(key, catalog.get(key)))))
    .onConflict('job_key')
    .ignore();
}

/** The stored runs of these (job key, run id) pairs. */
export async function loadRunsById(
  tx: Knex.Transaction,
  named: Array<[string, string]>,
): Promise<RunRow[]> {
  if (named.length === 0) {
    return [];
  }
  return tx<RunRow>('job_runs').whereIn(['job_key', 'run_id'], named);
}

/** Stored runs, by id. */
export async function loadRuns(
  tx: Knex.Transaction,
  ids: string[],
): Promise<RunRow[]> {
  return ids.length === 0 ? [] : tx<RunRow>('job_runs').whereIn('id', ids);
}

/** The writes of one run in a batch, as one. */
export function mergeRunWrites(earlier: RunWrite | undefined, later: RunWrite) {
  if (!earlier) {
    return later;
  }
  const changes = 'create' in later ? later.create : later.update;
  return 'create' in earlier
    ? { id: earlier.id, create: { ...earlier.create, ...changes } }
    : { id: earlier.id, update: { ...earlier.update, ...changes } };
}

/**
 * Updates stored runs: on PostgreSQL one statement per set of columns
 * (a timeout sets three, a finish up to eight); on SQLite, in process, a
 * statement each.
 */
async function updateRuns(
  tx: Knex.Transaction,
  updates: Array<{ id: string; update: Partial<RunFields> }>,
) {
  if (!isPostgres(tx)) {
    for (const { id, update } of updates) {
      await tx('job_runs').where('id', id).update(runColumns(update));
    }
    return;
  }
  const TYPES: Record<string, string> = {
    started_at: 'timestamptz',
    finished_at: 'timestamptz',
    received_at: 'timestamptz',
    duration_ms: 'bigint',
    exit_code: 'integer',
  };
  const shapes = new Map<
    string,
    Array<{ id: string; columns: Partial<RunRow> }>
  >();
  for (const { id, update } of updates) {
    const columns = runColumns(update);
    const shape = Object.keys(columns).sort().join(',');
    shapes.set(shape, [...(shapes.get(shape) ?? []), { id, columns }]);
  }
  for (const [shape, rows] of shapes) {
    const names = shape.split(',') as Array<keyof RunRow>;
    for (const chunk of chunks(rows, CHUNK)) {
      await tx.raw(
        `update job_runs as r set ${names
          .map(n => `${n} = v.${n}${TYPES[n] ? `::${TYPES[n]}` : ''}`)
          .join(', ')}
         from (values ${chunk
           .map(() => `(${['?', ...names.map(() => '?')].join(', ')})`)
           .join(', ')}) as v(id, ${names.join(', ')})
         where r.id = v.id::uuid`,
        chunk.flatMap(({ id, columns }) => [
          id,
          ...names.map(n => {
            const value = columns[n];
            if (value === null || value === undefined) return null;
            return value instanceof Date ? value.toISOString() : String(value);
          }),
        ]),
      );
    }
  }
}

/** Writes what a batch decided: runs, jobs, health changes and notices. */
export async function saveBatch(
  tx: Knex.Transaction,
  decided: {
    runs: RunWrite[];
    jobs: JobState[];
    changes: HealthChange[];
    notices: Notice[];
  },
) {
  const created = decided.runs.flatMap(run =>
    'create' in run ? [{ id: run.id, ...runColumns(run.create) }] : [],
  );
  for (const chunk of chunks(created, CHUNK)) {
    await tx('job_runs').insert(chunk);
  }
  await updateRuns(
    tx,
    decided.runs.flatMap(run => ('update' in run ? [run] : [])),
  );
  for (const chunk of chunks(decided.jobs.map(rowFromState), 100)) {
    await tx('jobs').insert(chunk).onConflict('job_key').merge();
  }
  for (const chunk of chunks(decided.changes.map(healthChangeRow), CHUNK)) {
    await tx('job_health_changes').insert(chunk);
  }
  for (const chunk of chunks(decided.notices.map(noticeRow), CHUNK)) {
    await tx('job_notices').insert(chunk);
  }
}

/**
 * The jobs that a batch's jobs and reports depend on, as they stand: as the
 * batch leaves them (`jobs`, changed as its items are applied), or as
 * stored. Reads nothing when no job depends on another.
 */
export async function batchUpstream(
  tx: Knex.Transaction,
  jobs: Map<string, JobState>,
  reports: IncomingReport[],
  configOf: (jobKey: string) => JobConfig,
): Promise<() => UpstreamJob[]> {
  const upstreamKeys = new Set<string>();
  for (const job of jobs.values()) {
    [
      ...job.dependsOn,
      ...job.catalogDependsOn,
      ...(configOf(job.jobKey).configured?.expectation.dependsOn ?? []),
    ].forEach(key => upstreamKeys.add(key));
  }
  for (const report of reports) {
    report.expectation?.dependsOn?.forEach(key => upstreamKeys.add(key));
  }
  const standing = new Map<string, UpstreamJob>();
  const elsewhere = [...upstreamKeys].filter(key => !jobs.has(key));
  for (const keys of chunks(elsewhere, CHUNK)) {
    const rows: Array<{ job_key: string; title: string; health: JobHealth }> =
      await tx('jobs')
        .whereIn('job_key', keys)
        .select('job_key', 'title', 'health');
    rows.forEach(row =>
      standing.set(row.job_key, {
        jobKey: row.job_key,
        title: row.title,
        health: row.health,
      }),
    );
  }
  return () =>
    [...upstreamKeys].flatMap(key => {
      const job = jobs.get(key);
      if (job) {
        return [{ jobKey: key, title: job.title, health: job.health }];
      }
      const other = standing.get(key);
      return other ? [other] : [];
    });
}

/**
 * Has the jobs that depend on these judged at the next check (they may
 * fail because of them, or no longer). After the batch's commit, one
 * statement per job, each its own transaction: it never waits for a lock
 * while holding another. Returns how many it marked.
 */
export async function judgeDependentsAt(
  db: Knex,
  upstreamKeys: string[],
  now: Date,
): Promise<number> {
  const dependents = new Set<string>();
  for (const keys of chunks(upstreamKeys, CHUNK)) {
    const rows: string[] = await whereDependsOnAny(db('jobs'), db, keys).pluck(
      'job_key',
    );
    rows.forEach(row => dependents.add(row));
  }
  for (const key of [...dependents].sort()) {
    await db('jobs')
      .where('job_key', key)
      .where(q =>
        q.whereNull('next_check_at').orWhere('next_check_at', '>', now),
      )
      .update({ next_check_at: now });
  }
  return dependents.size;
}
