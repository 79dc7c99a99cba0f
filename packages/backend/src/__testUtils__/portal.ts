/*
 * The demo portal's backend in processes of its own, for tests of the portal
 * as a whole: several replicas on one database, or one that is killed and
 * started again.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import getPort from 'get-port';
import knexFactory from 'knex';
import { JOB_REPORT_SECRET_HEADER } from '@tc-portal/plugin-monitor-common';

export const POSTGRES_URL =
  process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING;
export const SECRET = 'replicas-webhook-secret';
const PACKAGE_DIR = resolve(__dirname, '../..');
const REPO_ROOT = resolve(PACKAGE_DIR, '../..');

export type Replica = {
  name: string;
  base: string;
  /** Where its metrics are served for Prometheus. */
  metrics: string;
  log: string;
  stop(): Promise<void>;
  /** Kills the process at once, as a crash or a power cut would. */
  kill(): Promise<void>;
};

/** Starts the demo backend (src/index.ts) with app-config.yaml and `config`. */
export async function startReplica(
  name: string,
  config: object,
): Promise<Replica> {
  const port = await getPort({ host: '127.0.0.1' });
  const metricsPort = await getPort({ host: '127.0.0.1' });
  const folder = mkdtempSync(join(tmpdir(), `portal-replica-${name}-`));
  const configPath = join(folder, 'app-config.replica.json');
  const base = `http://127.0.0.1:${port}`;
  writeFileSync(
    configPath,
    JSON.stringify({
      ...config,
      backend: {
        ...(config as { backend: object }).backend,
        baseUrl: base,
        listen: { port, host: '127.0.0.1' },
      },
    }),
  );
  const log = join(folder, 'backend.log');
  const out = openSync(log, 'a');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--require',
      '@backstage/cli-node/config/nodeTransform.cjs',
      'src/index.ts',
      '--config',
      join(REPO_ROOT, 'app-config.yaml'),
      '--config',
      configPath,
    ],
    {
      cwd: PACKAGE_DIR,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        PROMETHEUS_HOST: '127.0.0.1',
        PROMETHEUS_PORT: String(metricsPort),
      },
    },
  );
  const exited = new Promise<void>(done => child.once('exit', () => done()));
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `replica ${name} exited:\n${readFileSync(log, 'utf8').slice(-3000)}`,
      );
    }
    const ready = await fetch(`${base}/.backstage/health/v1/readiness`).then(
      res => res.ok,
      () => false,
    );
    if (ready) {
      break;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`replica ${name} did not start; see ${log}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
  return {
    name,
    base,
    metrics: `http://127.0.0.1:${metricsPort}/metrics`,
    log,
    kill: async () => {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
        await exited;
        clearTimeout(kill);
      }
    },
  };
}

/** The guest's Backstage token, as the sign-in page gets it. */
export async function guestToken(replica: Replica): Promise<string> {
  const res = await fetch(`${replica.base}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) {
    throw new Error(`guest sign-in: HTTP ${res.status} ${await res.text()}`);
  }
  const body = await res.json();
  return body.backstageIdentity.token;
}

/** Polls `read` until it gives a value, for up to a minute. */
export async function eventually<T>(
  what: string,
  read: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`gave up waiting for ${what}`);
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

export async function getJson(replica: Replica, path: string, token: string) {
  const res = await fetch(`${replica.base}${path}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return res.ok ? res.json() : undefined;
}

/** Sends a report of `jobKey` to a replica, and expects it taken. */
export async function report(
  replica: Replica,
  jobKey: string,
  status: string,
  fields: { title?: string; finishedAt?: Date; entityRef?: string } = {},
): Promise<void> {
  const res = await fetch(`${replica.base}/api/monitor/job-report`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      [JOB_REPORT_SECRET_HEADER]: SECRET,
    },
    body: JSON.stringify({
      job_key: jobKey,
      title: fields.title ?? jobKey,
      status,
      finished_at: (fields.finishedAt ?? new Date()).toISOString(),
      message: `${status} via ${replica.name}`,
      ...(fields.entityRef && { entity_ref: fields.entityRef }),
    }),
  });
  expect(res.status).toBe(200);
}

/**
 * Waits until the catalog of a replica knows the demo's guest user, whom
 * the demo's notifications reach (through group:default/guests), and
 * returns the guest's token.
 */
export async function guestOnceKnown(replica: Replica): Promise<string> {
  await eventually('the catalog to hold the guest user', async () => {
    const res = await fetch(
      `${replica.base}/api/catalog/entities/by-name/user/default/guest`,
      { headers: { Authorization: `Bearer ${await guestToken(replica)}` } },
    );
    return res.ok ? true : undefined;
  });
  return guestToken(replica);
}

/**
 * The config of a replica of the demo portal on the test PostgreSQL, its
 * plugins' databases named with `prefix`. Without a PostgreSQL to test on,
 * a failure, never a skip.
 */
export function replicaConfig(prefix: string) {
  if (!POSTGRES_URL) {
    throw new Error(
      'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING must name the PostgreSQL server to test on',
    );
  }
  return {
    backend: {
      database: { client: 'pg', connection: POSTGRES_URL, prefix },
    },
    auth: {
      providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
    },
    monitor: {
      webhookSecret: SECRET,
      // The links of the catalog's annotations, read every second rather
      // than the demo's 15, so that a test waits for them as little.
      catalog: { refreshFrequency: { seconds: 1 } },
      // Checked every second, and one job reminded every two: the replicas
      // test sees reminders decided by whichever replica checks.
      checkFrequency: { seconds: 1 },
      jobs: { 'replica-remind': { remindEvery: 'PT2S' } },
    },
  };
}

/** Drops the databases the replicas' plugins made under `prefix`. */
export async function dropDatabases(prefix: string) {
  if (!POSTGRES_URL) {
    return;
  }
  const admin = knexFactory({ client: 'pg', connection: POSTGRES_URL });
  const names = await admin('pg_database')
    .where('datname', 'like', `${prefix}%`)
    .pluck('datname');
  for (const name of names) {
    await admin.raw('DROP DATABASE ?? WITH (FORCE)', [name]);
  }
  await admin.destroy();
}
