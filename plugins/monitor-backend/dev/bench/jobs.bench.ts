/*
 * Benchmark, not a test: how fast the read API answers with 10,000 jobs and
 * 200,000 runs, and how fast reports are taken in, on SQLite and on
 * PostgreSQL. Prints numbers; asserts only that the answers are right.
 *
 *   ./scripts/bench.sh
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  monitorTestDatabases,
  postReport,
  specReport,
  startMonitorBackend,
} from '../../src/__testUtils__/testBackend';

jest.setTimeout(30 * 60 * 1000);

const JOBS = 10_000;
const RUNS_PER_JOB = 20;
const REPEAT = 30;

const databases = monitorTestDatabases();

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function measure(name: string, run: () => Promise<unknown>) {
  await run(); // warm up
  const times: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    const start = process.hrtime.bigint();
    await run();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return {
    name,
    p50: percentile(times, 0.5).toFixed(1),
    p95: percentile(times, 0.95).toFixed(1),
    max: times[times.length - 1].toFixed(1),
  };
}

describe.each(databases.eachSupportedId())('benchmark on %p', databaseId => {
  it(`reads ${JOBS} jobs and takes in reports`, async () => {
    const backend = await startMonitorBackend(databases, databaseId);
    const { server, knex } = backend;
    const healths = [
      'ok',
      'ok',
      'ok',
      'ok',
      'error',
      'running',
      'late',
      'missed',
    ];
    const now = Date.now();

    // Seed the tables directly: 10,000 jobs with 20 runs each.
    for (let start = 0; start < JOBS; start += 500) {
      const jobs = [];
      const runs = [];
      for (let i = start; i < start + 500; i++) {
        const jobKey = `job-${String(i).padStart(5, '0')}`;
        const finishedAt = new Date(now - i * 60_000);
        const health = healths[i % healths.length];
        const lastRunId = randomUUID();
        jobs.push({
          job_key: jobKey,
          title: `ジョブ ${i}`,
          created_at: new Date(now - 86_400_000),
          entity_ref:
            i % 10 === 0 ? `component:default/service-${i % 100}` : null,
          last_report_at: finishedAt,
          status: health === 'error' ? 'error' : 'success',
          finished_at: finishedAt,
          received_at: finishedAt,
          message: 'done',
          last_run_id: lastRunId,
          duration_ms: 1000,
          recent_outcomes: 'ssssssssss',
          health,
          failing: health === 'error',
          health_since: finishedAt,
          health_reason: 'seeded',
        });
        for (let r = 0; r < RUNS_PER_JOB; r++) {
          const at = new Date(finishedAt.getTime() - r * 3_600_000);
          runs.push({
            id: r === 0 ? lastRunId : randomUUID(),
            job_key: jobKey,
            title: `ジョブ ${i}`,
            status: 'success',
            finished_at: at,
            received_at: at,
            duration_ms: 1000,
          });
        }
      }
      // SQLite takes at most 500 rows in one insert.
      await knex.batchInsert('jobs', jobs, 200);
      await knex.batchInsert('job_runs', runs, 200);
    }

    const get = (path: string) => async () => {
      const res = await request(server).get(`/api/monitor${path}`);
      expect(res.status).toBe(200);
      return res;
    };
    const results = [
      await measure('GET /jobs first page (20)', get('/jobs?limit=20')),
      await measure(
        'GET /jobs last page',
        get(`/jobs?limit=20&offset=${JOBS - 20}`),
      ),
      await measure(
        'GET /jobs?health=error',
        get('/jobs?health=error&limit=20'),
      ),
      await measure('GET /jobs?sort=health', get('/jobs?sort=health&limit=20')),
      await measure('GET /jobs?sort=name', get('/jobs?sort=name&limit=20')),
      await measure(
        'GET /jobs?q=9999 (text search)',
        get('/jobs?q=9999&limit=20'),
      ),
      await measure(
        'GET /jobs?entityRef=… (an entity)',
        get('/jobs?entityRef=component:default/service-10&limit=20'),
      ),
      await measure('GET /summary (the badge)', get('/summary')),
      await measure('GET /jobs/:jobKey (detail)', get('/jobs/job-05000')),
    ];

    const total = await request(server).get('/api/monitor/jobs?limit=1');
    expect(total.body.totalCount).toBe(JOBS);

    // Reports in a row, each stored and judged in its own transaction.
    const reports = 500;
    const rssBefore = process.memoryUsage().rss;
    const start = process.hrtime.bigint();
    for (let i = 0; i < reports; i++) {
      await postReport(
        server,
        specReport({
          job_key: `job-${String(i * 7).padStart(5, '0')}`,
          status: i % 5 ? 'success' : 'error',
          finished_at: new Date(now + i).toISOString(),
          run_id: randomUUID(),
        }),
      ).expect(200);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const rssAfter = process.memoryUsage().rss;

    // eslint-disable-next-line no-console
    console.log(
      [
        `\n=== ${databaseId}: ${JOBS} jobs, ${
          JOBS * RUNS_PER_JOB
        } runs; ms per request over ${REPEAT} requests`,
        ...results.map(
          r =>
            `${r.name.padEnd(36)} p50 ${r.p50.padStart(
              7,
            )}  p95 ${r.p95.padStart(7)}  max ${r.max.padStart(7)}`,
        ),
        `${reports} reports in a row: ${(reports / seconds).toFixed(
          0,
        )} reports/s (${((seconds * 1000) / reports).toFixed(1)} ms each)`,
        `process RSS: ${(rssBefore / 2 ** 20).toFixed(
          0,
        )} MiB before the reports, ${(rssAfter / 2 ** 20).toFixed(
          0,
        )} MiB after`,
      ].join('\n'),
    );
    await backend.stop();
  });
});
