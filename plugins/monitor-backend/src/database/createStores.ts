import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Clock } from '../service/clock';
import { AttentionStore } from './AttentionStore';
import { ConfiguredJobs } from './ConfiguredJobs';
import { HistoryCleaner } from './HistoryCleaner';
import { JobReader } from './JobReader';
import { JobWriter } from './JobWriter';
import { NotificationOutbox } from './NotificationOutbox';
import { tuneSqlite } from './sqlite';
import { RulesFor } from './types';

/** Batches written at once on PostgreSQL (measured: docs/benchmarks.md). */
const CONCURRENT_BATCHES_PG = 4;

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
  await tuneSqlite(db, logger);
  return {
    writer: new JobWriter(db, {
      rulesFor: options.rulesFor,
      notify: options.notify,
      // SQLite has one writer.
      concurrentBatches:
        db.client.config.client === 'pg' ? CONCURRENT_BATCHES_PG : 1,
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
