/*
 * The fan-out phase of the benchmark (`yarn bench --only fanout`): the
 * portal's open pages following a burst of reports. N viewers (0, 100, 500)
 * each sign in, subscribe to the monitor's signal channel over the signals
 * WebSocket as the frontend does, and on each signal reload the summary
 * (the badge) and the list's first page with the frontend's throttle (at
 * most once a second), conditionally, as a browser's cache does; meanwhile
 * wrk sends reports on a fixed schedule of 1,000 a second over 64
 * connections, and a probe sends a report of
 * a new job every 200 ms. It prints the ingest rate and p99 with and
 * without the viewers, the viewers' staleness (from a probe's answer to a
 * viewer holding a summary that counts its job), the reads the backend
 * served a second, and the backend's CPU. Then, with no viewer and no
 * report, GET /summary and a conditional GET /jobs?limit=20 at 16
 * connections: what a replica serves when many pages are open.
 */
import { mockCredentials } from '@backstage/backend-test-utils';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { percentile } from './load';
import { seedJobs } from './seed';
import {
  BENCH_SECRET,
  BenchDatabase,
  DatabaseKind,
  freshDatabase,
  RunningServer,
  startServer,
} from './servers';
import { runWrk } from './wrk';

const RATE = 1000;
/**
 * Enough connections that the schedule, not their number, sets the rate:
 * jobs report from many machines, each on a connection of its own, and do
 * not wait for each other's answers. With 16, an answer of 16 ms or more
 * (PostgreSQL's, at 10,000 jobs) capped the rate below 1,000 a second.
 */
const REPORT_CONNECTIONS = 64;
const THROTTLE_MS = 1000;
const PROBE_EVERY_MS = 200;

/** The CPU seconds a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .split(') ')[1]
    .split(' ');
  // utime and stime, in clock ticks (100 a second on Linux).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * The machine's CPU time so far, in clock ticks of all its cores: busy, and
 * in all.
 */
function machineTicks(): { busy: number; total: number } {
  const ticks = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  // idle and iowait
  return { busy: total - ticks[3] - (ticks[4] ?? 0), total };
}

type Probe = { total: number; answeredAt: number };

/** An open page: the badge and the list, following the signals. */
class Viewer {
  private socket?: WebSocket;
  private etags: Record<string, string> = {};
  private lastLoad = 0;
  private pending?: ReturnType<typeof setTimeout>;
  private seen = 0;
  total = 0;

  constructor(
    private readonly root: string,
    private readonly token: string,
    private readonly probes: Probe[],
    private readonly staleness: number[],
    private readonly served: { count: number; failed: number },
  ) {}

  async open(): Promise<void> {
    // A connection that does not open in a few seconds is tried again, as
    // the frontend's signals client does.
    for (let attempt = 0; attempt < 5; attempt++) {
      const socket = new WebSocket(
        `${this.root.replace('http', 'ws')}/api/signals`,
        this.token,
      );
      const opened = await new Promise<boolean>(done => {
        const timer = setTimeout(() => done(false), 5000);
        socket.addEventListener('open', () => {
          clearTimeout(timer);
          done(true);
        });
        socket.addEventListener('error', () => done(false));
      });
      if (opened) {
        this.socket = socket;
        socket.addEventListener('message', () => this.changed());
        socket.send(
          JSON.stringify({ action: 'subscribe', channel: 'monitor:jobs' }),
        );
        await this.load();
        return;
      }
      socket.close();
    }
    throw new Error('a viewer could not open the signals connection');
  }

  /** A signal: reload now, or once the throttle's second has passed. */
  private changed() {
    const wait = this.lastLoad + THROTTLE_MS - Date.now();
    if (wait <= 0) {
      void this.load();
    } else {
      this.pending ??= setTimeout(() => {
        this.pending = undefined;
        void this.load();
      }, wait);
    }
  }

  private async get(path: string) {
    const res = await fetch(`${this.root}/api/monitor${path}`, {
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(this.etags[path] && { 'If-None-Match': this.etags[path] }),
      },
    });
    this.served.count += 1;
    const etag = res.headers.get('etag');
    if (etag) {
      this.etags[path] = etag;
    }
    return res.status === 200 ? res.json() : undefined;
  }

  private async load() {
    this.lastLoad = Date.now();
    let summary;
    try {
      [summary] = await Promise.all([
        this.get('/summary'),
        this.get('/jobs?limit=20'),
      ]);
    } catch {
      // A reset connection: the page tries again at the next signal.
      this.served.failed += 1;
      return;
    }
    if (!summary) {
      return;
    }
    this.total = summary.totalCount;
    const now = Date.now();
    while (
      this.seen < this.probes.length &&
      this.probes[this.seen].total <= this.total
    ) {
      this.staleness.push(now - this.probes[this.seen].answeredAt);
      this.seen += 1;
    }
  }

  close() {
    clearTimeout(this.pending);
    this.socket?.close();
  }
}

/** Reports a failure of a new job, sent again on a reset connection. */
async function report(base: string, jobKey: string): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const answer = await fetch(`${base}/job-report`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-TC-Portal-Webhook-Secret': BENCH_SECRET,
      },
      body: JSON.stringify({
        job_key: jobKey,
        title: `プローブ ${jobKey}`,
        status: 'error',
        finished_at: new Date().toISOString(),
      }),
    }).catch(() => undefined);
    if (answer?.status === 200) {
      return;
    }
  }
  throw new Error(`a probe's report of ${jobKey} was not taken`);
}

/** One window of reports at RATE, with `count` viewers following. */
async function window(
  server: RunningServer,
  root: string,
  count: number,
  seconds: number,
) {
  const probes: Probe[] = [];
  const staleness: number[] = [];
  const served = { count: 0, failed: 0 };
  const token = mockCredentials.user.token();
  const viewers = Array.from(
    { length: count },
    () => new Viewer(root, token, probes, staleness, served),
  );
  for (let i = 0; i < viewers.length; i += 50) {
    await Promise.all(viewers.slice(i, i + 50).map(v => v.open()));
  }
  const summary = await fetch(`${server.base}/summary`).then(r => r.json());
  let total = summary.totalCount;
  served.count = 0;
  const cpuBefore = cpuSeconds(server.pid);
  const viewersCpuBefore = cpuSeconds(process.pid);
  const machineBefore = machineTicks();
  const started = Date.now();
  let probing = true;
  const probeLoop = (async () => {
    let n = 0;
    while (probing) {
      const jobKey = `probe-${count}-${n++}-${started}`;
      await report(server.base, jobKey);
      total += 1;
      probes.push({ total, answeredAt: Date.now() });
      await new Promise(r => setTimeout(r, PROBE_EVERY_MS));
    }
  })();
  const ingest = await runWrk({
    base: server.base,
    concurrency: REPORT_CONNECTIONS,
    seconds,
    rate: RATE,
  });
  probing = false;
  await probeLoop;
  const elapsed = (Date.now() - started) / 1000;
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const viewersCpu = cpuSeconds(process.pid) - viewersCpuBefore;
  const machineAfter = machineTicks();
  const reads = served.count / elapsed;
  // The last probes have a moment to reach the viewers.
  await new Promise(r => setTimeout(r, 2 * THROTTLE_MS));
  viewers.forEach(v => v.close());
  staleness.sort((a, b) => a - b);
  return {
    viewers: count,
    ingest: { perSecond: ingest.perSecond, p50: ingest.p50, p99: ingest.p99 },
    errors: ingest.errors,
    staleness: count
      ? {
          samples: staleness.length,
          expected: probes.length * count,
          p50: percentile(staleness, 0.5),
          p99: percentile(staleness, 0.99),
        }
      : undefined,
    readsPerSecond: reads,
    failedReloads: served.failed,
    cpu: cpu / elapsed,
    /** The CPU of this process: the viewers, their sockets and reads. */
    viewersCpu: viewersCpu / elapsed,
    /** How many of the machine's cores were busy, on average. */
    machineBusy:
      ((machineAfter.busy - machineBefore.busy) /
        (machineAfter.total - machineBefore.total)) *
      cpus().length,
  };
}

/** Many pages' reads with no change: what a replica serves from memory. */
async function readsAtRest(server: RunningServer, seconds: number) {
  const summary = await runWrk({
    base: server.base,
    concurrency: 16,
    seconds,
    read: { path: '/summary' },
  });
  const first = await fetch(`${server.base}/jobs?limit=20`);
  const etag = first.headers.get('etag') ?? undefined;
  const notModified = await runWrk({
    base: server.base,
    concurrency: 16,
    seconds,
    read: { path: '/jobs?limit=20', etag },
  });
  const strip = (r: typeof summary) => ({
    perSecond: r.perSecond,
    p50: r.p50,
    p99: r.p99,
    errors: r.errors,
  });
  return { summary: strip(summary), notModifiedList: strip(notModified) };
}

/** The fan-out phase on a database of the kind. */
export async function fanOut(
  kind: DatabaseKind,
  options: { quick: boolean; jobs: number },
) {
  const database: BenchDatabase = await freshDatabase(kind, 'fanout');
  let server = await startServer(
    'backstage',
    database,
    {},
    { liveUpdates: true },
  );
  const knex = database.connect();
  try {
    await seedJobs(knex, {
      jobs: options.jobs,
      runsPerJob: 2,
      now: new Date(),
    });
    if (kind === 'postgres') {
      await knex.raw('ANALYZE');
    }
    // Restarted on the seeded jobs, so that it knows of them.
    await server.stop();
    server = await startServer(
      'backstage',
      database,
      {},
      { liveUpdates: true },
    );
    const root = server.base.replace(/\/api\/monitor$/, '');
    const seconds = options.quick ? 5 : 15;
    // wrk's 50 jobs exist before the windows: from then on only the probes
    // add jobs, one each.
    await runWrk({ base: server.base, concurrency: 4, seconds: 1 });
    const windows = [];
    for (const count of [0, 100, 500]) {
      windows.push(await window(server, root, count, seconds));
    }
    return {
      jobs: options.jobs,
      rate: RATE,
      connections: REPORT_CONNECTIONS,
      windows,
      atRest: await readsAtRest(server, seconds),
    };
  } finally {
    await server.stop();
    await knex.destroy();
  }
}
