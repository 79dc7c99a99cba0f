import {
  coreServices,
  createServiceFactory,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
} from '@backstage/backend-plugin-api';
import { metricsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { TestDatabases } from '@backstage/backend-test-utils';
import knexFactory from 'knex';
import request from 'supertest';
import {
  postReport,
  recorders,
  specReport,
  startMonitorBackend,
  TEST_SECRET,
  TestClock,
  notificationsSent,
} from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

// Replicas share PostgreSQL; that is what this is about.
const databases = TestDatabases.create({ ids: ['POSTGRES_15'] });

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Backstage's own scheduler, which coordinates global tasks through the
 * database, with each run of a task written down as it starts.
 */
function recordingScheduler(
  runs: Array<{ task: string; replica: string; at: number }>,
  replica: string,
) {
  return createServiceFactory({
    service: coreServices.scheduler,
    deps: {
      database: coreServices.database,
      logger: coreServices.logger,
      metrics: metricsServiceRef,
      rootLifecycle: coreServices.rootLifecycle,
      httpRouter: coreServices.httpRouter,
      pluginMetadata: coreServices.pluginMetadata,
    },
    factory: (deps): SchedulerService => {
      const scheduler = DefaultSchedulerService.create(deps);
      function recorded<T extends SchedulerServiceTaskInvocationDefinition>(
        task: T,
      ): T {
        return {
          ...task,
          fn: async (signal: AbortSignal) => {
            runs.push({ task: task.id, replica, at: Date.now() });
            await task.fn(signal);
          },
        };
      }
      return {
        triggerTask: id => scheduler.triggerTask(id),
        cancelTask: id => scheduler.cancelTask(id),
        getScheduledTasks: () => scheduler.getScheduledTasks(),
        scheduleTask: task => scheduler.scheduleTask(recorded(task)),
        createScheduledTaskRunner: schedule => ({
          run: task =>
            scheduler.createScheduledTaskRunner(schedule).run(recorded(task)),
        }),
      };
    },
  });
}

describe('two backend replicas on one PostgreSQL', () => {
  it('take reports on both, run the scheduled check once per tick, and notify each change once', async () => {
    const knex = await databases.init('POSTGRES_15');
    const otherKnex = knexFactory(knex.client.config);
    const clock = new TestClock(new Date('2026-01-10T10:00:00Z'));
    const runs: Array<{ task: string; replica: string; at: number }> = [];
    const { notifications, features } = recorders();
    const config = {
      monitor: {
        webhookSecret: TEST_SECRET,
        checkFrequency: { seconds: 1 },
        defaultOwner: 'group:default/operations',
      },
    };
    const [a, b] = [
      await startMonitorBackend(databases, 'POSTGRES_15', config, {
        knex,
        clock,
        features,
        scheduler: recordingScheduler(runs, 'a'),
      }),
      await startMonitorBackend(databases, 'POSTGRES_15', config, {
        knex: otherKnex,
        clock,
        features,
        scheduler: recordingScheduler(runs, 'b'),
      }),
    ];

    // A report to each replica: both land in the one database.
    await postReport(
      a.server,
      specReport({
        job_key: 'replicated',
        finished_at: '2026-01-10T10:00:00Z',
        schedule: { every: 'PT10M', grace: 'PT5M' },
      }),
    ).expect(200);
    await postReport(
      b.server,
      specReport({ job_key: 'other', finished_at: '2026-01-10T10:00:00Z' }),
    ).expect(200);
    const { body: list } = await request(b.server)
      .get('/api/monitor/jobs')
      .expect(200);
    expect(list.items.map((j: any) => j.jobKey).sort()).toEqual([
      'other',
      'replicated',
    ]);

    // Each replica serves, from memory, the counts of what the other wrote
    // (it learns the other's data version), and its conditional answers
    // follow them.
    const summaryOf = async (replica: typeof a, etag?: string) => {
      const req = request(replica.server).get('/api/monitor/summary');
      return etag ? req.set('If-None-Match', etag) : req;
    };
    const before = await summaryOf(a);
    expect(before.body.totalCount).toBe(2);
    await postReport(
      b.server,
      specReport({
        job_key: 'third',
        status: 'error',
        finished_at: '2026-01-10T10:00:00Z',
      }),
    ).expect(200);
    const deadline = Date.now() + 5_000;
    let seen = await summaryOf(a, before.headers.etag);
    while (seen.status === 304 && Date.now() < deadline) {
      await sleep(50);
      seen = await summaryOf(a, before.headers.etag);
    }
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ totalCount: 3, attentionCount: 1 });

    // The job goes missed while both replicas keep checking.
    clock.advance(30 * 60 * 1000);
    const started = Date.now();
    await sleep(4_500);
    const elapsed = Date.now() - started;

    const checks = runs.filter(r => r.task === 'monitor-check-jobs');
    // Each tick ran on one replica only: runs are a tick apart, and the
    // window watched holds no more of them than ticks (the runs before it,
    // while the replicas started and took reports, are not counted in it).
    const watched = checks.filter(r => r.at >= started);
    expect(watched.length).toBeGreaterThanOrEqual(2);
    expect(watched.length).toBeLessThanOrEqual(Math.ceil(elapsed / 1000) + 1);
    const gaps = checks.slice(1).map((r, i) => r.at - checks[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(750);

    const { body } = await request(a.server)
      .get('/api/monitor/jobs/replicated')
      .expect(200);
    expect(body.job.health).toBe('missed');
    expect(
      body.healthChanges.filter((c: any) => c.to === 'missed'),
    ).toHaveLength(1);
    await notificationsSent(a);
    expect(
      notifications.filter(n => n.payload.scope === 'monitor:job:replicated'),
    ).toEqual([
      expect.objectContaining({
        payload: expect.objectContaining({ severity: 'high' }),
      }),
    ]);

    await a.stop();
    await b.stop();
    await otherKnex.destroy();
  });
});
