import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { Worker } from 'node:worker_threads';

/** The most prepared statements kept for one connection. */
const STATEMENTS_KEPT = 1000;

/** How often the checkpointer moves the write-ahead log into the file. */
const CHECKPOINT_EVERY_MS = 1000;

/**
 * The write-ahead log's size, in pages, at which a commit checkpoints it
 * itself: a backstop that meets only a log the checkpointer let grow
 * (SQLite's default is 1,000 pages, 4 MB).
 */
const AUTOCHECKPOINT_PAGES = 16_000;

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
 * connection open now and on every one its pool opens later, and returns
 * what stops the tuning's own thread:
 *
 * - prepared statements are kept for reuse (above);
 * - on a file, write-ahead logging and a sync of the log at every commit
 *   (`synchronous = FULL`), so that a report the webhook answered survives a
 *   power cut. WAL is a property of the file; `synchronous` is set on every
 *   connection. An in-memory database (the demo's) has neither, and needs
 *   neither;
 * - on a file, the log is checkpointed apart from the writes (below).
 */
export async function tuneSqlite(
  db: Knex,
  logger: LoggerService,
): Promise<() => Promise<void>> {
  const nothingToStop = async () => {};
  if (!String(db.client.config.client).includes('sqlite')) {
    return nothingToStop;
  }
  const files: Array<{ file: string }> = await db.raw('pragma database_list');
  const onFile = files.some(f => f.file);
  const tune = (connection: SqliteConnection) => {
    keepPreparedStatements(connection);
    if (onFile) {
      connection.pragma('synchronous = FULL');
      connection.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
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
    return startCheckpointer(files.find(f => f.file)!.file, logger);
  }
  return nothingToStop;
}

/**
 * The checkpointer's thread: a connection of its own to the same file that
 * copies the write-ahead log into the database every CHECKPOINT_EVERY_MS,
 * passively (it never waits for a writer, nor makes one wait). The driver is
 * synchronous: a checkpoint made by a commit, as SQLite makes one every 1,000
 * pages, holds the event loop, and every request with it, for the time it
 * takes to write and sync the pages (the tail of the ingest benchmark at 64
 * connections, docs/benchmarks.md). The same better-sqlite3 as knex's, so
 * that one SQLite library holds the file's locks in this process.
 */
function startCheckpointer(
  file: string,
  logger: LoggerService,
): () => Promise<void> {
  let driver: string;
  try {
    driver = require.resolve('better-sqlite3', {
      paths: [require.resolve('knex')],
    });
  } catch {
    logger.info(
      'SQLite file: checkpoints made by commits (better-sqlite3 not found)',
    );
    return async () => {};
  }
  const worker = new Worker(
    `
    const { workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.file, { fileMustExist: true });
    db.pragma('busy_timeout = 1000');
    setInterval(() => {
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // Busy or gone: the next round, or the commits' own checkpoints.
      }
    }, workerData.everyMs);
    `,
    {
      eval: true,
      workerData: { driver, file, everyMs: CHECKPOINT_EVERY_MS },
    },
  );
  worker.unref();
  worker.on('error', error =>
    logger.warn(`SQLite checkpointer stopped: ${error}`),
  );
  return async () => {
    await worker.terminate();
  };
}
