/*
 * Benchmarks of the monitor backend. Numbers to read, not tests:
 *
 *   yarn bench                       everything, on SQLite and PostgreSQL
 *   yarn bench --only ingest|read|retention|fanout --db sqlite|postgres --quick
 *   yarn bench --only ingest --live-updates
 *
 * - ingest: reports a second and p50/p99 latency of POST /job-report
 *   through the real Backstage backend on loopback at concurrency 1, 16 and
 *   64, loaded by wrk (dev/bench/wrk.ts: the original snippet's reports over
 *   50 job keys; after a warm-up at each level, 15 s a server, as the
 *   servers take turns), next to the ceiling (dev/bench/bare.ts: node:http and the
 *   database driver doing the same durable writes, a run inserted and its
 *   job upserted in one transaction, and nothing else) and the monitor's
 *   own code without Backstage (dev/bench/withoutBackstage.ts), on the same
 *   kind of database; the backend's memory before and after a minute at
 *   concurrency 64; and a burst like the top of the hour (10,000 jobs
 *   reporting once each at concurrency 256, from a node:http client, which
 *   counts each answer), counted in the database.
 * - read: with 10,000 jobs and 1,000,000 runs, the summary (the badge) and
 *   the first page of the job list, p50/p99, and the query plans.
 * - retention: pruning that history to 50 runs a job while reports come in,
 *   and what it does to their latency.
 * - fanout: hundreds of open pages following reports at 1,000 a second, and
 *   the reads a replica serves from memory (dev/bench/fanout.ts).
 *
 * With BENCH_CPU_PROFILE=<folder> the Backstage backend writes a V8 CPU
 * profile of its thread there when it is stopped.
 *
 * With --live-updates the Backstage side also publishes each report's live
 * update as a portal with the signals and events backends does, to a bus
 * another replica subscribes to (the other servers' go nowhere).
 *
 * Writes bench-results/results.json (results-live-updates.json with
 * --live-updates) and an SVG plot next to it, and prints Markdown tables for
 * docs/benchmarks.md.
 */
import { jobListQuerySchema } from '@tc-portal/plugin-monitor-common';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { Knex } from 'knex';
import { JobReader } from '../../src/database/JobReader';
import { BurstMix, LoadResult, percentile, ReportMix, runLoad } from './load';
import { plotIngest } from './plot';
import { runWrk } from './wrk';
import { fanOut } from './fanout';
import { seedJobs } from './seed';
import {
  BenchDatabase,
  DatabaseKind,
  freshDatabase,
  startServer,
  Target,
} from './servers';

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const quick = args.includes('--quick');
const liveUpdates = args.includes('--live-updates');
if (liveUpdates) {
  // Read by the servers this run starts (dev/bench/backstage.ts).
  process.env.BENCH_LIVE_UPDATES = '1';
}
const RESULTS = liveUpdates ? 'results-live-updates' : 'results';
const only = option('only');
const ALL_KINDS: DatabaseKind[] = ['sqlite', 'postgres'];
const kinds: DatabaseKind[] = option('db')
  ? [option('db') as DatabaseKind]
  : ALL_KINDS;
const OUT = resolve(__dirname, '../../../../bench-results');

const CONCURRENCY = [1, 16, 64];
const REQUESTS = quick ? 300 : 3000;
const POINT_SECONDS = quick ? 3 : 15;
const WARMUP_SECONDS = quick ? 1 : 2;
const JOBS = 10_000;
const RUNS_PER_JOB = quick ? 10 : 100;
const READ_REPEAT = quick ? 30 : 300;
const RETAINED_RUNS = 50;
const MEMORY_SECONDS = quick ? 10 : 60;
const BURST_JOBS = quick ? 2000 : 10_000;
const BURST_CONCURRENCY = 256;

// eslint-disable-next-line no-console
const say = (...parts: unknown[]) => console.log(...parts);
const fmt = (n: number, digits = 1) =>
  Number.isFinite(n) ? n.toFixed(digits) : '-';
const strip = (r: LoadResult) => ({ ...r, latencies: undefined });

type IngestRow = { kind: DatabaseKind; target: Target } & Omit<
  LoadResult,
  'latencies'
>;

/** A process's resident memory, in MiB. */
function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

type MemoryRow = {
  kind: DatabaseKind;
  seconds: number;
  startMiB: number;
  beforeMiB: number;
  afterMiB: number;
  load: Omit<LoadResult, 'latencies'>;
};
type BurstRow = {
  kind: DatabaseKind;
  target: Target;
  jobs: number;
  stored: number;
} & Omit<LoadResult, 'latencies'>;

/**
 * The servers of the comparison, each on a fresh database of the kind, all
 * started; at each concurrency they take turns in rounds, so that a slow
 * spell of the machine (the disk's fsync above all) falls on all of them.
 * Then the backend's memory under a minute of load, and the burst.
 */
async function ingest(
  kind: DatabaseKind,
): Promise<{ rows: IngestRow[]; memory: MemoryRow; bursts: BurstRow[] }> {
  const targets: Target[] = ['bare', 'alone', 'backstage'];
  const databases: BenchDatabase[] = [];
  const servers = [];
  for (const target of targets) {
    const database = await freshDatabase(kind, `ingest_${target}`);
    databases.push(database);
    servers.push(await startServer(target, database));
  }
  const rows: IngestRow[] = [];
  const bursts: BurstRow[] = [];
  let memory: MemoryRow | undefined;
  try {
    for (const concurrency of CONCURRENCY) {
      // Warm-up at this level: a server's first seconds with more
      // connections than before are slower than its steady state (the
      // first run of 64 connections had a p99 ten times the next one's).
      for (const server of servers) {
        await runWrk({
          base: server.base,
          concurrency,
          seconds: WARMUP_SECONDS,
        });
      }
      const results: LoadResult[] = [];
      for (const server of servers) {
        results.push(
          await runWrk({
            base: server.base,
            concurrency,
            seconds: POINT_SECONDS,
          }),
        );
      }
      for (const [i, target] of targets.entries()) {
        rows.push({ kind, target, ...strip(results[i]) });
        say(
          `ingest ${kind} ${target.padEnd(9)} c=${String(concurrency).padStart(
            2,
          )}: ${fmt(results[i].perSecond, 0)}/s p50 ${fmt(
            results[i].p50,
          )} ms p99 ${fmt(results[i].p99)} ms errors ${JSON.stringify(
            results[i].errors,
          )}`,
        );
      }
      say(
        `ingest ${kind} c=${concurrency}: Backstage at ${fmt(
          results[2].perSecond / results[0].perSecond,
          2,
        )} of the ceiling, ${fmt(
          results[2].perSecond / results[1].perSecond,
          2,
        )} of the monitor without Backstage`,
      );
    }

    // Memory: a minute of load at concurrency 64 on the backend, after a
    // minute that brings its heap to its working size (it grows to about
    // 780 MiB in the first minute, then stays).
    const backstage = servers[2];
    const startMiB = rssMiB(backstage.pid);
    const minuteAt64 = () =>
      runWrk({
        base: backstage.base,
        concurrency: 64,
        seconds: MEMORY_SECONDS,
      });
    await minuteAt64();
    const beforeMiB = rssMiB(backstage.pid);
    const load = await minuteAt64();
    const afterMiB = rssMiB(backstage.pid);
    memory = {
      kind,
      seconds: MEMORY_SECONDS,
      startMiB,
      beforeMiB,
      afterMiB,
      load: strip(load),
    };
    say(
      `memory ${kind}: backend RSS ${fmt(startMiB, 0)} MiB at the start, ${fmt(
        beforeMiB,
        0,
      )} MiB after ${MEMORY_SECONDS} s at c=64, ${fmt(
        afterMiB,
        0,
      )} MiB after ${MEMORY_SECONDS} s more (${fmt(load.perSecond, 0)}/s)`,
    );

    // The top of the hour, on the ceiling and on the backend.
    for (const i of [0, 2]) {
      const prefix = `burst-${targets[i]}`;
      const result = await runLoad({
        base: servers[i].base,
        mix: new BurstMix(prefix),
        concurrency: BURST_CONCURRENCY,
        requests: BURST_JOBS,
      });
      const knex = databases[i].connect();
      const [{ count }] = await knex('jobs')
        .where('job_key', 'like', `${prefix}-%`)
        .count({ count: '*' });
      await knex.destroy();
      bursts.push({
        kind,
        target: targets[i],
        jobs: BURST_JOBS,
        stored: Number(count),
        ...strip(result),
      });
      say(
        `burst ${kind} ${targets[i].padEnd(
          9,
        )}: ${BURST_JOBS} jobs at c=${BURST_CONCURRENCY} in ${fmt(
          result.seconds,
        )} s (${fmt(result.perSecond, 0)}/s), p50 ${fmt(
          result.p50,
        )} ms p99 ${fmt(result.p99)} ms max ${fmt(
          result.max,
        )} ms, ${count} stored, errors ${JSON.stringify(result.errors)}`,
      );
    }
  } finally {
    await Promise.all(servers.map(server => server.stop()));
  }
  return { rows, memory: memory!, bursts };
}

async function timeRequests(
  base: string,
  path: string | ((i: number) => string),
  repeat: number,
) {
  const urlOf = (i: number) =>
    `${base}${typeof path === 'string' ? path : path(i)}`;
  await fetch(urlOf(-1)).then(r => r.text());
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const start = process.hrtime.bigint();
    const res = await fetch(urlOf(i));
    await res.text();
    if (res.status !== 200) {
      throw new Error(`${urlOf(i)} answered ${res.status}`);
    }
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

/** The plans the database makes for the queries the store runs. */
async function queryPlans(knex: Knex, kind: DatabaseKind) {
  const store = new JobReader(knex);
  const queries: Array<{ sql: string; bindings: unknown[] }> = [];
  const listen = (q: { sql: string; bindings: unknown[] }) => queries.push(q);
  knex.on('query', listen);
  const now = new Date();
  const captured: Record<string, typeof queries> = {};
  await store.summaryFacts(now);
  captured.summary = queries.splice(0);
  await store.listJobs(jobListQuerySchema.parse({ limit: 20 }), now);
  captured['list (first page)'] = queries.splice(0);
  knex.off('query', listen);

  const plans: Record<string, string[]> = {};
  for (const [name, list] of Object.entries(captured)) {
    plans[name] = [];
    for (const { sql, bindings } of list) {
      let plan: string;
      if (kind === 'postgres') {
        const connection = await (knex.client as any).acquireConnection();
        try {
          const result = await connection.query(
            `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql}`,
            bindings,
          );
          plan = result.rows.map((r: any) => r['QUERY PLAN']).join('\n');
        } finally {
          await (knex.client as any).releaseConnection(connection);
        }
      } else {
        const rows = await knex.raw(
          `EXPLAIN QUERY PLAN ${sql}`,
          bindings as any,
        );
        plan = (rows as any[]).map(r => r.detail).join('\n');
      }
      plans[name].push(`${sql}\n${plan}`);
    }
  }
  return plans;
}

async function countRuns(knex: Knex) {
  for (let attempt = 0; ; attempt++) {
    try {
      const [{ count }] = await knex('job_runs').count({ count: '*' });
      return Number(count);
    } catch (error) {
      if (attempt > 20) throw error;
      await new Promise(r => setTimeout(r, 100));
    }
  }
}

/**
 * Waits until the scheduler says a task of the server ran (ended after
 * `since`) and is idle; returns when it ended.
 */
async function taskEnded(base: string, taskId: string, since: number) {
  for (;;) {
    await new Promise(r => setTimeout(r, 250));
    const res = await fetch(`${base}/.backstage/scheduler/v1/tasks`);
    const { tasks } = (await res.json()) as {
      tasks: Array<{ taskId: string; taskState: any }>;
    };
    const state = tasks.find(t => t.taskId === taskId)?.taskState;
    const ended = state?.lastRunEndedAt ? Date.parse(state.lastRunEndedAt) : 0;
    if (state?.status === 'idle' && ended >= since) {
      return ended;
    }
    if (Date.now() - since > 30 * 60_000) {
      throw new Error(`${taskId} did not end within 30 minutes`);
    }
  }
}

async function readAndRetention(kind: DatabaseKind, phases: Set<string>) {
  const database: BenchDatabase = await freshDatabase(kind, 'read');
  // The backend makes the tables; the history goes in behind its back.
  let server = await startServer('backstage', database);
  const knex = database.connect();
  const out: Record<string, unknown> = {};
  try {
    const seeding = Date.now();
    await seedJobs(knex, {
      jobs: JOBS,
      runsPerJob: RUNS_PER_JOB,
      now: new Date(),
    });
    say(
      `read ${kind}: seeded ${JOBS} jobs and ${
        JOBS * RUNS_PER_JOB
      } runs in ${fmt((Date.now() - seeding) / 1000)} s`,
    );
    if (kind === 'postgres') {
      await knex.raw('ANALYZE');
    }

    if (phases.has('read')) {
      // A search repeated is answered from memory (the same read of the
      // same data): each search here asks for another job, so that the
      // index does the work. Titles are `ジョブ <n>`.
      const someJob = (i: number) => (i * 7919 + 17) % JOBS;
      const routes: Record<string, string | ((i: number) => string)> = {
        'GET /summary (the badge)': '/summary',
        'GET /jobs first page of 20': '/jobs?limit=20',
        'GET /jobs?health=error': '/jobs?health=error&limit=20',
        'GET /jobs?q=9999 (search)': '/jobs?q=9999&limit=20',
        'search, another key each time': i =>
          `/jobs?q=${String(someJob(i)).padStart(5, '0')}&limit=20`,
        'search, Japanese title part': i =>
          `/jobs?q=${encodeURIComponent(`ブ ${someJob(i)}`)}&limit=20`,
        'search, two characters': i =>
          `/jobs?q=${String(someJob(i) % 100).padStart(2, '0')}&limit=20`,
        'GET /jobs/:jobKey (detail)': '/jobs/job-05000',
      };
      const latencies: Record<string, { p50: number; p99: number }> = {};
      for (const [name, path] of Object.entries(routes)) {
        latencies[name] = await timeRequests(server.base, path, READ_REPEAT);
        say(
          `read ${kind} ${name.padEnd(28)} p50 ${fmt(
            latencies[name].p50,
          )} ms p99 ${fmt(latencies[name].p99)} ms`,
        );
      }
      out.read = {
        jobs: JOBS,
        runs: JOBS * RUNS_PER_JOB,
        repeat: READ_REPEAT,
        latencies,
      };
      out.plans = await queryPlans(knex, kind);
    }

    if (phases.has('retention')) {
      // Again, now keeping 50 runs a job: half of the history goes.
      await server.stop();
      const restarted = Date.now();
      server = await startServer('backstage', database, {
        retention: { maxRunsPerJob: RETAINED_RUNS, frequency: { hours: 24 } },
      });
      // A start re-judges every job (config may have changed the rules):
      // let that check end first, so that only the pruning is measured.
      const recheck = Date.now();
      await taskEnded(server.base, 'monitor-check-jobs', restarted);
      say(
        `retention ${kind}: the check after the restart took ${fmt(
          (Date.now() - recheck) / 1000,
        )} s`,
      );
      const before = await countRuns(knex);
      const mix = new ReportMix(JOBS, 'job');
      const baseline = await runLoad({
        base: server.base,
        mix,
        concurrency: 16,
        requests: REQUESTS,
      });
      const pruneStarted = Date.now();
      const trigger = await fetch(
        `${server.base}/.backstage/scheduler/v1/tasks/monitor-prune-history/trigger`,
        { method: 'POST' },
      );
      if (trigger.status !== 200) {
        throw new Error(`could not start the pruning: HTTP ${trigger.status}`);
      }
      let pruneSeconds = NaN;
      // (The runs are counted only before and after: counting a million
      // rows while it runs would hold SQLite's lock and slow the ingest it
      // measures.)
      const pruned = taskEnded(
        server.base,
        'monitor-prune-history',
        pruneStarted,
      ).then(ended => {
        pruneSeconds = (ended - pruneStarted) / 1000;
      });
      const during = await runLoad({
        base: server.base,
        mix,
        concurrency: 16,
        until: pruned,
      });
      await pruned;
      const after = await countRuns(knex);
      out.retention = {
        runsBefore: before,
        runsAfter: after,
        pruneSeconds,
        baseline: strip(baseline),
        during: strip(during),
      };
      say(
        `retention ${kind}: ${before} → ${after} runs in ${fmt(
          pruneSeconds,
        )} s; ingest before p50 ${fmt(baseline.p50)} p99 ${fmt(
          baseline.p99,
        )} ms, during p50 ${fmt(during.p50)} p99 ${fmt(during.p99)} ms (${fmt(
          during.perSecond,
          0,
        )}/s), errors ${JSON.stringify(during.errors)}`,
      );
    }
  } finally {
    await server.stop();
    await knex.destroy();
  }
  return out;
}

function markdown(results: any) {
  const lines: string[] = [];
  for (const kind of ALL_KINDS) {
    const fanout = results.fanout?.[kind];
    if (!fanout) continue;
    lines.push(
      `Fan-out on ${kind}, ${fanout.jobs} jobs, reports at ${
        fanout.rate
      }/s on a fixed schedule (wrk, ${fanout.connections ?? 16} connections):`,
      '',
      "| viewers | reports/s (p50 / p99 ms) | of the rate with no viewer | staleness p50 / p99 (ms) | reads served/s | backend CPU (cores) | viewers' process CPU (cores) | machine busy (cores) |",
      '| --: | --: | --: | --: | --: | --: | --: | --: |',
    );
    const alone = fanout.windows[0].ingest.perSecond;
    for (const w of fanout.windows) {
      lines.push(
        `| ${w.viewers} | ${fmt(w.ingest.perSecond, 0)} (${fmt(
          w.ingest.p50,
        )} / ${fmt(w.ingest.p99)}) | ${fmt(w.ingest.perSecond / alone, 2)} | ${
          w.staleness
            ? `${fmt(w.staleness.p50, 0)} / ${fmt(w.staleness.p99, 0)} (${
                w.staleness.samples
              } of ${w.staleness.expected})`
            : '-'
        } | ${fmt(w.readsPerSecond, 0)} | ${fmt(w.cpu, 2)} | ${fmt(
          w.viewersCpu,
          2,
        )} | ${fmt(w.machineBusy, 2)} |`,
      );
    }
    const { summary, notModifiedList } = fanout.atRest;
    lines.push(
      '',
      `At rest, 16 connections: GET /summary ${fmt(
        summary.perSecond,
        0,
      )}/s (p50 ${fmt(summary.p50)} / p99 ${fmt(
        summary.p99,
      )} ms); a conditional GET /jobs?limit=20 not modified ${fmt(
        notModifiedList.perSecond,
        0,
      )}/s (p50 ${fmt(notModifiedList.p50)} / p99 ${fmt(
        notModifiedList.p99,
      )} ms).`,
      '',
    );
  }
  if (results.ingest?.length) {
    lines.push(
      '| database | concurrency | ceiling: node:http + driver (reports/s, p50 / p99 ms) | the monitor without Backstage | Backstage backend | ratio to the ceiling | ratio to the monitor alone | errors |',
      '| --- | --: | --: | --: | --: | --: | --: | --: |',
    );
    const errorsOf = (r: IngestRow) =>
      Object.values(r.errors as Record<string, number>).reduce(
        (a, b) => a + b,
        0,
      );
    const cell = (r: IngestRow) =>
      `${fmt(r.perSecond, 0)} (${fmt(r.p50)} / ${fmt(r.p99)})`;
    for (const kind of ALL_KINDS) {
      for (const c of CONCURRENCY) {
        const find = (t: Target) =>
          results.ingest.find(
            (r: IngestRow) =>
              r.kind === kind && r.target === t && r.concurrency === c,
          );
        const [bare, alone, backstage] = (
          ['bare', 'alone', 'backstage'] as Target[]
        ).map(find);
        if (!bare || !alone || !backstage) continue;
        lines.push(
          `| ${kind} | ${c} | ${cell(bare)} | ${cell(alone)} | ${cell(
            backstage,
          )} | ${fmt(backstage.perSecond / bare.perSecond, 2)} | ${fmt(
            backstage.perSecond / alone.perSecond,
            2,
          )} | ${errorsOf(bare) + errorsOf(alone) + errorsOf(backstage)} |`,
        );
      }
    }
    lines.push('');
  }
  for (const memory of (results.memory ?? []) as MemoryRow[]) {
    lines.push(
      `Memory, ${memory.kind}: the backend's RSS ${fmt(
        memory.startMiB,
        0,
      )} MiB at the start, ${fmt(memory.beforeMiB, 0)} MiB after ${
        memory.seconds
      } s at concurrency 64, ${fmt(memory.afterMiB, 0)} MiB after ${
        memory.seconds
      } s more (${fmt(memory.load.perSecond, 0)} reports/s, p99 ${fmt(
        memory.load.p99,
      )} ms).`,
      '',
    );
  }
  if (results.bursts?.length) {
    lines.push(
      `| burst: jobs reporting once each at concurrency ${BURST_CONCURRENCY} | database | seconds | reports/s | p50 ms | p99 ms | max ms | stored | errors |`,
      '| --- | --- | --: | --: | --: | --: | --: | --: | --: |',
    );
    for (const b of results.bursts as BurstRow[]) {
      lines.push(
        `| ${b.target} (${b.jobs} jobs) | ${b.kind} | ${fmt(b.seconds)} | ${fmt(
          b.perSecond,
          0,
        )} | ${fmt(b.p50)} | ${fmt(b.p99)} | ${fmt(b.max)} | ${
          b.stored
        } | ${JSON.stringify(b.errors)} |`,
      );
    }
    lines.push('');
  }
  for (const kind of ALL_KINDS) {
    const read = results[kind]?.read;
    if (read) {
      lines.push(
        `Read side, ${kind}: ${read.jobs} jobs, ${read.runs} runs, ${read.repeat} requests each`,
        '',
        '| route | p50 ms | p99 ms |',
        '| --- | --: | --: |',
      );
      for (const [name, l] of Object.entries(
        read.latencies as Record<string, any>,
      )) {
        lines.push(`| ${name} | ${fmt(l.p50)} | ${fmt(l.p99)} |`);
      }
      lines.push('');
    }
    const retention = results[kind]?.retention;
    if (retention) {
      lines.push(
        `Retention, ${kind}: ${retention.runsBefore} → ${
          retention.runsAfter
        } runs in ${fmt(
          retention.pruneSeconds,
        )} s. Ingest at concurrency 16: before ${fmt(
          retention.baseline.perSecond,
          0,
        )}/s, p50 ${fmt(retention.baseline.p50)} / p99 ${fmt(
          retention.baseline.p99,
        )} ms; during ${fmt(retention.during.perSecond, 0)}/s, p50 ${fmt(
          retention.during.p50,
        )} / p99 ${fmt(retention.during.p99)} ms, max ${fmt(
          retention.during.max,
        )} ms; errors ${JSON.stringify(retention.during.errors)}.`,
        '',
      );
    }
  }
  return lines.join('\n');
}

/** The results of earlier runs of the same mode, so phases can be re-run alone. */
function earlierResults(): any {
  try {
    const earlier = JSON.parse(
      readFileSync(join(OUT, `${RESULTS}.json`), 'utf8'),
    );
    return earlier.quick === quick ? earlier : {};
  } catch {
    return {};
  }
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const results: any = {
    ...earlierResults(),
    when: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
    },
    quick,
  };
  results.ingest ??= [];
  results.memory ??= [];
  results.bursts ??= [];
  for (const kind of kinds) {
    if (!only || only === 'ingest') {
      const { rows, memory, bursts } = await ingest(kind);
      const others = (list: Array<{ kind: DatabaseKind }>) =>
        list.filter(r => r.kind !== kind);
      results.ingest = [...others(results.ingest), ...rows];
      results.memory = [...others(results.memory), memory];
      results.bursts = [...others(results.bursts), ...bursts];
    }
    if (!only || only === 'fanout') {
      results.fanout = {
        ...results.fanout,
        [kind]: await fanOut(kind, { quick, jobs: JOBS }),
      };
    }
    if (!only || only === 'read' || only === 'retention') {
      const phases = new Set(only ? [only] : ['read', 'retention']);
      results[kind] = {
        ...results[kind],
        ...(await readAndRetention(kind, phases)),
      };
    }
  }
  writeFileSync(join(OUT, `${RESULTS}.json`), JSON.stringify(results, null, 2));
  if (results.ingest.length) {
    writeFileSync(
      join(OUT, liveUpdates ? 'ingest-live-updates.svg' : 'ingest.svg'),
      plotIngest(results.ingest),
    );
  }
  say(`\n${markdown(results)}`);
  for (const kind of ALL_KINDS) {
    for (const [name, plans] of Object.entries(
      (results[kind]?.plans ?? {}) as Record<string, string[]>,
    )) {
      say(`\n--- query plans, ${kind}: ${name}\n${plans.join('\n\n')}`);
    }
  }
  say(`\nresults in ${OUT}`);
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
