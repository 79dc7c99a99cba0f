import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import { BENCH_SECRET } from './servers';

/**
 * Reports as many jobs send them: many job keys; most runs report their end
 * only, some their start and then their end, and some reports are sent
 * again (a reporter that lost the answer).
 */
export class ReportMix {
  private readonly openRuns: Array<{
    jobKey: string;
    runId: string;
    startedAt: string;
  }> = [];
  private readonly sent: string[] = [];
  private sequence = 0;

  constructor(
    private readonly jobKeys = 2000,
    private readonly prefix = 'bench-job',
  ) {}

  next(): string {
    const dice = (this.sequence++ * 7919) % 100;
    const now = new Date().toISOString();
    if (dice < 10 && this.sent.length > 0) {
      // A retry of something sent before.
      return this.sent[(this.sequence * 31) % this.sent.length];
    }
    let body: object;
    if (dice < 22) {
      const run = {
        jobKey: this.jobKey(),
        runId: randomUUID(),
        startedAt: now,
      };
      this.openRuns.push(run);
      body = this.body(run.jobKey, 'start', {
        run_id: run.runId,
        started_at: now,
      });
    } else if (dice < 34 && this.openRuns.length > 0) {
      const run = this.openRuns.shift()!;
      body = this.body(run.jobKey, 'success', {
        run_id: run.runId,
        started_at: run.startedAt,
        finished_at: now,
        exit_code: 0,
      });
    } else {
      const failed = dice % 9 === 0;
      body = this.body(this.jobKey(), failed ? 'error' : 'success', {
        run_id: randomUUID(),
        finished_at: now,
        duration_ms: 1000 + (this.sequence % 5000),
        exit_code: failed ? 1 : 0,
        message: failed
          ? 'Traceback (most recent call last):\n  File "sync.py", line 42, in main\nValueError: 価格フィードが空です'
          : '処理完了',
      });
    }
    const text = JSON.stringify(body);
    if (this.sent.length < 5000) {
      this.sent.push(text);
    }
    return text;
  }

  private jobKey() {
    // A few jobs report often, most rarely.
    const skewed = Math.floor(this.jobKeys * Math.random() ** 2);
    return `${this.prefix}-${String(skewed).padStart(5, '0')}`;
  }

  private body(jobKey: string, status: string, extra: object) {
    return {
      job_key: jobKey,
      title: `ベンチマーク ${jobKey}`,
      status,
      host: 'batch-01',
      ...extra,
    };
  }
}

/**
 * The top of the hour: every job of a large estate reports its end once,
 * all at about the same time.
 */
export class BurstMix {
  private sequence = 0;

  constructor(private readonly prefix: string) {}

  next(): string {
    const jobKey = `${this.prefix}-${String(this.sequence++).padStart(5, '0')}`;
    return JSON.stringify({
      job_key: jobKey,
      title: `毎時ジョブ ${jobKey}`,
      status: 'success',
      finished_at: new Date().toISOString(),
      duration_ms: 1200,
      message: '処理完了',
    });
  }
}

export type LoadResult = {
  concurrency: number;
  requests: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  errors: Record<string, number>;
  latencies: Array<{ at: number; ms: number }>;
};

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) {
    return NaN;
  }
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Throughput and latency percentiles of the given requests. */
export function summarize(
  concurrency: number,
  latencies: LoadResult['latencies'],
  seconds: number,
  errors: LoadResult['errors'],
): LoadResult {
  const sorted = latencies.map(l => l.ms).sort((a, b) => a - b);
  return {
    concurrency,
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted[sorted.length - 1],
    errors,
    latencies,
  };
}

function post(agent: Agent, base: string, body: string): Promise<number> {
  const url = new URL(`${base}/job-report`);
  return new Promise((done, fail) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'X-TC-Portal-Webhook-Secret': BENCH_SECRET,
        },
      },
      res => {
        res.resume();
        res.on('end', () => done(res.statusCode ?? 0));
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

/**
 * Sends `requests` reports from the mix, `concurrency` at a time, over
 * keep-alive connections, and measures each answer. `until`, when given,
 * keeps the load on until it resolves instead.
 */
export async function runLoad(options: {
  base: string;
  mix: { next(): string };
  concurrency: number;
  requests?: number;
  until?: Promise<unknown>;
}): Promise<LoadResult> {
  const { base, mix, concurrency } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies: Array<{ at: number; ms: number }> = [];
  const errors: Record<string, number> = {};
  let stop = false;
  options.until?.then(() => {
    stop = true;
  });
  let sent = 0;
  const started = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        if (options.until ? stop : sent >= (options.requests ?? 0)) {
          return;
        }
        sent++;
        const body = mix.next();
        const at = elapsedMs();
        let status: number | string;
        try {
          status = await post(agent, base, body);
        } catch (error) {
          status = (error as NodeJS.ErrnoException).code ?? 'network';
        }
        latencies.push({ at, ms: elapsedMs() - at });
        if (status !== 200) {
          errors[status] = (errors[status] ?? 0) + 1;
        }
      }
    }),
  );
  agent.destroy();
  return summarize(concurrency, latencies, elapsedMs() / 1000, errors);
}
