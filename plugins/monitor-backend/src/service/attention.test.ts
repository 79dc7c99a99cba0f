import { mockCredentials } from '@backstage/backend-test-utils';
import permissionBackend from '@backstage/plugin-permission-backend';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import request from 'supertest';
import {
  MonitorTestBackend,
  monitorTestDatabases,
  notificationsSent,
  postReport,
  recorders,
  runCheck,
  specReport,
  permissionPolicy,
  startMonitorBackend,
  TEST_SECRET,
  TestClock,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const MINUTE = 60 * 1000;

const databases = monitorTestDatabases();

/** Waits (up to 10 s) until `done` holds. */
async function waitFor(done: () => boolean) {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) {
      throw new Error('gave up waiting');
    }
    await new Promise(r => setTimeout(r, 20));
  }
}

async function summary(backend: MonitorTestBackend) {
  return (await request(backend.server).get('/api/monitor/summary')).body;
}

let minute = 0;
function report(
  backend: MonitorTestBackend,
  overrides: Record<string, unknown>,
) {
  minute += 1;
  backend.clock.advance(MINUTE);
  return postReport(
    backend.server,
    specReport({
      finished_at: new Date(
        Date.parse('2026-01-10T10:00:00Z') + minute * MINUTE,
      ).toISOString(),
      ...overrides,
    }),
  ).expect(200);
}

describe.each(databases.eachSupportedId())('on %p', databaseId => {
  async function start(monitor: Record<string, unknown> = {}) {
    const recorded = recorders();
    const backend = await startMonitorBackend(
      databases,
      databaseId,
      { monitor: { webhookSecret: TEST_SECRET, ...monitor } },
      {
        clock: new TestClock(new Date('2026-01-10T10:00:00Z')),
        features: recorded.features,
      },
    );
    return { backend, ...recorded };
  }

  describe('notifications', () => {
    it('tells the owner of the linked entity once per change', async () => {
      const { backend, notifications } = await start();
      const linked = { entity_ref: 'component:default/price-service' };

      await report(backend, { ...linked, status: 'success' });
      await notificationsSent(backend);
      expect(notifications).toEqual([]); // never on a first success

      await report(backend, { ...linked, status: 'error', message: 'boom' });
      await report(backend, { ...linked, status: 'error' });
      await report(backend, { ...linked, status: 'error' });
      await notificationsSent(backend);
      expect(notifications).toEqual([
        {
          recipients: {
            type: 'entity',
            entityRef: ['component:default/price-service'],
          },
          payload: expect.objectContaining({
            title: '【障害】価格同期処理: エラー',
            description: expect.stringContaining('daily-price-sync'),
            severity: 'high',
            topic: 'daily-price-sync',
            scope: 'monitor:job:daily-price-sync',
            link: '/monitor/jobs/daily-price-sync',
          }),
        },
      ]);

      await report(backend, { ...linked, status: 'success' });
      await report(backend, { ...linked, status: 'success' });
      await notificationsSent(backend);
      expect(notifications).toHaveLength(2);
      expect(notifications[1].payload).toMatchObject({
        title: '【復旧】価格同期処理: 正常',
        severity: 'normal',
        // The same scope: the recovery updates the failure's notification.
        scope: 'monitor:job:daily-price-sync',
      });
    });

    it('marks a slow run on the run, the list and the page, and warns the owners of it once', async () => {
      const { backend, notifications } = await start();
      const linked = { entity_ref: 'component:default/price-service' };
      /** A success of `seconds`, timed by its started_at. */
      const run = (seconds: number) => {
        const finished =
          Date.parse('2026-01-10T10:00:00Z') + (minute + 1) * MINUTE;
        return report(backend, {
          ...linked,
          status: 'success',
          started_at: new Date(finished - seconds * 1000).toISOString(),
        });
      };
      for (let i = 0; i < 10; i++) {
        await run(20 + i);
      }
      const { body: usual } = await request(backend.server)
        .get('/api/monitor/jobs/daily-price-sync')
        .expect(200);
      expect(usual.baseline).toEqual({
        p50Ms: 24_000,
        p95Ms: 29_000,
        runs: 10,
        slowFactor: 2,
      });
      expect(usual.runs[0].warnings).toEqual([]);

      await run(90);
      const { body } = await request(backend.server)
        .get('/api/monitor/jobs/daily-price-sync')
        .expect(200);
      expect(body.runs[0]).toMatchObject({
        durationMs: 90_000,
        warnings: [
          {
            kind: 'slow',
            durationMs: 90_000,
            p50Ms: 24_000,
            p95Ms: 29_000,
            slowFactor: 2,
          },
        ],
      });
      // A warning: healthy, and not on the badge.
      expect(body.job).toMatchObject({
        health: 'ok',
        latestWarnings: ['slow'],
      });
      expect(
        (await request(backend.server).get('/api/monitor/summary')).body
          .attentionCount,
      ).toBe(0);
      const { body: list } = await request(backend.server)
        .get('/api/monitor/jobs')
        .expect(200);
      expect(list.items[0].latestWarnings).toEqual(['slow']);

      await notificationsSent(backend);
      expect(notifications).toEqual([
        {
          recipients: {
            type: 'entity',
            entityRef: ['component:default/price-service'],
          },
          payload: expect.objectContaining({
            title: '【遅延】価格同期処理',
            description: expect.stringContaining(
              '1 分、30 秒 かかりました。通常の 29 秒 (p95、中央値は 24 秒) の 2 倍を超えています',
            ),
            severity: 'normal',
            scope: 'monitor:job:daily-price-sync:slow',
          }),
        },
      ]);
      // A run of its usual length after it warns nobody.
      await run(25);
      await notificationsSent(backend);
      expect(notifications).toHaveLength(1);
    });

    it("counts and tells a failure because of an upstream job once, in the upstream's notification, and on its own once that job passes", async () => {
      const { backend, notifications } = await start({
        jobs: { 'price-import': { dependsOn: ['price-export'] } },
        notifications: { remindEvery: 'PT10M' },
      });
      const exportJob = {
        job_key: 'price-export',
        title: '価格エクスポート',
        entity_ref: 'component:default/export-service',
      };
      const importJob = {
        job_key: 'price-import',
        title: '価格インポート',
        entity_ref: 'component:default/import-service',
      };
      const summaryNow = async () =>
        (await request(backend.server).get('/api/monitor/summary')).body;
      const jobOf = async (jobKey: string) =>
        (await request(backend.server).get(`/api/monitor/jobs/${jobKey}`)).body
          .job;

      await report(backend, { ...exportJob, status: 'error' });
      await report(backend, { ...importJob, status: 'error' });
      expect(await jobOf('price-import')).toMatchObject({
        health: 'error',
        upstream: { jobKey: 'price-export', title: '価格エクスポート' },
        dependsOn: ['price-export'],
      });
      // The root cause counts once, and is the badge's list.
      expect((await summaryNow()).attentionCount).toBe(1);
      const { body: listed } = await request(backend.server)
        .get('/api/monitor/jobs?attention=true')
        .expect(200);
      expect(listed.items.map((j: any) => j.jobKey)).toEqual(['price-export']);
      await notificationsSent(backend);
      expect(notifications.map(n => n.payload.title)).toEqual([
        '【障害】価格エクスポート: エラー',
      ]);

      // The export's reminder names the import, and tells its owners too.
      backend.clock.advance(11 * MINUTE);
      await runCheck(backend);
      await notificationsSent(backend);
      expect(notifications).toHaveLength(2);
      expect(notifications[1]).toMatchObject({
        recipients: {
          entityRef: [
            'component:default/export-service',
            'component:default/import-service',
          ],
        },
        payload: {
          title: '【未対応】価格エクスポート: エラー',
          description: expect.stringContaining(
            '影響を受けている下流のジョブ: 価格インポート',
          ),
        },
      });

      // The export passes; the import, still failing, is judged again at
      // the next check, on its own: told of, and counted.
      await report(backend, { ...exportJob, status: 'success' });
      await runCheck(backend);
      expect((await jobOf('price-import')).upstream).toBeNull();
      expect((await summaryNow()).attentionCount).toBe(1);
      await notificationsSent(backend);
      expect(
        notifications
          .slice(2)
          .map(n => [
            n.payload.title,
            (n.recipients as { entityRef: string[] }).entityRef,
          ]),
      ).toEqual([
        [
          '【復旧】価格エクスポート: 正常',
          ['component:default/export-service'],
        ],
        [
          '【障害】価格インポート: エラー',
          ['component:default/import-service'],
        ],
      ]);
    });

    it('tells the default owner about jobs linked to no entity', async () => {
      const { backend, notifications } = await start({
        defaultOwner: 'group:default/ops',
      });
      await report(backend, { status: 'error' });
      await notificationsSent(backend);
      expect(notifications.map(n => n.recipients)).toEqual([
        { type: 'entity', entityRef: ['group:default/ops'] },
      ]);
    });

    it('tells nobody when nobody is linked or configured', async () => {
      const { backend, notifications } = await start();
      await report(backend, { status: 'error' });
      await notificationsSent(backend);
      expect(notifications).toEqual([]);
    });

    /** What the owners hear of an hourly job that stopped reporting. */
    async function toldOfAMissedRun(monitor: Record<string, unknown> = {}) {
      const { backend, notifications } = await start({
        defaultOwner: 'group:default/ops',
        ...monitor,
      });
      await report(backend, { schedule: { every: 'PT1H', grace: 'PT5M' } });
      backend.clock.advance(2 * 60 * MINUTE);
      await runCheck(backend);
      await runCheck(backend);
      await notificationsSent(backend);
      return notifications;
    }

    it('tells of a job that stopped reporting, found by the check', async () => {
      const notifications = await toldOfAMissedRun();
      expect(notifications).toHaveLength(1);
      expect(notifications[0].payload).toMatchObject({
        title: '【障害】価格同期処理: 未実行',
        // In Japanese, as the page words it, dates in the default time zone.
        description: expect.stringMatching(
          /^daily-price-sync: 2026年1月10日 11:01 UTC までに実行されず、猶予 5 分 を過ぎました · 最後の報告: 2026年1月10日 10:01 UTC\n処理完了$/,
        ),
      });
    });

    it('speaks English when configured', async () => {
      const notifications = await toldOfAMissedRun({
        defaultTimezone: 'Asia/Tokyo',
        notifications: { language: 'en' },
      });
      expect(notifications).toHaveLength(1);
      expect(notifications[0].payload).toMatchObject({
        title: '[Failing] 価格同期処理: Missed',
        description: expect.stringMatching(
          /^daily-price-sync: No run by Jan 10, 2026, 8:01\sPM GMT\+9, and the grace of 5 min has passed · last report: Jan 10, 2026, 7:01\sPM GMT\+9\n処理完了$/,
        ),
      });
    });

    it('stays quiet about a muted job', async () => {
      const { backend, notifications } = await start({
        defaultOwner: 'group:default/ops',
      });
      await report(backend, { status: 'success' });
      await request(backend.server)
        .post('/api/monitor/jobs/daily-price-sync/mute')
        .send({ until: '2026-01-11T00:00:00Z', reason: 'maintenance' })
        .expect(200);
      await report(backend, { status: 'error' });
      await notificationsSent(backend);
      expect(notifications).toEqual([]);
    });

    it('signals every change, for pages to update live, and says nothing of the job', async () => {
      const { backend, signals } = await start();
      await report(backend, { status: 'error' });
      await waitFor(() => signals.length === 1);
      await request(backend.server)
        .post('/api/monitor/jobs/daily-price-sync/acknowledgement')
        .send({ comment: '調査中' })
        .expect(200);
      await waitFor(() => signals.length === 2);
      await request(backend.server)
        .delete('/api/monitor/jobs/daily-price-sync')
        .expect(204);
      await waitFor(() => signals.length === 3);
      // Every signed-in user receives it, readers of jobs or not: no key,
      // no title, no health.
      expect(signals).toEqual(
        Array(3).fill({
          recipients: { type: 'broadcast' },
          channel: 'monitor:jobs',
          message: { changed: true, version: expect.any(String) },
        }),
      );
      // Each carries the version of the data after its change: a page
      // that shows it (answers carry theirs) has nothing to reload.
      const versions = signals.map(s => (s.message as any).version);
      expect(new Set(versions).size).toBe(3);
      expect((await summary(backend)).version).toBe(versions[2]);
    });
  });

  it('works without the notifications and signals backends', async () => {
    // The default services reach for backends this portal does not have.
    const backend = await startMonitorBackend(databases, databaseId, {
      monitor: {
        webhookSecret: TEST_SECRET,
        defaultOwner: 'group:default/ops',
      },
    });
    await postReport(backend.server, specReport({ status: 'error' })).expect(
      200,
    );
    expect(await summary(backend)).toMatchObject({ attentionCount: 1 });
  });

  it('lists exactly the jobs the badge counts: of 63 failing, 60 taken up and 3 not', async () => {
    const { backend } = await start();
    const keys = Array.from({ length: 63 }, (_, i) => `job-${i}`);
    for (const jobKey of keys) {
      await postReport(
        backend.server,
        specReport({ job_key: jobKey, status: 'error' }),
      ).expect(200);
    }
    for (const jobKey of keys.slice(0, 30)) {
      await request(backend.server)
        .post(`/api/monitor/jobs/${jobKey}/acknowledgement`)
        .send({ comment: 'on it' })
        .expect(200);
    }
    for (const jobKey of keys.slice(30, 60)) {
      await request(backend.server)
        .post(`/api/monitor/jobs/${jobKey}/mute`)
        .send({ until: '2026-01-11T00:00:00Z', reason: 'known' })
        .expect(200);
    }

    expect((await summary(backend)).attentionCount).toBe(3);
    // Paged, with the summary's count as its total.
    const pages = await Promise.all(
      [0, 2].map(offset =>
        request(backend.server)
          .get(`/api/monitor/jobs?attention=true&limit=2&offset=${offset}`)
          .expect(200),
      ),
    );
    expect(pages.map(page => page.body.totalCount)).toEqual([3, 3]);
    expect(
      pages.flatMap(page => page.body.items.map((j: any) => j.jobKey)).sort(),
    ).toEqual(['job-60', 'job-61', 'job-62']);
    const others = await request(backend.server)
      .get('/api/monitor/jobs?attention=false&limit=1')
      .expect(200);
    expect(others.body.totalCount).toBe(60);
    // What an assistant asks through the list-jobs action.
    const asked = await request(backend.server)
      .post(
        '/api/monitor/.backstage/actions/v1/actions/monitor:list-jobs/invoke',
      )
      .send({ attention: true })
      .expect(200);
    expect(asked.body.output.totalCount).toBe(3);

    // A mute that ends puts its job back, with no write.
    backend.clock.set('2026-01-11T00:00:01Z');
    expect((await summary(backend)).attentionCount).toBe(33);
    const afterMutes = await request(backend.server)
      .get('/api/monitor/jobs?attention=true&limit=1')
      .expect(200);
    expect(afterMutes.body.totalCount).toBe(33);

    const bad = await request(backend.server)
      .get('/api/monitor/jobs?attention=maybe')
      .expect(400);
    expect(bad.body.error.message).toContain('attention');
  });

  describe('acknowledge and mute', () => {
    it('takes an acknowledged job off the badge until its next change', async () => {
      const { backend } = await start();
      await report(backend, { status: 'error' });
      expect((await summary(backend)).attentionCount).toBe(1);

      const acked = await request(backend.server)
        .post('/api/monitor/jobs/daily-price-sync/acknowledgement')
        .send({ comment: '調査中' })
        .expect(200);
      expect(acked.body.job.acknowledgement).toEqual({
        by: 'user:default/mock',
        at: expect.any(String),
        comment: '調査中',
      });
      expect(await summary(backend)).toMatchObject({
        attentionCount: 0,
        acknowledgedCount: 1,
        byHealth: expect.objectContaining({ error: 1 }),
      });

      // Still failing: the acknowledgement holds.
      await report(backend, { status: 'error' });
      expect((await summary(backend)).attentionCount).toBe(0);

      // Recovers, then fails anew: the acknowledgement is gone.
      await report(backend, { status: 'success' });
      await report(backend, { status: 'error' });
      expect(await summary(backend)).toMatchObject({
        attentionCount: 1,
        acknowledgedCount: 0,
      });
    });

    it('refuses a comment that cannot be stored', async () => {
      const { backend } = await start();
      await report(backend, { status: 'error' });
      const res = await request(backend.server)
        .post('/api/monitor/jobs/daily-price-sync/acknowledgement')
        .send({ comment: 'bad \u0000 byte' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('comment must not contain NUL');
    });

    it('refuses to acknowledge a job that is not failing', async () => {
      const { backend } = await start();
      await report(backend, { status: 'success' });
      const res = await request(backend.server)
        .post('/api/monitor/jobs/daily-price-sync/acknowledgement')
        .send({ comment: 'why' });
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('only a failing job');
    });

    it('takes the acknowledgement back on request', async () => {
      const { backend } = await start();
      await report(backend, { status: 'error' });
      await request(backend.server)
        .post('/api/monitor/jobs/daily-price-sync/acknowledgement')
        .send({ comment: 'x' })
        .expect(200);
      const res = await request(backend.server)
        .delete('/api/monitor/jobs/daily-price-sync/acknowledgement')
        .expect(200);
      expect(res.body.job.acknowledgement).toBeNull();
      expect((await summary(backend)).attentionCount).toBe(1);
    });

    it('mutes a job until a time, then counts it again', async () => {
      const { backend } = await start();
      await report(backend, { status: 'error' });

      const muted = await request(backend.server)
        .post('/api/monitor/jobs/daily-price-sync/mute')
        .send({ until: '2026-01-10T12:00:00+00:00', reason: 'メンテナンス' })
        .expect(200);
      expect(muted.body.job.mute).toMatchObject({
        until: '2026-01-10T12:00:00.000Z',
        reason: 'メンテナンス',
        by: 'user:default/mock',
      });
      expect(await summary(backend)).toMatchObject({
        attentionCount: 0,
        mutedCount: 1,
      });

      backend.clock.set('2026-01-10T12:00:01Z');
      expect(await summary(backend)).toMatchObject({
        attentionCount: 1,
        mutedCount: 0,
      });
      const { body } = await request(backend.server).get(
        '/api/monitor/jobs/daily-price-sync',
      );
      expect(body.job.mute).toBeNull();
    });

    it('unmutes on request', async () => {
      const { backend } = await start();
      await report(backend, { status: 'error' });
      await request(backend.server)
        .post('/api/monitor/jobs/daily-price-sync/mute')
        .send({ until: '2026-01-11T00:00:00Z', reason: 'x' })
        .expect(200);
      await request(backend.server)
        .delete('/api/monitor/jobs/daily-price-sync/mute')
        .expect(200);
      expect((await summary(backend)).attentionCount).toBe(1);
    });

    it.each([
      [
        { until: '2026-01-09T00:00:00Z', reason: 'x' },
        'until must be in the future',
      ],
      [{ until: 'tomorrow', reason: 'x' }, 'until must be an ISO 8601'],
      [{ until: '2026-01-11T00:00:00Z' }, 'reason'],
    ])('refuses the mute %j with 400', async (body, expected) => {
      const { backend } = await start();
      await report(backend, { status: 'error' });
      const res = await request(backend.server)
        .post('/api/monitor/jobs/daily-price-sync/mute')
        .send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(expected);
    });

    it('answers 404 for an unknown job', async () => {
      const { backend } = await start();
      await request(backend.server)
        .post('/api/monitor/jobs/nope/mute')
        .send({ until: '2026-01-11T00:00:00Z', reason: 'x' })
        .expect(404);
    });
  });

  describe('permissions', () => {
    const viewer = mockCredentials.user('user:default/viewer');
    const operator = mockCredentials.user('user:default/operator');

    const OUTSIDER = 'user:default/outsider';

    /**
     * A portal whose policy lets everyone but the outsider see jobs, and the
     * operator alone act on them.
     */
    async function startWithPolicy() {
      return startMonitorBackend(
        databases,
        databaseId,
        {
          monitor: { webhookSecret: TEST_SECRET },
          permission: { enabled: true },
        },
        {
          clock: new TestClock(new Date('2026-01-10T10:00:00Z')),
          features: [
            permissionBackend,
            permissionPolicy(async (req, user) => {
              const who = user?.info.userEntityRef;
              if (req.permission.name === 'monitor.job.read') {
                return {
                  result:
                    who === OUTSIDER
                      ? AuthorizeResult.DENY
                      : AuthorizeResult.ALLOW,
                };
              }
              return {
                result:
                  req.permission.name.startsWith('monitor.') &&
                  who === operator.principal.userEntityRef
                    ? AuthorizeResult.ALLOW
                    : AuthorizeResult.DENY,
              };
            }),
          ],
        },
      );
    }

    it('shows no job to a user without the read permission', async () => {
      const backend = await startWithPolicy();
      await postReport(backend.server, specReport({ status: 'error' })).expect(
        200,
      );
      for (const path of ['/jobs', '/jobs/daily-price-sync', '/summary']) {
        const refused = await request(backend.server)
          .get(`/api/monitor${path}`)
          .set('Authorization', mockCredentials.user.header(OUTSIDER));
        expect(refused.status).toBe(403);
        expect(refused.body.error.message).toContain('monitor.job.read');
      }
      const seen = await request(backend.server)
        .get('/api/monitor/jobs')
        .set(
          'Authorization',
          mockCredentials.user.header(viewer.principal.userEntityRef),
        );
      expect(seen.body.items.map((j: any) => j.jobKey)).toEqual([
        'daily-price-sync',
      ]);
    });

    it.each([
      [
        'acknowledge',
        'post',
        'acknowledgement',
        { comment: 'x' },
        'monitor.job.acknowledge',
      ],
      [
        'mute',
        'post',
        'mute',
        { until: '2026-01-11T00:00:00Z', reason: 'x' },
        'monitor.job.mute',
      ],
      ['delete', 'delete', '', undefined, 'monitor.job.delete'],
    ] as const)(
      'refuses to %s for a user without the permission',
      async (_action, method, path, body, permission) => {
        const backend = await startWithPolicy();
        await postReport(
          backend.server,
          specReport({ status: 'error' }),
        ).expect(200);
        const url = `/api/monitor/jobs/daily-price-sync${
          path ? `/${path}` : ''
        }`;

        const refused = await request(backend.server)
          [method](url)
          .set(
            'Authorization',
            mockCredentials.user.header(viewer.principal.userEntityRef),
          )
          .send(body);
        expect(refused.status).toBe(403);
        expect(refused.body.error.message).toContain(permission);

        const { body: after } = await request(backend.server).get(
          '/api/monitor/jobs/daily-price-sync',
        );
        expect(after.job).toMatchObject({
          health: 'error',
          acknowledgement: null,
          mute: null,
        });

        const allowed = await request(backend.server)
          [method](url)
          .set(
            'Authorization',
            mockCredentials.user.header(operator.principal.userEntityRef),
          )
          .send(body);
        expect(allowed.status).toBe(method === 'delete' ? 204 : 200);
      },
    );
  });
});

describe('an acknowledgement racing a recovery, on PostgreSQL', () => {
  it('is refused when the job recovered between the request and the write', async () => {
    const backend = await startMonitorBackend(databases, 'POSTGRES_15', {
      monitor: { webhookSecret: TEST_SECRET },
    });
    await postReport(backend.server, specReport({ status: 'error' })).expect(
      200,
    );

    // Hold the job's row, as a report being recorded does.
    const recovery = await backend.knex.transaction();
    await recovery('jobs')
      .where('job_key', 'daily-price-sync')
      .forUpdate()
      .first();
    const acknowledging = request(backend.server)
      .post('/api/monitor/jobs/daily-price-sync/acknowledgement')
      .send({ comment: 'looking' })
      .then(res => res);
    // Once the acknowledgement waits for the row, the report makes the job
    // healthy and lets go.
    for (;;) {
      const { rows } = await backend.knex.raw(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and wait_event_type = 'Lock'`,
      );
      if (rows[0].n > 0) {
        break;
      }
      await new Promise(r => setTimeout(r, 20));
    }
    await recovery('jobs')
      .where('job_key', 'daily-price-sync')
      .update({ health: 'ok', failing: false });
    await recovery.commit();

    const res = await acknowledging;
    expect(res.status).toBe(409);
    expect(res.body.error.message).toContain('is ok');
    const job = await request(backend.server).get(
      '/api/monitor/jobs/daily-price-sync',
    );
    expect(job.body.job.acknowledgement).toBeNull();
  });
});
