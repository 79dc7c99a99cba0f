import { JOB_REPORT_SECRET_HEADER } from '@tc-portal/plugin-monitor-common';
import { parseJobReport } from '@tc-portal/plugin-monitor-common';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  MonitorTestBackend,
  monitorTestDatabases,
  postReport,
  specReport,
  startMonitorBackend,
  TEST_SECRET,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

const databases = monitorTestDatabases();

/** Runs `work` over `items` with at most `limit` in flight. */
async function inParallel<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]);
      }
    }),
  );
  return results;
}

function shuffled<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

/** A small seeded generator, so that a failing order can be replayed. */
function seededRandom(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe.each(databases.eachSupportedId())('reliability on %p', databaseId => {
  it('stores every acknowledged report exactly once, whatever the order, and keeps the latest finished as the state', async () => {
    const { server } = await startMonitorBackend(databases, databaseId);
    const keys = ['race-a', 'race-b', 'race-c', 'race-d'];
    const runsPerKey = 40;
    const reports = keys.flatMap(jobKey =>
      Array.from({ length: runsPerKey }, (_, i) => ({
        job_key: jobKey,
        title: `Race ${jobKey}`,
        status: i % 3 === 0 ? 'error' : 'success',
        finished_at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
        message: `${jobKey} run ${i}`,
        run_id: randomUUID(),
      })),
    );
    // Every report is sent twice, as a reporter that lost the answer would,
    // out of order and many at once.
    const sends = shuffled([...reports, ...reports], seededRandom(42));

    const answers = await inParallel(sends, 32, report =>
      postReport(server, report).then(res => ({ report, res })),
    );

    expect(answers.filter(a => a.res.status !== 200)).toEqual([]);
    const idsByRun = new Map<string, Set<string>>();
    for (const { report, res } of answers) {
      const ids = idsByRun.get(report.run_id) ?? new Set();
      ids.add(res.body.id);
      idsByRun.set(report.run_id, ids);
    }
    // Both sends of a run were answered with the same stored id.
    expect([...idsByRun.values()].every(ids => ids.size === 1)).toBe(true);

    for (const jobKey of keys) {
      const { body } = await request(server)
        .get(`/api/monitor/jobs/${jobKey}?runsLimit=500`)
        .expect(200);
      const sent = reports.filter(r => r.job_key === jobKey);
      expect(body.runsTotalCount).toBe(runsPerKey);
      expect(body.runs.map((r: any) => r.runId).sort()).toEqual(
        sent.map(r => r.run_id).sort(),
      );
      const latest = sent[runsPerKey - 1];
      expect(body.job).toMatchObject({
        finishedAt: new Date(latest.finished_at).toISOString(),
        latestOutcome: latest.status,
        message: latest.message,
      });
    }
  });

  describe('generated bad input', () => {
    let backend: MonitorTestBackend;
    // One backend for all generated cases of a database: what one case
    // stores must not break the next.
    beforeAll(async () => {
      backend = await startMonitorBackend(databases, databaseId, undefined, {
        shared: true,
      });
    });
    afterAll(() => backend.stop());

    async function expectClientError(
      res: request.Response,
      status?: number | number[],
    ) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      if (status !== undefined) {
        expect([status].flat()).toContain(res.status);
      }
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.body.error.message).toEqual(expect.any(String));
      expect(res.body.error.message.length).toBeGreaterThan(0);
    }

    const validReport = fc.record({
      job_key: fc.constantFrom('gen-a', 'gen-b'),
      title: fc.constant('Generated'),
      status: fc.constantFrom('success', 'error'),
      finished_at: fc.constant('2026-01-01T00:00:00Z'),
      message: fc.option(fc.string(), { nil: null }),
    });
    const fields = [
      'job_key',
      'title',
      'status',
      'finished_at',
      'message',
      'run_id',
      'started_at',
      'duration_ms',
      'exit_code',
      'host',
      'entity_ref',
      'schedule',
    ];
    const hostileValue = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.string({ unit: 'binary', maxLength: 600 }),
      fc.constantFrom(
        '',
        ' ',
        '\u0000',
        '<script>alert(1)</script>',
        "'; DROP TABLE jobs; --",
        '__proto__',
        'x'.repeat(5000),
        -1,
        1e308,
        Number.MAX_SAFE_INTEGER,
        [],
        {},
        { __proto__: { polluted: true } },
        { every: 'PT0S' },
        { cron: '* * * * * *' },
        { cron: '0 2 * * *', timezone: 'Mars/Olympus' },
      ),
    );
    // A valid report with one field changed, dropped or added.
    const mutatedReport = fc
      .tuple(
        validReport,
        fc.constantFrom(...fields),
        fc.option(hostileValue, { nil: undefined }),
      )
      .map(([report, field, value]) => {
        const copy: Record<string, unknown> = { ...report };
        if (value === undefined) {
          delete copy[field];
        } else {
          copy[field] = value;
        }
        return copy;
      });

    // The job keys of the reports the portal accepted.
    const accepted = new Set<string>();

    it('answers every generated report with 200 when it is valid and a clear 400 when not, never a 5xx', async () => {
      expect.hasAssertions();
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(mutatedReport, fc.jsonValue({ maxDepth: 4 })),
          async body => {
            const res = await postReport(backend.server, JSON.stringify(body));
            const valid = parseJobReport(body).success;
            if (res.status === 200) {
              accepted.add(res.body.job_key);
            }
            if (valid) {
              // Valid by the schema; the engine may still refuse some
              // (a finish far in the future), clearly.
              if (res.status !== 200) {
                await expectClientError(res, 400);
              }
            } else {
              await expectClientError(res, 400);
            }
          },
        ),
        { numRuns: 400, seed: 20261129 },
      );
    });

    it('takes every report the contract allows, with any of its optional fields', async () => {
      // Valid by construction, not by the backend's own parser.
      const allowedReport = fc.record(
        {
          job_key: fc.stringMatching(/^[a-z][a-z0-9_-]{0,30}$/),
          title: fc
            .stringMatching(/^[\p{L}\p{N} ._()-]{1,60}$/u)
            .filter(t => t.trim().length > 0),
          status: fc.constantFrom('success', 'error'),
          finished_at: fc.constantFrom(
            '2026-01-01T00:00:00Z',
            '2026-01-01T09:00:00+09:00',
            '2026-01-01T00:00:00.1234567-05:00',
          ),
          message: fc.option(fc.string({ maxLength: 2000 }), { nil: null }),
          run_id: fc.uuid(),
          duration_ms: fc.integer({ min: 0, max: 86_400_000 }),
          exit_code: fc.integer({ min: -255, max: 255 }),
          host: fc.stringMatching(/^[a-z0-9.-]{1,60}$/),
          entity_ref: fc.constantFrom(
            'component:price-service',
            'component:default/price-service',
          ),
        },
        { requiredKeys: ['job_key', 'title', 'status', 'finished_at'] },
      );
      await fc.assert(
        fc.asyncProperty(allowedReport, async report => {
          const res = await postReport(backend.server, JSON.stringify(report));
          expect(res.body.error?.message).toBeUndefined();
          expect(res.status).toBe(200);
          accepted.add(res.body.job_key);
        }),
        { numRuns: 150, seed: 20261201 },
      );
    });

    it('answers generated bodies that are not JSON, and hostile headers, with a 4xx JSON error', async () => {
      expect.hasAssertions();
      await fc.assert(
        fc.asyncProperty(
          fc.string({ unit: 'binary', maxLength: 2000 }),
          fc.constantFrom(
            'application/json',
            'application/json; charset=utf-8',
            'text/plain',
            'application/x-www-form-urlencoded',
            'application/json; charset=latin-9',
          ),
          async (text, contentType) => {
            const res = await request(backend.server)
              .post('/api/monitor/job-report')
              .set('Content-Type', contentType)
              .set(JOB_REPORT_SECRET_HEADER, TEST_SECRET)
              .send(text);
            if (res.status === 200) {
              accepted.add(res.body.job_key);
            } else {
              await expectClientError(res);
            }
          },
        ),
        { numRuns: 300, seed: 20261129 },
      );

      await fc.assert(
        fc.asyncProperty(
          fc.string({ maxLength: 300 }).filter(s => s !== TEST_SECRET),
          async secret => {
            const res = await request(backend.server)
              .post('/api/monitor/job-report')
              .set('Content-Type', 'application/json')
              .set(JOB_REPORT_SECRET_HEADER, encodeURIComponent(secret))
              .send(JSON.stringify(specReport()));
            await expectClientError(res, 401);
          },
        ),
        { numRuns: 200, seed: 20261129 },
      );
    });

    it('refuses hostile shapes: deep nesting, huge bodies, prototype keys', async () => {
      expect.hasAssertions();
      const depth = 200_000;
      await expectClientError(
        await postReport(
          backend.server,
          `${'['.repeat(depth)}${']'.repeat(depth)}`,
        ),
      );
      await expectClientError(
        await postReport(
          backend.server,
          JSON.stringify(specReport({ message: 'x'.repeat(2_000_000) })),
        ),
        413,
      );
      await expectClientError(
        await postReport(
          backend.server,
          '{"__proto__": {"job_key": "polluted"}, "title": "t", "status": "success", "finished_at": "2026-01-01T00:00:00Z"}',
        ),
        400,
      );
      expect(({} as any).job_key).toBeUndefined();
    });

    it('is still healthy after all of that, and stored only the reports it accepted', async () => {
      const res = await postReport(
        backend.server,
        specReport({ job_key: 'after-the-storm' }),
      ).expect(200);
      accepted.add(res.body.job_key);
      const stored: string[] = [];
      for (let offset = 0; ; offset += 500) {
        const { body } = await request(backend.server)
          .get(`/api/monitor/jobs?limit=500&offset=${offset}`)
          .expect(200);
        stored.push(...body.items.map((j: any) => j.jobKey));
        if (offset + 500 >= body.totalCount) break;
      }
      expect(stored.sort()).toEqual([...accepted].sort());
    });
  });
});
