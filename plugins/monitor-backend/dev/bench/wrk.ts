import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { LoadResult, summarize } from './load';
import { BENCH_SECRET } from './servers';

/**
 * Load from `wrk` (a C load generator, one thread): reports shaped like the
 * original snippet's curl test over 50 job keys (dev/bench/reports.lua),
 * at `concurrency` keep-alive connections for `seconds`. wrk costs the
 * machine far less than a Node.js client does, so the servers get nearly
 * all of the 2 cores. Non-2xx answers, timeouts (10 s) and socket errors
 * count as errors.
 */
export async function runWrk(options: {
  base: string;
  concurrency: number;
  seconds: number;
  /** Reads instead of reports: GET this path under base, maybe conditional. */
  read?: { path: string; etag?: string };
  /**
   * Reports at this rate a second, on a fixed schedule whatever their
   * latency (as long as `concurrency` connections are enough to keep it).
   */
  rate?: number;
}): Promise<LoadResult> {
  const url = new URL(
    options.read
      ? `${options.base}${options.read.path}`
      : `${options.base}/job-report`,
  );
  const output = await new Promise<string>((done, fail) => {
    const child = spawn(
      'wrk',
      [
        '--threads',
        '1',
        '--connections',
        String(options.concurrency),
        '--duration',
        `${options.seconds}s`,
        '--timeout',
        '10s',
        '--script',
        join(__dirname, options.read ? 'reads.lua' : 'reports.lua'),
        url.origin,
      ],
      {
        env: {
          ...process.env,
          BENCH_PATH: `${url.pathname}${url.search}`,
          BENCH_SECRET,
          BENCH_ETAG: options.read?.etag ?? '',
          BENCH_LUA_DIR: __dirname,
          ...(options.rate && { BENCH_RATE: String(options.rate) }),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let text = '';
    child.stdout.on('data', chunk => {
      text += chunk;
    });
    child.on('error', error =>
      fail(
        new Error(
          `could not run wrk (${error.message}): install it (Debian: apt-get install wrk), or run ./scripts/bench.sh, which does`,
        ),
      ),
    );
    child.on('exit', code =>
      code === 0 ? done(text) : fail(new Error(`wrk exited with ${code}`)),
    );
  });
  const line = output.split('\n').find(l => l.startsWith('BENCH_RESULT '));
  if (!line) {
    throw new Error(`wrk printed no result:\n${output}`);
  }
  const result = JSON.parse(line.slice('BENCH_RESULT '.length)) as {
    requests: number;
    durationUs: number;
    errors: Record<string, number>;
    latencyUs: Array<[number, number]>;
  };
  const latencies: LoadResult['latencies'] = [];
  for (const [us, count] of result.latencyUs) {
    for (let i = 0; i < count; i++) {
      latencies.push({ at: 0, ms: us / 1000 });
    }
  }
  const errors = Object.fromEntries(
    Object.entries(result.errors).filter(([, count]) => count > 0),
  );
  return summarize(
    options.concurrency,
    latencies,
    result.durationUs / 1e6,
    errors,
  );
}
