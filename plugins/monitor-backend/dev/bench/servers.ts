import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import knexFactory, { Knex } from 'knex';
import getPort from 'get-port';
import { mockCredentials } from '@backstage/backend-test-utils';

export const BENCH_SECRET = 'bench-webhook-secret';
export const PACKAGE_DIR = resolve(__dirname, '../..');

export type DatabaseKind = 'sqlite' | 'postgres';

/** A fresh database of a kind, as both servers of a comparison see it. */
export type BenchDatabase = {
  kind: DatabaseKind;
  /** backend.database for the Backstage backend (a plugin database of its own). */
  backendConfig: object;
  /** A knex on the database the monitor plugin uses. */
  connect(): Knex;
};

const POSTGRES_URL =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
  'postgresql://postgres@127.0.0.1:5432';

export async function freshDatabase(
  kind: DatabaseKind,
  name: string,
): Promise<BenchDatabase> {
  if (kind === 'sqlite') {
    const directory = mkdtempSync(join(tmpdir(), `monitor-bench-${name}-`));
    return {
      kind,
      backendConfig: { client: 'better-sqlite3', connection: { directory } },
      connect: () =>
        knexFactory({
          client: 'better-sqlite3',
          connection: { filename: join(directory, 'monitor.sqlite') },
          useNullAsDefault: true,
        }),
    };
  }
  const prefix = `bench_${name}_${Date.now()}_`;
  const database = `${prefix}monitor`;
  const admin = knexFactory({ client: 'pg', connection: POSTGRES_URL });
  await admin.raw('CREATE DATABASE ??', [database]);
  await admin.destroy();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  return {
    kind,
    backendConfig: {
      client: 'pg',
      connection: POSTGRES_URL,
      prefix,
      ensureExists: true,
    },
    connect: () =>
      knexFactory({
        client: 'pg',
        connection: url.toString(),
        pool: { min: 0, max: 10 },
      }),
  };
}

/**
 * - bare: the ceiling, the smallest program doing the same durable writes
 *   (dev/bench/bare.ts);
 * - alone: the monitor's own code without Backstage
 *   (dev/bench/withoutBackstage.ts);
 * - backstage: the real backend with the plugin (dev/bench/backstage.ts).
 */
export type Target = 'bare' | 'alone' | 'backstage';

const ENTRIES: Record<Target, string> = {
  bare: 'dev/bench/bare.ts',
  alone: 'dev/bench/withoutBackstage.ts',
  backstage: 'dev/bench/backstage.ts',
};

/** A server in a process of its own, reachable on loopback. */
export type RunningServer = {
  target: Target;
  port: number;
  base: string;
  pid: number;
  stop(): Promise<void>;
};

/** Starts one of the servers of the comparison on the given database. */
export async function startServer(
  target: Target,
  database: BenchDatabase,
  monitorConfig: object = {},
  options: { liveUpdates?: boolean } = {},
): Promise<RunningServer> {
  const liveUpdates =
    options.liveUpdates ?? process.env.BENCH_LIVE_UPDATES === '1';
  const port = await getPort({ host: '127.0.0.1' });
  const folder = mkdtempSync(join(tmpdir(), 'monitor-bench-server-'));
  const configPath = join(folder, 'app-config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      backend: {
        baseUrl: `http://localhost:${port}`,
        listen: { port, host: '127.0.0.1' },
        database: database.backendConfig,
      },
      monitor: {
        webhookSecret: BENCH_SECRET,
        // The demo backend has no notifications backend to send to.
        notifications: { enabled: false },
        ...monitorConfig,
      },
    }),
  );
  const entry = ENTRIES[target];
  const log = openSync(join(folder, 'server.log'), 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      '@backstage/cli-node/config/nodeTransform.cjs',
      entry,
      '--config',
      configPath,
    ],
    {
      cwd: PACKAGE_DIR,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        NODE_ENV: 'production',
        BENCH_LIVE_UPDATES: liveUpdates ? '1' : '',
      },
    },
  );
  const base = `http://127.0.0.1:${port}/api/monitor`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`${target} exited; see ${join(folder, 'server.log')}`);
    }
    try {
      const res = await fetch(`${base}/job-report`, { method: 'POST' });
      if (res.status === 401) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${target} did not start; see ${join(folder, 'server.log')}`,
      );
    }
    await new Promise(r => setTimeout(r, 200));
  }
  if (target === 'backstage' && liveUpdates) {
    await subscribeAnotherReplica(`http://127.0.0.1:${port}`);
  }
  return {
    target,
    port,
    base,
    pid: child.pid!,
    stop: () =>
      new Promise<void>(done => {
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
      }),
  };
}

/**
 * Subscribes to the signals topic on the events bus as another replica's
 * signals backend would, so that the bus stores every live update for it
 * (with no other subscriber it stores nothing). Nobody reads them: the
 * events backend's cleanup task drops them.
 */
async function subscribeAnotherReplica(root: string) {
  const res = await fetch(
    `${root}/api/events/bus/v1/subscriptions/signals.another-replica`,
    {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${mockCredentials.service.token()}`,
      },
      body: JSON.stringify({ topics: ['signals'] }),
    },
  );
  if (!res.ok) {
    throw new Error(
      `could not subscribe to the events bus: HTTP ${
        res.status
      } ${await res.text()}`,
    );
  }
}
