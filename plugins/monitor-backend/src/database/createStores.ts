import {
  DatabaseService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { JobConfig } from '../health/types';
import { AttentionStore } from './AttentionStore';
import { ConfiguredJobs } from './ConfiguredJobs';
import { HistoryCleaner } from './HistoryCleaner';
import { CatalogLinks } from './JobLinks';
import { JobCounts } from './JobCounts';
import { JobReader } from './JobReader';
import { JobWriter } from './JobWriter';
import { NotificationOutbox } from './NotificationOutbox';
import { DataVersion } from './DataVersion';
import { isPostgres } from './dialect';
import { SummaryCache } from './SummaryCache';
import { tuneSqlite } from './sqlite';

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
  catalogLinks: CatalogLinks;
  cleaner: HistoryCleaner;
  outbox: NotificationOutbox;
  /** The data's version: ETags, signals, and what each replica knows. */
  version: DataVersion;
  summaries: SummaryCache;
  /**
   * Stops what the stores run beside the queries (SQLite's checkpoints,
   * the merging of the job counts).
   */
  stop(): Promise<void>;
};

/** Migrates the plugin's database and assembles its stores. */
export async function createMonitorStores(options: {
  database: DatabaseService;
  logger: LoggerService;
  /** What config says of a job. */
  configOf: (jobKey: string) => JobConfig;
  retention: { maxRunsPerJob: number; maxAgeMs: number };
  /** The monitor's clock. */
  now: () => Date;
}): Promise<MonitorStores> {
  const { database, logger, configOf, retention } = options;
  const db = await database.getClient();
  if (!database.migrations?.skip) {
    await db.migrate.latest({ directory: migrationsDir });
  }
  const stopSqlite = await tuneSqlite(db, logger);
  const counts = new JobCounts(db, logger);
  counts.start();
  const version = await DataVersion.create(db);
  const reader = new JobReader(db);
  return {
    writer: new JobWriter(db, {
      version,
      configOf,
      logger,
      // SQLite has one writer.
      concurrentBatches: isPostgres(db) ? CONCURRENT_BATCHES_PG : 1,
    }),
    reader,
    attention: new AttentionStore(db, version),
    configured: new ConfiguredJobs(db, version),
    catalogLinks: new CatalogLinks(
      db,
      version,
      jobKey => configOf(jobKey).configured?.entityRef,
    ),
    cleaner: new HistoryCleaner({ db, logger, retention, version }),
    outbox: new NotificationOutbox(db),
    version,
    summaries: new SummaryCache(reader, version, options.now),
    stop: async () => {
      await counts.stop();
      await stopSqlite();
    },
  };
}
