import { JsonObject } from '@backstage/types';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  MonitorTestBackend,
  monitorTestDatabases,
  postReport,
  runCheck,
  specReport,
  startMonitorBackend,
  TEST_SECRET,
  TestClock,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const MINUTE = 60 * 1000;

const databases = monitorTestDatabases();

async function job(backend: MonitorTestBackend, jobKey = 'daily-price-sync') {
  const res = await request(backend.server).get(
    `/api/monitor/jobs/${encodeURIComponent(jobKey)}`,
  );
  return res;
}

async function summary(backend: MonitorTestBackend) {
  return (await request(backend.server).get('/api/monitor/summary')).body;
}

async function count(backend: MonitorTestBackend, table: string) {
  const [{ n }] = await backend.knex(table).count({ n: '*' });
  return Number(n);
}

describe.each(databases.eachSupportedId())('the engine on %p', databaseId => {
  async function start(
    monitor: Record<string, unknown> = {},
    clock = new TestClock(new Date('2026-01-10T10:00:00Z')),
  ) {
    return startMonitorBackend(
      databases,
      databaseId,
      { monitor: { webhookSecret: TEST_SECRET, ...monitor } },
      { clock },
    );
  }

  describe('run ids', () => {
    it('answers a retried report with the same id and stores it once', async () => {
      const backend = await start();
      const runId = randomUUID();

      const first = await postReport(
        backend.server,
        specReport({ status: 'error', run_id: runId }),
      ).expect(200);
      const retry = await postReport(
        backend.server,
        specReport({ status: 'error', run_id: runId.toUpperCase() }),
      ).expect(200);

      expect(retry.body).toEqual(first.body);
      expect(await count(backend, 'job_runs')).toBe(1);
      expect(await count(backend, 'job_health_changes')).toBe(1);
    });

    it('refuses a run id that is not a UUID', async () => {
      const backend = await start();
      const res = await postReport(
        backend.server,
        specReport({ run_id: 'run-42' }),
      );
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('run_id must be a UUID');
    });
  });

  describe('start and finish', () => {
    it('pairs a start with its finish and measures the run', async () => {
      const backend = await start();
      const runId = randomUUID();

      const started = await postReport(backend.server, {
        job_key: 'daily-price-sync',
        title: '価格同期処理',
        status: 'start',
        run_id: runId,
        started_at: '2026-01-10T10:00:00+00:00',
        host: 'batch-01',
      }).expect(200);
      let detail = await job(backend);
      expect(detail.body.job.health).toBe('running');
      expect(detail.body.runs[0]).toMatchObject({
        id: started.body.id,
        status: 'running',
        startedAt: '2026-01-10T10:00:00.000Z',
        finishedAt: null,
      });

      backend.clock.advance(90_000);
      const finished = await postReport(
        backend.server,
        specReport({
          run_id: runId,
          finished_at: '2026-01-10T10:01:30+00:00',
          exit_code: 0,
        }),
      ).expect(200);

      expect(finished.body.id).toBe(started.body.id);
      detail = await job(backend);
      expect(detail.body.job).toMatchObject({
        health: 'ok',
        latestOutcome: 'success',
        durationMs: 90_000,
      });
      expect(detail.body.runs).toEqual([
        expect.objectContaining({
          id: started.body.id,
          runId,
          status: 'success',
          durationMs: 90_000,
          exitCode: 0,
          host: 'batch-01',
        }),
      ]);
    });

    it('keeps the finish when its start arrives after it', async () => {
      const backend = await start();
      const runId = randomUUID();
      const finished = await postReport(
        backend.server,
        specReport({ run_id: runId, finished_at: '2026-01-10T10:00:00Z' }),
      ).expect(200);
      const late = await postReport(backend.server, {
        job_key: 'daily-price-sync',
        title: '価格同期処理',
        status: 'start',
        run_id: runId,
      }).expect(200);
      expect(late.body.id).toBe(finished.body.id);
      const { body } = await job(backend);
      expect(body.job.health).toBe('ok');
      expect(body.runs).toHaveLength(1);
      expect(body.runs[0].status).toBe('success');
    });

    it('times out a run left open past its maximum runtime', async () => {
      const backend = await start({
        jobs: { 'daily-price-sync': { maxRuntime: 'PT30M' } },
      });
      const runId = randomUUID();
      await postReport(backend.server, {
        job_key: 'daily-price-sync',
        title: '価格同期処理',
        status: 'start',
        run_id: runId,
      }).expect(200);

      backend.clock.advance(29 * MINUTE);
      await runCheck(backend);
      expect((await job(backend)).body.job.health).toBe('running');

      backend.clock.advance(2 * MINUTE);
      await runCheck(backend);
      const detail = await job(backend);
      expect(detail.body.job).toMatchObject({
        health: 'timeout',
        latestOutcome: 'timeout',
      });
      expect(detail.body.runs[0]).toMatchObject({
        status: 'timeout',
        // When its maximum runtime ran out, by the clock of its start.
        finishedAt: '2026-01-10T10:30:00.000Z',
        message: expect.stringContaining('maximum runtime'),
      });
      expect(detail.body.healthChanges[0]).toMatchObject({
        from: 'running',
        to: 'timeout',
      });
      expect((await summary(backend)).attentionCount).toBe(1);

      // The finish arrives after all: the run ends as it really did. Its
      // start was stamped by the portal's clock, so its length is too: from
      // the start's arrival to the finish's, 31 minutes, whatever the
      // reporter's clock says (9 minutes ahead here).
      await postReport(
        backend.server,
        specReport({ run_id: runId, finished_at: '2026-01-10T10:40:00Z' }),
      ).expect(200);
      const after = await job(backend);
      expect(after.body.job.health).toBe('ok');
      expect(after.body.runs[0]).toMatchObject({
        status: 'success',
        durationMs: 31 * MINUTE,
        startedAt: '2026-01-10T10:09:00.000Z',
        finishedAt: '2026-01-10T10:40:00.000Z',
      });
      expect((await summary(backend)).attentionCount).toBe(0);
    });
  });

  describe('schedules', () => {
    it('notices a job that stopped reporting: late, then missed', async () => {
      const backend = await start();
      await postReport(
        backend.server,
        specReport({
          finished_at: '2026-01-10T10:00:00Z',
          schedule: { every: 'PT1H', grace: 'PT10M' },
        }),
      ).expect(200);
      const detail = await job(backend);
      expect(detail.body.job).toMatchObject({
        health: 'ok',
        nextExpectedAt: '2026-01-10T11:00:00.000Z',
        schedule: {
          every: 'PT1H',
          grace: 'PT10M',
          maxRuntime: 'PT1H',
          source: 'report',
        },
      });

      backend.clock.set('2026-01-10T10:59:00Z');
      await runCheck(backend);
      expect((await job(backend)).body.job.health).toBe('ok');

      backend.clock.set('2026-01-10T11:05:00Z');
      await runCheck(backend);
      expect((await job(backend)).body.job.health).toBe('late');
      expect((await summary(backend)).attentionCount).toBe(0);

      backend.clock.set('2026-01-10T11:10:00Z');
      await runCheck(backend);
      const missed = await job(backend);
      expect(missed.body.job).toMatchObject({
        health: 'missed',
        healthSince: '2026-01-10T11:10:00.000Z',
      });
      expect(missed.body.healthChanges.map((c: any) => [c.from, c.to])).toEqual(
        [
          ['late', 'missed'],
          ['ok', 'late'],
          [null, 'ok'],
        ],
      );
      expect((await summary(backend)).attentionCount).toBe(1);

      // Reporting again ends it.
      backend.clock.set('2026-01-10T11:30:00Z');
      await postReport(
        backend.server,
        specReport({ finished_at: '2026-01-10T11:30:00Z' }),
      ).expect(200);
      expect((await job(backend)).body.job.health).toBe('ok');
    });

    it('judges every due job in one check, however many', async () => {
      const backend = await start();
      for (let i = 0; i < 450; i++) {
        await postReport(
          backend.server,
          specReport({
            job_key: `job-${i}`,
            finished_at: '2026-01-10T10:00:00Z',
            schedule: { every: 'PT1H' },
          }),
        ).expect(200);
      }
      // As after a restart: every job is due for judging, none will change.
      await backend.knex('jobs').update({ next_check_at: backend.clock.now() });
      backend.clock.advance(MINUTE);

      await runCheck(backend);

      const [{ n }] = await backend
        .knex('jobs')
        .where('next_check_at', '<=', backend.clock.now())
        .count({ n: '*' });
      expect(Number(n)).toBe(0);
    });

    it('watches a configured job that never reported', async () => {
      const backend = await start({
        jobs: {
          'weekly-report': {
            title: '週次レポート',
            schedule: { cron: '0 9 * * 1', timezone: 'Asia/Tokyo' },
            grace: { hours: 1 },
            entityRef: 'component:price-service',
          },
        },
      });
      let detail = await job(backend, 'weekly-report');
      expect(detail.body.job).toMatchObject({
        title: '週次レポート',
        entityRef: 'component:default/price-service',
        latestOutcome: null,
        schedule: {
          cron: '0 9 * * 1',
          timezone: 'Asia/Tokyo',
          grace: 'PT1H',
          source: 'config',
        },
      });

      // Monday 2026-01-12 09:00 JST is 00:00 UTC; missed an hour later.
      backend.clock.set('2026-01-12T01:00:00Z');
      await runCheck(backend);
      detail = await job(backend, 'weekly-report');
      expect(detail.body.job.health).toBe('missed');
      expect(detail.body.job.healthReason).toContain('no report yet');
    });

    it('lets config win over what a report says', async () => {
      const backend = await start({
        jobs: {
          'daily-price-sync': {
            schedule: { every: 'PT1H' },
            entityRef: 'component:default/price-service',
          },
        },
      });
      await postReport(
        backend.server,
        specReport({
          schedule: { every: 'PT5M', grace: 'PT1M' },
          entity_ref: 'component:default/other',
        }),
      ).expect(200);
      const { body } = await job(backend);
      expect(body.job.entityRef).toBe('component:default/price-service');
      expect(body.job.schedule).toMatchObject({
        every: 'PT1H',
        grace: 'PT1M',
        source: 'config',
      });
    });

    it('refuses a schedule it cannot use with 400, naming the problem, storing nothing', async () => {
      const backend = await start();
      const cases: Array<[object, string]> = [
        [
          { cron: '61 * * * *' },
          'schedule.cron is not a valid cron expression',
        ],
        [
          { cron: '0 2 * * *', timezone: 'Mars/Base' },
          "schedule.timezone unknown time zone 'Mars/Base'",
        ],
        [
          { every: 'PT1H', cron: '0 * * * *' },
          'needs exactly one of every or cron',
        ],
        [{ every: 'hourly' }, 'schedule.every must be an ISO 8601 duration'],
        [
          { every: 'PT1H', grace: 'PT0S' },
          'schedule.grace must be longer than zero',
        ],
      ];
      for (const [schedule, expected] of cases) {
        const res = await postReport(backend.server, specReport({ schedule }));
        expect(res.status).toBe(400);
        expect(res.body.error.message).toContain(expected);
      }
      expect(await count(backend, 'job_runs')).toBe(0);
    });
  });

  it('fails a success that finished sooner than the minimum runtime, and says how soon', async () => {
    const backend = await start({
      jobs: { 'configured-backup': { minRuntime: 'PT1M' } },
    });
    const send = async (jobKey: string, seconds: number) => {
      await postReport(
        backend.server,
        specReport({
          job_key: jobKey,
          started_at: '2026-01-10T02:00:00Z',
          finished_at: `2026-01-10T02:0${Math.floor(seconds / 60)}:${String(
            seconds % 60,
          ).padStart(2, '0')}Z`,
          schedule: { cron: '0 2 * * *', min_runtime: 'PT5M' },
        }),
      ).expect(200);
      return (await job(backend, jobKey)).body.job;
    };

    const backup = await send('nightly-backup', 2);
    expect(backup).toMatchObject({
      health: 'error',
      healthReason: 'the latest run finished in 2 sec, expected at least 5 min',
      healthReasonDetail: {
        code: 'tooFast',
        failures: 1,
        durationMs: 2000,
        minRuntimeMs: 300_000,
      },
      latestOutcome: 'success',
      recentOutcomes: ['error'],
      schedule: expect.objectContaining({ minRuntime: 'PT5M' }),
    });
    expect((await summary(backend)).attentionCount).toBe(1);
    // Config's minimum runtime wins over the report's.
    expect(await send('configured-backup', 120)).toMatchObject({
      health: 'ok',
      schedule: expect.objectContaining({ minRuntime: 'PT1M' }),
    });
  });

  it('marks a run that starts too early, and a second run in the same slot, on the run and in the list', async () => {
    // Daily at 02:00 in Tokyo (17:00 UTC), 15 minutes of grace.
    const backend = await start(
      {
        jobs: {
          'nightly-backup': {
            schedule: { cron: '0 2 * * *', timezone: 'Asia/Tokyo' },
            grace: 'PT15M',
          },
        },
      },
      new TestClock(new Date('2026-01-10T16:40:00Z')),
    );
    const runId = randomUUID();
    await postReport(backend.server, {
      job_key: 'nightly-backup',
      title: '夜間バックアップ',
      status: 'start',
      run_id: runId,
    }).expect(200);
    backend.clock.advance(5 * MINUTE);
    await postReport(
      backend.server,
      specReport({
        job_key: 'nightly-backup',
        title: '夜間バックアップ',
        run_id: runId,
        finished_at: '2026-01-10T16:45:00Z',
      }),
    ).expect(200);
    const early = {
      kind: 'early',
      slotAt: '2026-01-10T17:00:00.000Z',
      earlyByMs: 20 * MINUTE,
    };
    let detail = (await job(backend, 'nightly-backup')).body;
    expect(detail.runs[0]).toMatchObject({
      status: 'success',
      warnings: [early],
    });
    expect(detail.job).toMatchObject({
      health: 'ok',
      latestWarnings: ['early'],
    });

    // Another machine runs it at 02:05, for ten minutes: the same slot.
    backend.clock.set('2026-01-10T17:15:00Z');
    await postReport(
      backend.server,
      specReport({
        job_key: 'nightly-backup',
        title: '夜間バックアップ',
        finished_at: '2026-01-10T17:15:00Z',
        duration_ms: 10 * MINUTE,
      }),
    ).expect(200);
    detail = (await job(backend, 'nightly-backup')).body;
    expect(detail.runs.map((r: any) => r.warnings)).toEqual([
      [{ kind: 'duplicate', slotAt: '2026-01-10T17:00:00.000Z' }],
      [early],
    ]);
    const { body: list } = await request(backend.server)
      .get('/api/monitor/jobs')
      .expect(200);
    expect(list.items[0]).toMatchObject({
      jobKey: 'nightly-backup',
      latestWarnings: ['duplicate'],
    });
    // Warnings: not on the badge.
    expect((await summary(backend)).attentionCount).toBe(0);
  });

  it("takes the thresholds a job's reports send, config winning where it sets one", async () => {
    const backend = await start({
      jobs: { 'configured-job': { failureThreshold: 3 } },
    });
    let minute = 0;
    const send = async (jobKey: string, status: string) => {
      minute += 1;
      await postReport(
        backend.server,
        specReport({
          job_key: jobKey,
          status,
          finished_at: `2026-01-10T10:${String(minute).padStart(2, '0')}:00Z`,
          schedule: {
            every: 'PT1H',
            failure_threshold: 2,
            recovery_threshold: 2,
          },
        }),
      ).expect(200);
      return (await job(backend, jobKey)).body.job;
    };

    const first = await send('daily-price-sync', 'error');
    expect(first).toMatchObject({
      health: 'ok',
      failureThreshold: 2,
      recoveryThreshold: 2,
    });
    expect(first.healthReasonDetail).toEqual({
      code: 'belowThreshold',
      failures: 1,
      threshold: 2,
    });
    expect((await send('daily-price-sync', 'error')).health).toBe('error');
    expect((await send('daily-price-sync', 'success')).health).toBe('error');
    expect((await send('daily-price-sync', 'success')).health).toBe('ok');

    // Config's failureThreshold of 3 wins over the report's 2; the report's
    // recovery threshold still applies.
    expect(await send('configured-job', 'error')).toMatchObject({
      health: 'ok',
      failureThreshold: 3,
      recoveryThreshold: 2,
    });
    expect((await send('configured-job', 'error')).health).toBe('ok');
    expect((await send('configured-job', 'error')).health).toBe('error');
    expect(
      (await send('configured-job', 'success')).healthReasonDetail,
    ).toEqual({ code: 'recovering', successes: 1, threshold: 2 });
  });

  describe('restarts', () => {
    it('re-judge every job only when the rules in config changed', async () => {
      const clock = new TestClock(new Date('2026-01-10T10:05:00Z'));
      const config = (jobs: JsonObject) => ({
        monitor: { webhookSecret: TEST_SECRET, jobs },
      });
      const configured = { 'nightly-export': { schedule: { every: 'PT1H' } } };
      const first = await startMonitorBackend(
        databases,
        databaseId,
        config(configured),
        { clock },
      );
      for (const jobKey of ['job-a', 'job-b']) {
        await postReport(
          first.server,
          specReport({ job_key: jobKey, finished_at: '2026-01-10T10:00:00Z' }),
        ).expect(200);
      }
      await runCheck(first);
      const dueAfterStart = async (backend: MonitorTestBackend) =>
        (
          await backend
            .knex('jobs')
            .whereNotNull('next_check_at')
            .orderBy('job_key')
            .pluck('job_key')
        ).sort();
      // Unscheduled jobs that reported wait for nothing.
      expect(await dueAfterStart(first)).toEqual(['nightly-export']);
      await first.stop();

      // The same rules: only the configured job is looked at again.
      const same = await startMonitorBackend(
        databases,
        databaseId,
        config(configured),
        { clock, knex: first.knex },
      );
      expect(await dueAfterStart(same)).toEqual(['nightly-export']);
      await same.stop();

      // Changed rules: every job is judged again at the next check.
      const changed = await startMonitorBackend(
        databases,
        databaseId,
        config({ 'nightly-export': { schedule: { every: 'PT2H' } } }),
        { clock, knex: first.knex },
      );
      expect(await dueAfterStart(changed)).toEqual([
        'job-a',
        'job-b',
        'nightly-export',
      ]);
      await runCheck(changed);
      expect((await job(changed, 'job-a')).body.job.health).toBe('ok');
    });
  });

  describe('deletion', () => {
    it('removes a job with its history, and it stays deleted', async () => {
      const clock = new TestClock(new Date('2026-01-10T10:05:00Z'));
      const config = {
        monitor: {
          webhookSecret: TEST_SECRET,
          jobs: { 'daily-price-sync': { schedule: { every: 'PT1H' } } },
        },
      };
      const backend = await startMonitorBackend(databases, databaseId, config, {
        clock,
      });
      const report = specReport({
        status: 'error',
        finished_at: '2026-01-10T10:00:00Z',
      });
      await postReport(backend.server, report).expect(200);

      await request(backend.server)
        .delete('/api/monitor/jobs/daily-price-sync')
        .expect(204);

      expect((await job(backend)).status).toBe(404);
      expect(await summary(backend)).toMatchObject({
        attentionCount: 0,
        totalCount: 0,
      });
      expect(await count(backend, 'job_runs')).toBe(0);
      expect(await count(backend, 'job_health_changes')).toBe(0);

      // A retry of a report from before the deletion does not bring it back.
      const retry = await postReport(backend.server, report);
      expect(retry.status).toBe(410);
      expect(retry.body.error.name).toBe('JobGoneError');
      expect(await count(backend, 'job_runs')).toBe(0);

      // Neither does the scheduled check, nor a restart with it in config.
      clock.advance(3 * 60 * MINUTE);
      await runCheck(backend);
      await backend.stop();
      const restarted = await startMonitorBackend(
        databases,
        databaseId,
        config,
        { clock, knex: backend.knex },
      );
      await runCheck(restarted);
      expect((await job(restarted)).status).toBe(404);
      expect(
        (await request(restarted.server).get('/api/monitor/jobs')).body,
      ).toMatchObject({ items: [], totalCount: 0 });

      // A run after the deletion is the job running again.
      await postReport(
        restarted.server,
        specReport({ finished_at: '2026-01-10T13:10:00Z' }),
      ).expect(200);
      expect((await job(restarted)).body.job.health).toBe('ok');
    });

    it('answers 404 for a job that does not exist', async () => {
      const backend = await start();
      await request(backend.server)
        .delete('/api/monitor/jobs/nope')
        .expect(404);
    });
  });

  describe('retention', () => {
    it('keeps the newest runs per job, pruning the rest in batches', async () => {
      const backend = await start({ retention: { maxRunsPerJob: 3 } });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        backend.clock.advance(MINUTE);
        const res = await postReport(
          backend.server,
          specReport({
            status: i === 4 ? 'error' : 'success',
            finished_at: `2026-01-10T10:0${i}:00Z`,
          }),
        ).expect(200);
        ids.push(res.body.id);
      }
      await postReport(
        backend.server,
        specReport({ job_key: 'other', finished_at: '2026-01-10T10:00:00Z' }),
      ).expect(200);

      await backend.scheduler.triggerTask('monitor-prune-history');

      const { body } = await job(backend);
      expect(body.runsTotalCount).toBe(3);
      expect(body.runs.map((r: any) => r.id)).toEqual(ids.slice(2).reverse());
      expect(body.job).toMatchObject({
        health: 'error',
        finishedAt: '2026-01-10T10:04:00.000Z',
      });
      expect((await job(backend, 'other')).body.runsTotalCount).toBe(1);
    });

    it('deletes runs and changes older than the maximum age, keeping the state', async () => {
      const backend = await start({ retention: { maxAge: { days: 1 } } });
      await postReport(
        backend.server,
        specReport({ status: 'error', finished_at: '2026-01-10T10:00:00Z' }),
      ).expect(200);
      backend.clock.advance(25 * 60 * MINUTE);
      await postReport(
        backend.server,
        specReport({
          job_key: 'fresh',
          finished_at: '2026-01-11T11:00:00Z',
        }),
      ).expect(200);

      await backend.scheduler.triggerTask('monitor-prune-history');
      await runCheck(backend);

      const old = await job(backend);
      expect(old.body.healthChanges).toEqual([]);
      // The job's latest result and health outlive its pruned history; so
      // does the run its row shows, so the row stays true.
      expect(old.body.job).toMatchObject({
        latestOutcome: 'error',
        health: 'error',
      });
      expect(old.body.runs).toEqual([
        expect.objectContaining({
          status: 'error',
          finishedAt: '2026-01-10T10:00:00.000Z',
        }),
      ]);
      expect((await job(backend, 'fresh')).body.runsTotalCount).toBe(1);
    });
  });

  describe('secrets', () => {
    it('accepts the additional secrets, for rotating one', async () => {
      const backend = await start({
        additionalWebhookSecrets: ['next-secret'],
      });
      await postReport(backend.server, specReport(), 'next-secret').expect(200);
      await postReport(backend.server, specReport(), TEST_SECRET).expect(200);
      await postReport(backend.server, specReport(), 'other').expect(401);
    });

    it("accepts a job's own secret for that job alone", async () => {
      const backend = await start({
        jobs: { 'daily-price-sync': { webhookSecret: 'price-secret' } },
      });
      await postReport(backend.server, specReport(), 'price-secret').expect(
        200,
      );
      const other = await postReport(
        backend.server,
        specReport({ job_key: 'other-job' }),
        'price-secret',
      );
      expect(other.status).toBe(401);
      expect(await count(backend, 'job_runs')).toBe(1);
    });
  });

  describe('reports', () => {
    it('links a job to the entity its reports name, in full', async () => {
      const backend = await start();
      await postReport(
        backend.server,
        specReport({ entity_ref: 'component:price-service' }),
      ).expect(200);
      expect((await job(backend)).body.job.entityRef).toBe(
        'component:default/price-service',
      );
    });

    it.each([
      [
        { entity_ref: 'price-service' },
        'entity_ref must be an entity reference',
      ],
      [
        { status: 'start', finished_at: undefined, title: '' },
        'title must not be empty',
      ],
      [{ duration_ms: -1 }, 'duration_ms'],
      [{ exit_code: 1.5 }, 'exit_code'],
      [{ host: 'a\nb' }, 'host must not contain control characters'],
    ])('refuses %j with 400', async (overrides, expected) => {
      const backend = await start();
      const res = await postReport(backend.server, specReport(overrides));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(expected);
    });
  });
});

// better-sqlite3 answers synchronously: a long loop of queries must let
// requests in between, or reports wait for the whole loop to end.
describe('long tasks on SQLite', () => {
  /** Runs of a job, a minute apart, up to `until`. */
  const history = (jobKey: string, runs: number, until: Date) =>
    Array.from({ length: runs }, (_, i) => {
      const at = new Date(until.getTime() - i * MINUTE);
      return {
        id: randomUUID(),
        job_key: jobKey,
        title: 'old run',
        status: 'success',
        finished_at: at,
        received_at: at,
      };
    });

  /** Posts a report while `task` runs: it must be answered before the end. */
  async function reportDuring(backend: MonitorTestBackend, task: string) {
    let ended = false;
    const running = backend.scheduler.triggerTask(task).then(() => {
      ended = true;
    });
    const res = await postReport(
      backend.server,
      specReport({ job_key: 'reported-meanwhile' }),
    );
    const answeredBeforeTheEnd = !ended;
    await running;
    expect(res.status).toBe(200);
    expect(answeredBeforeTheEnd).toBe(true);
  }

  it('answers a report while it prunes a long history', async () => {
    const backend = await startMonitorBackend(databases, 'SQLITE_3', {
      monitor: { webhookSecret: TEST_SECRET, retention: { maxRunsPerJob: 5 } },
    });
    await postReport(backend.server, specReport()).expect(200);
    await backend.knex.batchInsert(
      'job_runs',
      history('daily-price-sync', 30_000, backend.clock.now()),
      400,
    );

    await reportDuring(backend, 'monitor-prune-history');

    expect(await count(backend, 'job_runs')).toBe(5 + 1);
  });

  it('answers a report while it checks many due jobs', async () => {
    const clock = new TestClock(new Date('2026-01-10T10:00:00Z'));
    const backend = await startMonitorBackend(
      databases,
      'SQLITE_3',
      { monitor: { webhookSecret: TEST_SECRET } },
      { clock },
    );
    const due = new Date('2026-01-10T09:00:00Z');
    await backend.knex.batchInsert(
      'jobs',
      Array.from({ length: 3000 }, (_, i) => ({
        job_key: `due-${i}`,
        title: 'due',
        created_at: due,
        health: 'ok',
        failing: false,
        health_since: due,
        recent_outcomes: '',
        next_check_at: due,
      })),
      400,
    );

    await reportDuring(backend, 'monitor-check-jobs');

    const [{ n }] = await backend
      .knex('jobs')
      .where('next_check_at', '<=', clock.now())
      .count({ n: '*' });
    expect(Number(n)).toBe(0);
  });
});
