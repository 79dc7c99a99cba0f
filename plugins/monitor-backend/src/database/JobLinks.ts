import { Knex } from 'knex';
import { JobExpectation } from '@tc-portal/plugin-monitor-common';
import { newJob } from '../health/decide';
import { linkJobToEntity } from '../health/entityLink';
import { chunks } from './chunks';
import { DataVersion } from './DataVersion';
import { forUpdate } from './dialect';
import { JobRow, rowFromState } from './rows';

/** How many keys one query names. */
const CHUNK = 500;

type LinkColumns = Pick<
  JobRow,
  'job_key' | 'entity_ref' | 'entity_source' | 'reported_entity_ref'
>;

/** The catalog's links of these jobs, by key. */
export async function catalogLinksOf(
  db: Knex,
  jobKeys: string[],
): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const keys of chunks(jobKeys, CHUNK)) {
    const rows: Array<{ job_key: string; entity_ref: string }> = await db(
      'job_catalog_links',
    )
      .whereIn('job_key', keys)
      .select('job_key', 'entity_ref');
    rows.forEach(row => links.set(row.job_key, row.entity_ref));
  }
  return links;
}

/**
 * Gives these jobs their one entity again (../health/entityLink), from
 * config, the catalog's links and what their reports said, locking their
 * rows (PostgreSQL) so that a report of the same job waits. Returns how
 * many jobs changed entity.
 */
export async function relinkJobs(
  tx: Knex.Transaction,
  jobKeys: string[],
  configuredEntityOf: (jobKey: string) => string | undefined,
): Promise<number> {
  let changed = 0;
  for (const keys of chunks([...new Set(jobKeys)].sort(), CHUNK)) {
    const rows: LinkColumns[] = await forUpdate(
      tx,
      tx<JobRow>('jobs')
        .whereIn('job_key', keys)
        .select(
          'job_key',
          'entity_ref',
          'entity_source',
          'reported_entity_ref',
        ),
    );
    const catalog = await catalogLinksOf(
      tx,
      rows.map(row => row.job_key),
    );
    for (const row of rows) {
      const link = linkJobToEntity({
        config: configuredEntityOf(row.job_key),
        catalog: catalog.get(row.job_key),
        report: row.reported_entity_ref,
      });
      const entityRef = link?.entityRef ?? null;
      const source = link?.source ?? null;
      if (entityRef !== row.entity_ref || source !== row.entity_source) {
        await tx<JobRow>('jobs')
          .where('job_key', row.job_key)
          .update({ entity_ref: entityRef, entity_source: source });
        changed += 1;
      }
    }
  }
  return changed;
}

/**
 * Stores what the catalog declares of each job: a declared job the portal
 * does not know yet becomes known now (expected from now on, as a
 * configured job is from start-up), unless it was deleted; a job whose
 * declaration changed, or is gone, is judged again at the next check.
 * Returns how many jobs it changed.
 */
async function declareJobs(
  tx: Knex.Transaction,
  declared: Map<string, JobExpectation>,
  links: Map<string, string>,
  now: Date,
): Promise<number> {
  const deleted = new Set<string>();
  for (const keys of chunks([...declared.keys()], CHUNK)) {
    (
      await tx('deleted_jobs').whereIn('job_key', keys).pluck('job_key')
    ).forEach((key: string) => deleted.add(key));
  }
  const stored = new Map<string, string | null>();
  const rows: Array<Pick<JobRow, 'job_key' | 'declared_expectation'>> =
    await tx<JobRow>('jobs')
      .whereNotNull('declared_expectation')
      .select('job_key', 'declared_expectation');
  rows.forEach(row => stored.set(row.job_key, row.declared_expectation));
  for (const keys of chunks([...declared.keys()], CHUNK)) {
    (
      await tx<JobRow>('jobs')
        .whereIn('job_key', keys)
        .select('job_key', 'declared_expectation')
    ).forEach(row => stored.set(row.job_key, row.declared_expectation));
  }
  let changed = 0;
  // A declaration changed or gone: judged again, its run facts read again
  // (a threshold may have changed).
  const redeclare = async (jobKey: string, text: string | null) => {
    await tx<JobRow>('jobs').where('job_key', jobKey).update({
      declared_expectation: text,
      next_check_at: now,
      recent_runs: null,
      open_runs: null,
    });
    changed += 1;
  };
  for (const [jobKey, expectation] of declared) {
    if (deleted.has(jobKey)) {
      continue;
    }
    const text = JSON.stringify(expectation);
    if (!stored.has(jobKey)) {
      await tx<JobRow>('jobs').insert({
        ...rowFromState({
          ...newJob(jobKey, jobKey, now, links.get(jobKey)),
          declaredExpectation: expectation,
          nextCheckAt: now,
        }),
      });
      changed += 1;
    } else if (stored.get(jobKey) !== text) {
      await redeclare(jobKey, text);
    }
  }
  for (const [jobKey, text] of stored) {
    if (text !== null && !declared.has(jobKey)) {
      await redeclare(jobKey, null);
    }
  }
  return changed;
}

/**
 * The jobs that catalog entities name in their annotation: kept as last
 * read from the catalog, so that a job reporting for the first time gets
 * its entity at once, and applied to the jobs' one entity.
 */
export class CatalogLinks {
  constructor(
    private readonly db: Knex,
    private readonly version: DataVersion,
    private readonly configuredEntityOf: (jobKey: string) => string | undefined,
  ) {}

  /** The entities jobs are linked to, by ref. */
  async linkedEntities(): Promise<string[]> {
    return (await this.db<JobRow>('jobs')
      .whereNotNull('entity_ref')
      .distinct('entity_ref')
      .pluck('entity_ref')) as string[];
  }

  /**
   * Gives each job the jobs of the entities its entity depends on as its
   * upstream jobs from the catalog (setCatalogDependencies). Returns how
   * many jobs changed.
   */
  async dependOn(dependsOn: Map<string, string[]>, now: Date): Promise<number> {
    const changed = await setCatalogDependencies(this.db, dependsOn, now);
    if (changed > 0) {
      await this.version.bump();
    }
    return changed;
  }

  /**
   * Replaces the catalog's links with `links` (job key → entity ref) and
   * relinks every job they name or named; makes the jobs `declared` (job
   * key → expectation) known, unless deleted, and has those whose
   * declaration changed judged again at the next check (with their run
   * facts read again: a threshold may have changed). Returns how many jobs
   * changed entity or declaration.
   */
  async replace(
    links: Map<string, string>,
    declared: Map<string, JobExpectation>,
    now: Date,
  ): Promise<number> {
    const changed = await this.db.transaction(async tx => {
      const redeclared = await declareJobs(tx, declared, links, now);
      const before = new Map(
        (
          (await tx('job_catalog_links').select(
            'job_key',
            'entity_ref',
          )) as Array<{ job_key: string; entity_ref: string }>
        ).map(row => [row.job_key, row.entity_ref]),
      );
      const gone = [...before.keys()].filter(key => !links.has(key));
      const moved = [...links].filter(([key, ref]) => before.get(key) !== ref);
      for (const keys of chunks(gone, CHUNK)) {
        await tx('job_catalog_links').whereIn('job_key', keys).delete();
      }
      for (const rows of chunks(moved, CHUNK)) {
        await tx('job_catalog_links')
          .insert(
            rows.map(([job_key, entity_ref]) => ({ job_key, entity_ref })),
          )
          .onConflict('job_key')
          .merge();
      }
      // Every job the catalog names, not only those whose link changed: a
      // job created while the links were being replaced is linked too.
      const catalogLinked = await tx<JobRow>('jobs')
        .where('entity_source', 'catalog')
        .pluck('job_key');
      return (
        redeclared +
        (await relinkJobs(
          tx,
          [...links.keys(), ...gone, ...catalogLinked],
          this.configuredEntityOf,
        ))
      );
    });
    if (changed > 0) {
      await this.version.bump();
    }
    return changed;
  }
}

/**
 * Gives each job the keys of the jobs of the entities its entity depends
 * on (`dependsOn` by entity ref, as the catalog says now): its upstream jobs
 * from the catalog. A job whose list changed is judged again at the next
 * check. Returns how many changed.
 */
export async function setCatalogDependencies(
  db: Knex,
  dependsOn: Map<string, string[]>,
  now: Date,
): Promise<number> {
  const rows: Array<
    Pick<JobRow, 'job_key' | 'entity_ref' | 'catalog_depends_on'>
  > = await db<JobRow>('jobs').select(
    'job_key',
    'entity_ref',
    'catalog_depends_on',
  );
  const jobsOf = new Map<string, string[]>();
  for (const row of rows) {
    if (row.entity_ref) {
      jobsOf.set(row.entity_ref, [
        ...(jobsOf.get(row.entity_ref) ?? []),
        row.job_key,
      ]);
    }
  }
  let changed = 0;
  for (const row of rows) {
    const upstream = [
      ...new Set(
        (row.entity_ref ? dependsOn.get(row.entity_ref) ?? [] : []).flatMap(
          ref => jobsOf.get(ref) ?? [],
        ),
      ),
    ]
      .filter(key => key !== row.job_key)
      .sort();
    const text = upstream.length ? JSON.stringify(upstream) : null;
    if (text !== row.catalog_depends_on) {
      await db<JobRow>('jobs')
        .where('job_key', row.job_key)
        .update({ catalog_depends_on: text, next_check_at: now });
      changed += 1;
    }
  }
  return changed;
}
