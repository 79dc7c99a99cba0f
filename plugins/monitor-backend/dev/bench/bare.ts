/*
 * The ceiling of the ingest benchmark: the smallest program that does the
 * durable work of a report. A bare node:http server and the database
 * driver (better-sqlite3 or pg, no knex), on the plugin's own tables (made
 * by its migrations, so with the same indexes): for each report, one
 * transaction that inserts the run and upserts the job, then the answer.
 * No validation beyond JSON and the secret, no rules, no Backstage. SQLite
 * runs as the plugin runs it: WAL, synchronous = FULL.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs dev/bench/bare.ts --config app-config.json
 */
import { ConfigReader } from '@backstage/config';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import knexFactory from 'knex';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// The drivers themselves (they ship no types of their own).
type SqliteDatabase = {
  pragma(sql: string): unknown;
  prepare(sql: string): { run(params: unknown[]): unknown };
  transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R;
};
type PgClient = {
  query(sql: string, params?: unknown[]): Promise<unknown>;
  release(): void;
};
/* eslint-disable @typescript-eslint/no-require-imports */
const Database = require('better-sqlite3') as new (
  file: string,
) => SqliteDatabase;
const { Pool } = require('pg') as {
  Pool: new (options: object) => { connect(): Promise<PgClient> };
};
/* eslint-enable @typescript-eslint/no-require-imports */

const config = new ConfigReader(
  JSON.parse(
    readFileSync(process.argv[process.argv.indexOf('--config') + 1], 'utf8'),
  ),
);
const SECRET = config.getString('monitor.webhookSecret');
const database = config.getConfig('backend.database');

type Report = {
  job_key: string;
  title: string;
  status: string;
  run_id?: string;
  finished_at?: string;
  started_at?: string;
  duration_ms?: number;
  exit_code?: number;
  host?: string;
  message?: string;
};

/** The two statements, with their parameters, for one report. */
function statements(report: Report, now: Date) {
  const finishedAt = report.finished_at ? new Date(report.finished_at) : null;
  const run = [
    randomUUID(),
    report.job_key,
    report.run_id ?? null,
    report.title,
    report.status === 'start' ? 'running' : report.status,
    report.started_at ? new Date(report.started_at) : null,
    finishedAt,
    now,
    report.duration_ms ?? null,
    report.exit_code ?? null,
    report.host ?? null,
    report.message ?? null,
  ];
  const job = [
    report.job_key,
    report.title,
    now,
    now,
    finishedAt,
    report.message ?? null,
  ];
  return { run, job };
}

const RUN_COLUMNS =
  'id, job_key, run_id, title, status, started_at, finished_at, received_at, duration_ms, exit_code, host, message';
const JOB_INSERT =
  '(job_key, title, created_at, health, failing, health_since, recent_outcomes, last_report_at, finished_at, message) values ';

async function writerFor(): Promise<
  (report: Report, now: Date) => Promise<string>
> {
  const client = database.getString('client');
  const migrate = async (connection: object | string) => {
    const knex = knexFactory({ client, connection, useNullAsDefault: true });
    await knex.migrate.latest({
      directory: resolvePackagePath(
        '@tc-portal/plugin-monitor-backend',
        'migrations',
      ),
    });
    await knex.destroy();
  };
  if (client === 'better-sqlite3') {
    const filename = join(
      database.getString('connection.directory'),
      'monitor.sqlite',
    );
    await migrate({ filename });
    const db = new Database(filename);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const insertRun = db.prepare(
      `insert into job_runs (${RUN_COLUMNS}) values (${Array(12)
        .fill('?')
        .join(', ')}) on conflict do nothing`,
    );
    const upsertJob = db.prepare(
      `insert into jobs ${JOB_INSERT} (?, ?, ?, 'ok', 0, ?, '', ?, ?, ?)
       on conflict (job_key) do update set last_report_at = excluded.last_report_at,
         finished_at = excluded.finished_at, message = excluded.message`,
    );
    const ms = (d: unknown) => (d instanceof Date ? d.getTime() : d);
    const write = db.transaction((report: Report, now: Date) => {
      const { run, job } = statements(report, now);
      insertRun.run(run.map(ms));
      upsertJob.run([
        job[0],
        job[1],
        ms(job[2]),
        ms(job[3]),
        ms(job[2]),
        ms(job[4]),
        job[5],
      ]);
      return run[0] as string;
    });
    return async (report, now) => write(report, now);
  }
  const url = new URL(database.getString('connection'));
  url.pathname = `/${database.getString('prefix')}monitor`;
  await migrate(url.toString());
  const pool = new Pool({ connectionString: url.toString(), max: 10 });
  return async (report, now) => {
    const { run, job } = statements(report, now);
    const connection = await pool.connect();
    try {
      await connection.query('begin');
      await connection.query(
        `insert into job_runs (${RUN_COLUMNS}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) on conflict do nothing`,
        run,
      );
      await connection.query(
        `insert into jobs ${JOB_INSERT} ($1, $2, $3, 'ok', false, $4, '', $3, $5, $6)
         on conflict (job_key) do update set last_report_at = excluded.last_report_at,
           finished_at = excluded.finished_at, message = excluded.message`,
        job,
      );
      await connection.query('commit');
      return run[0] as string;
    } catch (error) {
      await connection.query('rollback');
      throw error;
    } finally {
      connection.release();
    }
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function answer(res: ServerResponse, status: number, body: object) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function main() {
  const write = await writerFor();
  const server = createServer(async (req, res) => {
    try {
      if (req.method !== 'POST' || req.url !== '/api/monitor/job-report') {
        answer(res, 404, { error: { message: 'not found' } });
        return;
      }
      if (req.headers['x-tc-portal-webhook-secret'] !== SECRET) {
        answer(res, 401, { error: { message: 'wrong secret' } });
        return;
      }
      const report = JSON.parse(await readBody(req)) as Report;
      const id = await write(report, new Date());
      answer(res, 200, { success: true, id, job_key: report.job_key });
    } catch (error) {
      answer(res, 500, { error: { message: String(error) } });
    }
  });
  server.listen(config.getNumber('backend.listen.port'), '127.0.0.1');
  process.on('SIGTERM', () => {
    server.close();
    process.exit(0);
  });
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
