import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/** The most prepared statements kept for one connection. */
const STATEMENTS_KEPT = 1000;

/** The part of a better-sqlite3 connection that is tuned here. */
type SqliteConnection = {
  prepare(sql: string): unknown;
  pragma(sql: string): unknown;
};

const tuned = new WeakSet<object>();

/**
 * Keeps the connection's prepared statements for reuse. knex prepares
 * every statement it runs afresh, and preparing was about a tenth of the
 * backend's time under load (docs/benchmarks.md). A statement is the same
 * for the same SQL text (the values are bound at each run), and SQLite
 * prepares it again by itself when a migration changes the schema. The
 * least recently used go first when there are more than STATEMENTS_KEPT.
 */
function keepPreparedStatements(connection: SqliteConnection) {
  if (tuned.has(connection)) {
    return;
  }
  tuned.add(connection);
  const prepare = connection.prepare.bind(connection);
  const kept = new Map<string, unknown>();
  connection.prepare = (sql: string) => {
    let statement = kept.get(sql);
    if (statement === undefined) {
      statement = prepare(sql);
      if (kept.size >= STATEMENTS_KEPT) {
        kept.delete(kept.keys().next().value!);
      }
    } else {
      kept.delete(sql);
    }
    kept.set(sql, statement);
    return statement;
  };
}

/**
 * Tunes the plugin's SQLite database, if that is what it is, on the
 * connection open now and on every one its pool opens later:
 *
 * - prepared statements are kept for reuse (above);
 * - on a file, write-ahead logging and a sync of the log at every commit
 *   (`synchronous = FULL`), so that a report the webhook answered survives a
 *   power cut. WAL is a property of the file; `synchronous` is set on every
 *   connection. An in-memory database (the demo's) has neither, and needs
 *   neither.
 */
export async function tuneSqlite(db: Knex, logger: LoggerService) {
  if (!String(db.client.config.client).includes('sqlite')) {
    return;
  }
  const files: Array<{ file: string }> = await db.raw('pragma database_list');
  const onFile = files.some(f => f.file);
  const tune = (connection: SqliteConnection) => {
    keepPreparedStatements(connection);
    if (onFile) {
      connection.pragma('synchronous = FULL');
    }
  };
  db.client.pool.on('createSuccess', (_id: unknown, connection: any) =>
    tune(connection),
  );
  const open: SqliteConnection = await db.client.acquireConnection();
  try {
    tune(open);
  } finally {
    await db.client.releaseConnection(open);
  }
  if (onFile) {
    await db.raw('pragma journal_mode = WAL');
    logger.info(
      'SQLite file: write-ahead log, synced at every commit (synchronous = FULL)',
    );
  }
}
