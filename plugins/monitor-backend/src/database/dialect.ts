import { Knex } from 'knex';

/**
 * What differs between the databases the monitor runs on, in one place:
 * PostgreSQL takes several writers and row locks, SQLite one writer at a
 * time (so it needs neither).
 */

/** Whether the database is PostgreSQL. */
export function isPostgres(db: Knex): boolean {
  return db.client.config.client === 'pg';
}

/** The advisory lock of a job key, for every writer of the job. */
const lockKey = (jobKey: string) => `monitor:${jobKey}`;

/**
 * Serialises every write to these job keys, existing or not, until the
 * transaction ends, across replicas (on PostgreSQL; SQLite writes one
 * transaction at a time anyway). Taken in one order, so that transactions
 * sharing jobs cannot deadlock; a report cannot interleave with a deletion
 * of its job.
 */
export async function lockJobKeys(
  tx: Knex.Transaction,
  jobKeys: string[],
): Promise<void> {
  if (!isPostgres(tx) || jobKeys.length === 0) {
    return;
  }
  await tx.raw(
    'select pg_advisory_xact_lock(hashtext(k)) from (select unnest(?::text[]) as k order by 1) as keys',
    [[...new Set(jobKeys)].map(lockKey)],
  );
}

/**
 * Locks the rows a query reads until the transaction ends (PostgreSQL),
 * in key order; SQLite's one writer needs no lock.
 */
export function forUpdate<T extends Knex.QueryBuilder>(
  tx: Knex.Transaction,
  query: T,
  orderBy = 'job_key',
): T {
  if (isPostgres(tx)) {
    query.orderBy(orderBy).forUpdate();
  }
  return query;
}

/**
 * Claims rows for a while: another replica's claims are passed over, not
 * waited for (PostgreSQL).
 */
export function skipLocked<T extends Knex.QueryBuilder>(
  tx: Knex.Transaction,
  query: T,
): T {
  if (isPostgres(tx)) {
    query.forUpdate().skipLocked();
  }
  return query;
}

/**
 * Jobs whose dependencies, as they were last judged (the `depends_on`
 * JSON array), name one of these keys, exactly: the key with its quotes,
 * case-sensitive on both databases (SQLite's LIKE ignores case). Through
 * the index of the jobs that depend on any (most do not).
 */
export function whereDependsOnAny(
  query: Knex.QueryBuilder,
  db: Knex,
  jobKeys: string[],
): Knex.QueryBuilder {
  const holds = isPostgres(db)
    ? 'strpos(depends_on, ?) > 0'
    : 'instr(depends_on, ?) > 0';
  return query.whereNotNull('depends_on').where(q => {
    // Given but empty, a list matches no job.
    q.whereRaw('1 = 0');
    for (const key of jobKeys) {
      q.orWhereRaw(holds, [JSON.stringify(key)]);
    }
  });
}
