import {
  BackendFeature,
  coreServices,
  createBackendModule,
  createServiceFactory,
  SchedulerService,
  ServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  NotificationSendOptions,
  notificationService,
} from '@backstage/plugin-notifications-node';
import {
  SignalPayload,
  signalsServiceRef,
} from '@backstage/plugin-signals-node';
import { JsonObject } from '@backstage/types';
import { JOB_REPORT_SECRET_HEADER } from '@tc-portal/plugin-monitor-common';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import { ConfigReader } from '@backstage/config';
import { jobConfigOf, readMonitorSettings } from '../config';
import { createMonitorStores, MonitorStores } from '../database/createStores';
import { monitorPlugin } from '../plugin';
import { Clock, monitorClockServiceRef } from '../service/clock';

export const TEST_SECRET = 'test-webhook-secret';

const POSTGRES_URL_VARIABLE =
  'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

/**
 * The databases every backend test runs on: the embedded SQLite, and
 * PostgreSQL when its connection string is set. In CI a missing PostgreSQL
 * is a failure, never a silent skip. `sqliteOnly` is for what reaches no
 * database (refusals, the wire contract's checks, secrets): the same on
 * both, so tried once.
 */
export function monitorTestDatabases(
  options: { sqliteOnly?: boolean } = {},
): TestDatabases {
  if (options.sqliteOnly) {
    return TestDatabases.create({ ids: ['SQLITE_3'] });
  }
  if (process.env.CI && !process.env[POSTGRES_URL_VARIABLE]) {
    throw new Error(
      `CI runs the backend tests on PostgreSQL too: set ${POSTGRES_URL_VARIABLE}`,
    );
  }
  return TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
}

export type MonitorTestBackend = {
  server: Parameters<typeof request>[0];
  knex: Knex;
  clock: TestClock;
  scheduler: SchedulerService;
  stop(): Promise<void>;
};

/** A clock the test sets and moves. */
export class TestClock implements Clock {
  constructor(private time = new Date()) {}
  now() {
    return new Date(this.time);
  }
  set(iso: string) {
    this.time = new Date(iso);
  }
  advance(ms: number) {
    this.time = new Date(this.time.getTime() + ms);
  }
}

// Every test gets its own database. Backends and their connections are let
// go when the test ends, not when the file ends: a file of many short tests
// would otherwise hold dozens of idle PostgreSQL connections at once and,
// beside other suites running in parallel, exhaust the server's
// max_connections.
const startedBackends: Array<{ stop(): Promise<void> }> = [];
const createdDatabases: Knex[] = [];
afterEach(async () => {
  const backends = startedBackends.splice(0);
  const knexes = createdDatabases.splice(0);
  await Promise.all(backends.map(backend => backend.stop().catch(() => {})));
  await Promise.all(knexes.map(knex => knex.destroy()));
  knexes.forEach(dropSoon);
});

// Dropping a PostgreSQL database makes the server checkpoint. While the disk
// is busy (the install test writes two portals' node_modules beside Jest) a
// drop has taken seconds, and TestDatabases drops a file's databases one
// after another in a hook limited to 60 s at the file's end: a file of 20
// tests failed there. So a test's database is dropped as soon as the test
// lets it go, in the background; drops under way together share a
// checkpoint; the file's end waits for what is left, without that limit.
// TestDatabases still tries its drop later, of a database already gone.
const drops: Array<Promise<unknown>> = [];
let postgresAdmin: Knex | undefined;
function dropSoon(knex: Knex) {
  const { client, connection } = knex.client.config;
  if (client !== 'pg') {
    return;
  }
  postgresAdmin ??= knexFactory({
    client: 'pg',
    connection: { ...connection, database: 'postgres' },
    pool: { min: 0, max: 2 },
    acquireConnectionTimeout: 10 * 60_000,
  });
  drops.push(
    postgresAdmin
      .raw('DROP DATABASE IF EXISTS ??', [connection.database])
      // Left for TestDatabases to drop at the file's end.
      .catch(() => {}),
  );
}
afterAll(async () => {
  await Promise.all(drops.splice(0));
  await postgresAdmin?.destroy();
  postgresAdmin = undefined;
}, 10 * 60_000);

/**
 * A fresh database of the given kind for one test: let go and dropped when
 * the test ends.
 */
export async function testDatabase(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
): Promise<Knex> {
  const knex = await databases.init(databaseId);
  createdDatabases.push(knex);
  return knex;
}

/**
 * Starts a backend with the monitor plugin on a fresh database of the given
 * kind (or on `knex`, to start again on the same data), reachable over real
 * HTTP. Its scheduled tasks run when a test triggers them, on a clock the
 * test moves.
 */
export async function startMonitorBackend(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  config: JsonObject = { monitor: { webhookSecret: TEST_SECRET } },
  options: {
    features?: Array<BackendFeature | Promise<{ default: BackendFeature }>>;
    clock?: TestClock;
    knex?: Knex;
    /** Several tests use it (started in a beforeAll): the caller stops it. */
    shared?: boolean;
    /** The scheduler to use instead of one whose tasks run only when triggered. */
    scheduler?: ServiceFactory<SchedulerService, 'plugin'>;
  } = {},
): Promise<MonitorTestBackend> {
  // Let go when the test ends, unless several tests share it: then the
  // caller stops it, and TestDatabases closes the pool.
  const perTest = !options.shared;
  const knex =
    options.knex ??
    (perTest
      ? await testDatabase(databases, databaseId)
      : await databases.init(databaseId));
  const clock = options.clock ?? new TestClock();
  // Tasks run when a test triggers them, never on their own.
  const scheduler = mockServices.scheduler();
  const backend = await startTestBackend({
    features: [
      monitorPlugin,
      mockServices.database.factory({ knex }),
      mockServices.rootConfig.factory({ data: config }),
      options.scheduler ??
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
      createServiceFactory({
        service: monitorClockServiceRef,
        deps: {},
        factory: () => clock,
      }),
      ...(options.features ?? []),
    ],
  });
  if (perTest) {
    startedBackends.push(backend);
  }
  return {
    server: backend.server,
    knex,
    clock,
    scheduler,
    stop: () => backend.stop(),
  };
}

/** Runs the scheduled check of late, missed and timed-out jobs once. */
export async function runCheck(backend: MonitorTestBackend) {
  await backend.scheduler.triggerTask('monitor-check-jobs');
}

/**
 * Runs the scheduled reading of the jobs that catalog entities name in
 * their annotation once.
 */
export async function linkCatalog(backend: MonitorTestBackend) {
  await backend.scheduler.triggerTask('monitor-link-catalog');
}

/**
 * Waits (up to 10 s) until every notice of the outbox has been sent.
 * Notifications go out after the commit: a test that looks at them right
 * after a report would race the sending.
 */
export async function notificationsSent(backend: MonitorTestBackend) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [{ count }] = await backend
      .knex('job_notices')
      .where('delivery', 'pending')
      .count({ count: '*' });
    if (Number(count) === 0) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(`${count} notification(s) still unsent after 10 s`);
    }
    await new Promise(r => setTimeout(r, 20));
  }
}

/** A report as the original snippet sends it. */
export function specReport(overrides: Record<string, unknown> = {}) {
  return {
    job_key: 'daily-price-sync',
    title: '価格同期処理',
    status: 'success',
    finished_at: '2024-01-25T10:00:00.123456+00:00',
    message: '処理完了',
    ...overrides,
  };
}

/**
 * POSTs a report to the webhook with the test secret, another secret, or
 * (with `null`) no secret header at all.
 */
export function postReport(
  server: MonitorTestBackend['server'],
  body: unknown,
  secret: string | null = TEST_SECRET,
) {
  const req = request(server)
    .post('/api/monitor/job-report')
    .set('Content-Type', 'application/json');
  if (secret !== null) {
    req.set(JOB_REPORT_SECRET_HEADER, secret);
  }
  return req.send(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Notifications and signals as the portal's backends would receive them. */
export function recorders() {
  const notifications: NotificationSendOptions[] = [];
  const signals: SignalPayload[] = [];
  return {
    notifications,
    signals,
    features: [
      createServiceFactory({
        service: notificationService,
        deps: {},
        factory: () => ({
          send: async (options: NotificationSendOptions) => {
            notifications.push(options);
          },
        }),
      }),
      createServiceFactory({
        service: signalsServiceRef,
        deps: {},
        factory: () => ({
          publish: async (signal: SignalPayload) => {
            signals.push(signal);
          },
        }),
      }),
    ],
  };
}

/** A permission backend module that decides with `handle`. */
export function permissionPolicy(handle: PermissionPolicy['handle']) {
  return createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-policy',
    register(reg) {
      reg.registerInit({
        deps: { policy: policyExtensionPoint },
        async init({ policy }) {
          policy.setPolicy({ handle });
        },
      });
    },
  });
}

/**
 * The monitor's stores on a test database, with the least config (keeping
 * 3 runs a job, for a day), on the given clock: for tests of the stores
 * without a backend.
 */
export function createTestStores(
  knex: Knex,
  now: () => Date,
): Promise<MonitorStores> {
  return createMonitorStores({
    database: { getClient: async () => knex },
    logger: mockServices.logger.mock(),
    configOf: jobConfigOf(
      readMonitorSettings(
        new ConfigReader({
          monitor: { webhookSecret: 's', defaultOwner: 'group:default/ops' },
        }),
      ),
    ),
    retention: { maxRunsPerJob: 3, maxAgeMs: 24 * 60 * 60_000 },
    now,
  });
}
