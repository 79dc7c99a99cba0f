import { Knex } from 'knex';
import { JobRecord } from '../health/types';
import { chunks } from './chunks';
import { jobFromRow, JobRow, toDate } from './rows';

/** What the stats of entities are made of, as stored. */
export type EntityStatsFacts = {
  /** The jobs linked to the entities. */
  jobs: JobRecord[];
  /** Runs finished since the time, by entity and outcome. */
  runs: Array<{ entityRef: string; status: string; count: number }>;
  /**
   * Acknowledgements made since the time: when, and when the health they
   * acknowledged began (null when no change of health is kept before it).
   */
  acknowledgements: Array<{
    entityRef: string;
    at: Date;
    failingSince: Date | null;
  }>;
};

/**
 * Loads, for these entities (or every entity that has jobs), their jobs and
 * the runs and acknowledgements since `since`. Reads only.
 */
export async function loadEntityStatsFacts(
  db: Knex,
  since: Date,
  entityRefs?: string[],
): Promise<EntityStatsFacts> {
  const linked = (query: Knex.QueryBuilder, refs?: string[]) =>
    refs
      ? query.whereIn('jobs.entity_ref', refs)
      : query.whereNotNull('jobs.entity_ref');
  const load = async (refs?: string[]) => {
    const [jobs, runs, acknowledgements] = await Promise.all([
      linked(db<JobRow>('jobs').select('*'), refs) as Promise<JobRow[]>,
      linked(
        db('job_runs')
          .join('jobs', 'jobs.job_key', 'job_runs.job_key')
          .where('job_runs.finished_at', '>=', since)
          .whereNot('job_runs.status', 'running')
          .select({ entityRef: 'jobs.entity_ref', status: 'job_runs.status' })
          .count({ count: '*' })
          .groupBy('jobs.entity_ref', 'job_runs.status'),
        refs,
      ) as Promise<
        Array<{ entityRef: string; status: string; count: string | number }>
      >,
      linked(
        db('job_attention_changes')
          .join('jobs', 'jobs.job_key', 'job_attention_changes.job_key')
          .where('job_attention_changes.kind', 'acknowledged')
          .where('job_attention_changes.at', '>=', since)
          .select({
            entityRef: 'jobs.entity_ref',
            at: 'job_attention_changes.at',
            // The change of health the acknowledgement was made in.
            failingSince: db('job_health_changes')
              .max('changed_at')
              .where(
                'job_health_changes.job_key',
                db.ref('job_attention_changes.job_key'),
              )
              .where(
                'job_health_changes.changed_at',
                '<=',
                db.ref('job_attention_changes.at'),
              ),
          }),
        refs,
      ) as Promise<
        Array<{ entityRef: string; at: unknown; failingSince: unknown }>
      >,
    ]);
    return { jobs, runs, acknowledgements };
  };
  const parts = entityRefs
    ? await Promise.all(chunks([...new Set(entityRefs)], 200).map(load))
    : [await load()];
  return {
    jobs: parts.flatMap(part => part.jobs.map(jobFromRow)),
    runs: parts.flatMap(part =>
      part.runs.map(row => ({ ...row, count: Number(row.count) })),
    ),
    acknowledgements: parts.flatMap(part =>
      part.acknowledgements.map(row => ({
        entityRef: row.entityRef,
        at: toDate(row.at as never)!,
        failingSince: toDate(row.failingSince as never),
      })),
    ),
  };
}
