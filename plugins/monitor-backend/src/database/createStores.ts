import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { Clock } from '../service/clock';
import { AttentionStore } from './AttentionStore';
import { ConfiguredJobs } from './ConfiguredJobs';
import { HistoryCleaner } from './HistoryCleaner';
import { JobReader } from './JobReader';
import { JobWriter } from './JobWriter';
import { NotificationOutbox } from './NotificationOutbox';
import { RulesFor } from './types';

const migrationsDir = resolvePackagePath(
  '@tc-portal/plugin-monitor-backend',
  'migrations',
);

/** The monitor's stores, one per concern, on the plugin's database. */
export type MonitorStores = {
  writer: JobWriter;
  reader: JobReader;
  attention: AttentionStore;
  configured: ConfiguredJobs;
  cleaner: HistoryCleaner;
  outbox: NotificationOutbox;
};

/**
 * On a SQLite file: write-ahead logging, and a sync of the log at every
 * commit (`synchronous = FULL`), so that a report the webhook answered
 * survives a power cut. WAL is a property of the file; `synchronous` is
 * set on every connection the pool opens. An in-memory database (the
 * demo's) has neither, and needs neither.
 */
async function makeSqliteDurable(db: Knex, logger: LoggerService) {
  if (!String(db.client.config.client).includes('sqlite')) {
    return;
  }
  const files: Array<{ file: string }> = await db.raw('pragma database_list');
  if (!files.some(f => f.file)) {
    return;
  }
  const full = (connection: { pragma?(sql: string): unknown }) =>
    connection.pragma?.('synchronous = FULL');
  db.client.pool.on('createSuccess', (_id: unknown, connection: any) =>
    full(connection),
  );
  await db.raw('pragma journal_mode = WAL');
  await db.raw('pragma synchronous = FULL');
  logger.info(
    'SQLite file: write-ahead log, synced at every commit (synchronous = FULL)',
  );
}

/** Migrates the plugin's database and assembles its stores. */
export async function createMonitorStores(options: {
  database: DatabaseService;
  logger: LoggerService;
  clock: Clock;
  rulesFor: RulesFor;
  notify: boolean;
  retention: { maxRunsPerJob: number; maxAgeMs: number };
}): Promise<MonitorStores> {
  const { database, logger } = options;
  const db = await database.getClient();
  if (!database.migrations?.skip) {
    await db.migrate.latest({ directory: migrationsDir });
  }
  await makeSqliteDurable(db, logger);
  return {
    writer: new JobWriter(db, {
      rulesFor: options.rulesFor,
      notify: options.notify,
    }),
    reader: new JobReader(db),
    attention: new AttentionStore(db),
    configured: new ConfiguredJobs(db),
    cleaner: new HistoryCleaner({
      db,
      clock: options.clock,
      logger,
      retention: options.retention,
    }),
    outbox: new NotificationOutbox(db),
  };
}
