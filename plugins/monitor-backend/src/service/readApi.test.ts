import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  monitorTestDatabases,
  postReport,
  specReport,
  startMonitorBackend,
  TEST_SECRET,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const databases = monitorTestDatabases();

describe.each(databases.eachSupportedId())('read API on %p', databaseId => {
  async function startWithJobs() {
    const backend = await startMonitorBackend(databases, databaseId);
    const reports = [
      {
        job_key: 'a-ok',
        status: 'success',
        finished_at: '2024-01-25T10:00:00Z',
      },
      {
        job_key: 'b-err',
        status: 'error',
        finished_at: '2024-01-25T11:00:00Z',
      },
      {
        job_key: 'c-err',
        status: 'error',
        finished_at: '2024-01-25T12:00:00Z',
      },
      {
        job_key: 'd-ok',
        status: 'success',
        finished_at: '2024-01-25T13:00:00Z',
      },
    ];
    for (const report of reports) {
      await postReport(
        backend.server,
        specReport({ ...report, title: `Job ${report.job_key}` }),
      ).expect(200);
    }
    return backend;
  }

  it('lists every job, latest finished first, with a total', async () => {
    const { server } = await startWithJobs();

    const res = await request(server).get('/api/monitor/jobs').expect(200);

    expect(res.body.totalCount).toBe(4);
    expect(res.body.items.map((j: any) => j.jobKey)).toEqual([
      'd-ok',
      'c-err',
      'b-err',
      'a-ok',
    ]);
    expect(res.body.items[1]).toMatchObject({
      jobKey: 'c-err',
      health: 'error',
      title: 'Job c-err',
      latestOutcome: 'error',
      finishedAt: '2024-01-25T12:00:00.000Z',
      receivedAt: expect.any(String),
      message: '処理完了',
    });
  });

  it('filters by the outcome of the latest run', async () => {
    const { server } = await startWithJobs();
    const res = await request(server)
      .get('/api/monitor/jobs?latestOutcome=error')
      .expect(200);
    expect(res.body.totalCount).toBe(2);
    expect(res.body.items.map((j: any) => j.jobKey)).toEqual([
      'c-err',
      'b-err',
    ]);
  });

  it('pages with limit and offset, keeping the total', async () => {
    const { server } = await startWithJobs();
    const res = await request(server)
      .get('/api/monitor/jobs?limit=2&offset=1')
      .expect(200);
    expect(res.body.totalCount).toBe(4);
    expect(res.body.items.map((j: any) => j.jobKey)).toEqual([
      'c-err',
      'b-err',
    ]);
  });

  it('counts the failing jobs for the badge', async () => {
    const { server } = await startWithJobs();
    const res = await request(server).get('/api/monitor/summary').expect(200);
    expect(res.body).toEqual({
      attentionCount: 2,
      totalCount: 4,
      byHealth: { ok: 2, running: 0, late: 0, error: 2, missed: 0, timeout: 0 },
      acknowledgedCount: 0,
      mutedCount: 0,
      version: expect.any(String),
    });
  });

  it('moves the count when a job fails and recovers', async () => {
    const { server } = await startWithJobs();
    await postReport(
      server,
      specReport({
        job_key: 'a-ok',
        status: 'error',
        finished_at: '2024-01-26T10:00:00Z',
      }),
    ).expect(200);
    expect(
      (await request(server).get('/api/monitor/summary')).body.attentionCount,
    ).toBe(3);

    await postReport(
      server,
      specReport({
        job_key: 'b-err',
        status: 'success',
        finished_at: '2024-01-26T10:00:00Z',
      }),
    ).expect(200);
    expect(
      (await request(server).get('/api/monitor/summary')).body.attentionCount,
    ).toBe(2);
  });

  it("gives each entity's stats: jobs, attention, runs since a time and the mean time to acknowledge", async () => {
    const { server, clock } = await startMonitorBackend(databases, databaseId);
    clock.set('2024-02-01T12:00:00Z');
    const post = (job_key: string, status: string, finished_at: string) =>
      postReport(
        server,
        specReport({
          job_key,
          status,
          finished_at,
          entity_ref: job_key.startsWith('shop') ? 'component:shop' : undefined,
        }),
      ).expect(200);
    await post('shop-export', 'success', '2024-01-01T00:00:00Z'); // before `since`
    await post('shop-export', 'success', '2024-01-31T00:00:00Z');
    await post('shop-export', 'error', '2024-02-01T09:00:00Z');
    await post('shop-import', 'success', '2024-01-31T00:00:00Z');
    await post('other', 'error', '2024-01-31T00:00:00Z'); // linked to none
    // Acknowledged an hour after the failure was reported (its start).
    clock.set('2024-02-01T13:00:00Z');
    await request(server)
      .post('/api/monitor/jobs/shop-export/acknowledgement')
      .send({ comment: '調査中' })
      .expect(200);

    const res = await request(server)
      .get('/api/monitor/entity-stats')
      .query({ since: '2024-01-15T00:00:00Z' })
      .expect(200);
    expect(res.body).toEqual({
      items: [
        {
          entityRef: 'component:default/shop',
          jobCount: 2,
          attentionCount: 0,
          failingCount: 1,
          failingSince: '2024-02-01T12:00:00.000Z',
          runs: { succeeded: 2, failed: 1 },
          acknowledgements: { count: 1, meanTimeToAcknowledgeMs: 3_600_000 },
        },
      ],
      since: '2024-01-15T00:00:00.000Z',
      version: expect.any(String),
    });
    // Asked for by reference: an entity with no job has no stats.
    const asked = await request(server)
      .get('/api/monitor/entity-stats')
      .query({
        since: '2024-01-15T00:00:00Z',
        entityRef: 'component:default/shop,component:default/none',
      })
      .expect(200);
    expect(
      asked.body.items.map((i: { entityRef: string }) => i.entityRef),
    ).toEqual(['component:default/shop']);
    const refused = await request(server)
      .get('/api/monitor/entity-stats')
      .query({ since: 'yesterday' })
      .expect(400);
    expect(refused.body.error.message).toMatch(/since/);
  });

  it('answers zero counts before any report', async () => {
    const { server } = await startMonitorBackend(databases, databaseId);
    const summary = await request(server)
      .get('/api/monitor/summary')
      .expect(200);
    expect(summary.body).toMatchObject({ attentionCount: 0, totalCount: 0 });
    const list = await request(server).get('/api/monitor/jobs').expect(200);
    expect(list.body).toEqual({
      items: [],
      totalCount: 0,
      version: expect.any(String),
    });
  });

  it('returns a job with its runs, newest first', async () => {
    const { server } = await startWithJobs();
    const second = await postReport(
      server,
      specReport({
        job_key: 'b-err',
        title: 'Job b-err',
        status: 'success',
        finished_at: '2024-01-26T10:00:00Z',
        message: null,
      }),
    ).expect(200);

    const res = await request(server)
      .get('/api/monitor/jobs/b-err')
      .expect(200);

    expect(res.body.job).toMatchObject({
      jobKey: 'b-err',
      latestOutcome: 'success',
      finishedAt: '2024-01-26T10:00:00.000Z',
    });
    expect(res.body.runsTotalCount).toBe(2);
    expect(res.body.runs).toEqual([
      {
        id: second.body.id,
        runId: null,
        startedAt: null,
        durationMs: null,
        exitCode: null,
        host: null,
        jobKey: 'b-err',
        title: 'Job b-err',
        status: 'success',
        finishedAt: '2024-01-26T10:00:00.000Z',
        receivedAt: expect.any(String),
        message: null,
        warnings: [],
      },
      expect.objectContaining({
        status: 'error',
        finishedAt: '2024-01-25T11:00:00.000Z',
      }),
    ]);
  });

  it('finds a job whose key needs URL encoding', async () => {
    const { server } = await startMonitorBackend(databases, databaseId);
    await postReport(server, specReport({ job_key: '価格 同期/夜間' })).expect(
      200,
    );
    const res = await request(server)
      .get(`/api/monitor/jobs/${encodeURIComponent('価格 同期/夜間')}`)
      .expect(200);
    expect(res.body.job.jobKey).toBe('価格 同期/夜間');
  });

  it('gives the pages that share a read the same bytes, compressed once for those that take gzip', async () => {
    const { server } = await startWithJobs();
    const read = (encoding: string) =>
      request(server)
        .get('/api/monitor/jobs?limit=20')
        .set('Accept-Encoding', encoding)
        .expect(200);
    const plain = await read('identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(plain.body.items).toHaveLength(4);
    const zipped = await read('gzip, deflate');
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(zipped.headers.etag).toBe(plain.headers.etag);
    // The same answer, however it travelled.
    expect(zipped.body).toEqual(plain.body);
    // The small summary goes as it is.
    const summary = await request(server)
      .get('/api/monitor/summary')
      .set('Accept-Encoding', 'gzip')
      .expect(200);
    expect(summary.headers['content-encoding']).toBeUndefined();
    expect(summary.body.totalCount).toBe(4);
  });

  it('answers 304 to a read whose data has not changed, without querying, until a write or a mute that ends', async () => {
    const backend = await startWithJobs();
    const { server, knex, clock } = backend;
    const paths = ['/jobs?limit=20', '/jobs/b-err', '/summary'];
    const first = await Promise.all(
      paths.map(path => request(server).get(`/api/monitor${path}`).expect(200)),
    );
    const etag = first[0].headers.etag;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.map(res => res.headers.etag)).toEqual([etag, etag, etag]);
    expect(first[0].headers['cache-control']).toBe('private, no-cache');

    const conditional = (path: string, tag = etag) =>
      request(server).get(`/api/monitor${path}`).set('If-None-Match', tag);
    const queries: string[] = [];
    const listen = ({ sql }: { sql: string }) => queries.push(sql);
    knex.on('query', listen);
    for (const path of paths) {
      const res = await conditional(path);
      expect([path, res.status, res.text]).toEqual([path, 304, '']);
    }
    // Another page asking for the same, unconditionally, gets the answer
    // read for the first.
    for (const [i, path] of paths.entries()) {
      const res = await request(server).get(`/api/monitor${path}`);
      expect(res.body).toEqual(first[i].body);
    }
    knex.off('query', listen);
    // Nothing read from the database: not the jobs, not the counts. (The
    // poll of the versions other replicas took, four times a second, runs
    // whether pages read or not.)
    expect(
      queries.filter(
        sql =>
          /^select/i.test(sql.trim()) && !/from monitor_data_version/.test(sql),
      ),
    ).toEqual([]);

    // A write: every read is new.
    await postReport(
      server,
      specReport({
        job_key: 'a-ok',
        status: 'error',
        finished_at: '2024-01-26T10:00:00Z',
      }),
    ).expect(200);
    const after = await conditional('/jobs?limit=20');
    expect(after.status).toBe(200);
    expect(after.headers.etag).not.toBe(etag);

    // A mute that ends changes what is shown at its time, with no write.
    await request(server)
      .post('/api/monitor/jobs/a-ok/mute')
      .send({
        until: new Date(clock.now().getTime() + 60_000).toISOString(),
        reason: 'x',
      })
      .expect(200);
    const muted = await request(server).get('/api/monitor/summary').expect(200);
    expect(muted.body).toMatchObject({ attentionCount: 2, mutedCount: 1 });
    expect((await conditional('/summary', muted.headers.etag)).status).toBe(
      304,
    );
    clock.advance(61_000);
    const ended = await conditional('/summary', muted.headers.etag);
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ attentionCount: 3, mutedCount: 0 });
    expect(ended.body.version).toBe(muted.body.version);
  });

  describe('filters and sorting', () => {
    async function startWithVariety() {
      const backend = await startMonitorBackend(databases, databaseId);
      const reports = [
        {
          job_key: 'price-sync',
          title: 'Price sync',
          status: 'error',
          entity_ref: 'component:default/price-service',
        },
        {
          job_key: 'price_export',
          title: 'Export 100%',
          status: 'success',
          entity_ref: 'component:default/price-service',
        },
        { job_key: 'nightly-report', title: 'Nightly REPORT', status: 'error' },
        { job_key: 'cleanup', title: 'Cleanup', status: 'success' },
      ];
      let minute = 0;
      for (const report of reports) {
        minute += 1;
        await postReport(
          backend.server,
          specReport({
            ...report,
            finished_at: `2024-01-25T10:0${minute}:00Z`,
          }),
        ).expect(200);
      }
      return backend;
    }
    const keys = (res: request.Response) =>
      res.body.items.map((j: any) => j.jobKey);

    it('filters by health, given as a list', async () => {
      const { server } = await startWithVariety();
      const res = await request(server)
        .get('/api/monitor/jobs?health=error,missed')
        .expect(200);
      expect(keys(res)).toEqual(['nightly-report', 'price-sync']);
      const repeated = await request(server)
        .get('/api/monitor/jobs?health=ok&health=error')
        .expect(200);
      expect(repeated.body.totalCount).toBe(4);
    });

    it('lists the jobs linked to an entity, by ref or by key', async () => {
      const { server } = await startWithVariety();
      const byRef = await request(server)
        .get('/api/monitor/jobs')
        .query({ entityRef: 'component:default/price-service' })
        .expect(200);
      expect(keys(byRef).sort()).toEqual(['price-sync', 'price_export']);
      const either = await request(server)
        .get('/api/monitor/jobs')
        .query({
          entityRef: 'component:default/price-service',
          jobKey: 'cleanup,unknown',
        })
        .expect(200);
      expect(keys(either).sort()).toEqual([
        'cleanup',
        'price-sync',
        'price_export',
      ]);
      const several = await request(server)
        .get('/api/monitor/jobs')
        .query({
          entityRef: 'component:default/price-service,component:default/x',
        })
        .expect(200);
      expect(several.body.totalCount).toBe(2);
      // Linked to nothing: no job, not every job.
      const none = await request(server)
        .get('/api/monitor/jobs?entityRef=&jobKey=')
        .expect(200);
      expect(none.body).toMatchObject({ items: [], totalCount: 0 });
    });

    it('lists the jobs that depend on given jobs, exactly, from their reports and their config', async () => {
      const backend = await startMonitorBackend(databases, databaseId, {
        monitor: {
          webhookSecret: TEST_SECRET,
          jobs: { 'fx-rates': { dependsOn: ['price-sync'] } },
        },
      });
      const depending: Array<[string, string[]]> = [
        ['price-report', ['price-sync', 'cleanup']],
        // Another case, and a key that holds the other: neither is it.
        ['shouting', ['PRICE-SYNC', 'price-sync-2']],
        ['fx-rates', []],
        ['alone', []],
      ];
      for (const [jobKey, dependsOn] of depending) {
        await postReport(
          backend.server,
          specReport({
            job_key: jobKey,
            title: jobKey,
            status: 'success',
            ...(dependsOn.length && {
              schedule: { every: 'PT1H', depends_on: dependsOn },
            }),
          }),
        ).expect(200);
      }
      const on = async (query: string) =>
        keys(
          await request(backend.server)
            .get(`/api/monitor/jobs?dependsOn=${query}`)
            .expect(200),
        ).sort();
      expect(await on('price-sync')).toEqual(['fx-rates', 'price-report']);
      expect(await on('cleanup,price-sync-2')).toEqual([
        'price-report',
        'shouting',
      ]);
      expect(await on('PRICE-SYNC')).toEqual(['shouting']);
      expect(await on('')).toEqual([]);
    });

    it('searches keys and titles, ignoring case and wildcards', async () => {
      const { server } = await startWithVariety();
      const text = async (q: string) =>
        keys(await request(server).get('/api/monitor/jobs').query({ q }));
      expect(await text('report')).toEqual(['nightly-report']);
      expect(await text('PRICE')).toEqual(['price_export', 'price-sync']);
      expect(await text('100%')).toEqual(['price_export']);
      expect(await text('e_e')).toEqual(['price_export']);
      expect(await text('%')).toEqual(['price_export']);
    });

    it('finds a Japanese title by any part of it, through the index from three characters, and follows a new title', async () => {
      const { server } = await startWithVariety();
      await postReport(
        server,
        specReport({ job_key: 'ja-sync', title: '夜間の価格同期処理' }),
      ).expect(200);
      const text = async (q: string) =>
        keys(await request(server).get('/api/monitor/jobs').query({ q }));
      expect(await text('価格同期')).toEqual(['ja-sync']);
      expect(await text('格同期処')).toEqual(['ja-sync']);
      // Shorter than a trigram: still found.
      expect(await text('同期')).toEqual(['ja-sync']);
      expect(await text('価')).toEqual(['ja-sync']);
      expect(await text('同期しない')).toEqual([]);

      await postReport(
        server,
        specReport({
          job_key: 'ja-sync',
          title: '在庫連携',
          finished_at: '2024-01-26T10:00:00Z',
        }),
      ).expect(200);
      expect(await text('在庫連携')).toEqual(['ja-sync']);
      expect(await text('価格同期')).toEqual([]);
    });

    it('sorts by name and by health', async () => {
      const { server } = await startWithVariety();
      const byName = await request(server)
        .get('/api/monitor/jobs?sort=name')
        .expect(200);
      expect(keys(byName)).toEqual([
        'cleanup',
        'price_export',
        'nightly-report',
        'price-sync',
      ]);
      const byHealth = await request(server)
        .get('/api/monitor/jobs?sort=health')
        .expect(200);
      expect(byHealth.body.items.map((j: any) => j.health)).toEqual([
        'error',
        'error',
        'ok',
        'ok',
      ]);
      const oldestFirst = await request(server)
        .get('/api/monitor/jobs?order=asc')
        .expect(200);
      expect(keys(oldestFirst)[0]).toBe('price-sync');
    });

    it('pages the runs of a job', async () => {
      const { server } = await startMonitorBackend(databases, databaseId);
      for (let i = 1; i <= 5; i++) {
        await postReport(
          server,
          specReport({
            message: `run ${i}`,
            finished_at: `2024-01-25T10:0${i}:00Z`,
          }),
        ).expect(200);
      }
      const res = await request(server)
        .get('/api/monitor/jobs/daily-price-sync?runsLimit=2&runsOffset=1')
        .expect(200);
      expect(res.body.runsTotalCount).toBe(5);
      expect(res.body.runs.map((r: any) => r.message)).toEqual([
        'run 4',
        'run 3',
      ]);
      expect(res.body.healthChanges).toEqual([
        expect.objectContaining({ from: null, to: 'ok' }),
      ]);
    });
  });
});

// Refusals reach no database: they are tried on the embedded SQLite alone.
const sqlite = monitorTestDatabases({ sqliteOnly: true });

describe('the read API refuses what it cannot answer', () => {
  it('answers 400, 401 and 404 naming the problem', async () => {
    const { server } = await startMonitorBackend(sqlite, 'SQLITE_3');
    await postReport(server, specReport({ job_key: 'a-ok' })).expect(200);
    const queries: Array<[string, string]> = [
      ['latestOutcome=broken', 'latestOutcome'],
      ['status=broken', 'status'],
      ['limit=0', 'limit'],
      ['limit=100000', 'limit'],
      ['offset=-1', 'offset'],
      ['limit=abc', 'limit'],
      ['health=broken', 'health'],
      ['attention=maybe', 'attention'],
      ['q=%00', 'q must not contain NUL'],
      ['jobKey=a%00b', 'jobKey'],
      ['sort=size', 'sort'],
    ];
    for (const [query, field] of queries) {
      const res = await request(server).get(`/api/monitor/jobs?${query}`);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.body.error.message).toContain(field);
    }

    const badKey = await request(server).get('/api/monitor/jobs/a%00b');
    expect(badKey.status).toBe(400);
    expect(badKey.body.error.message).toContain('Invalid job key');

    const unknown = await request(server).get('/api/monitor/jobs/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining('nope'),
    });

    for (const path of ['/jobs', '/jobs/a-ok', '/summary']) {
      const res = await request(server)
        .get(`/api/monitor${path}`)
        .set('Authorization', mockCredentials.none.header());
      expect([path, res.status]).toEqual([path, 401]);
    }
  });
});
