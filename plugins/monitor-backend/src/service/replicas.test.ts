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
        checkFrequency: { seconds: 2 },
        notifications: { defaultRecipient: 'group:default/operations' },
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

    // The job goes missed while both replicas keep checking.
    clock.advance(30 * 60 * 1000);
    const started = Date.now();
    await sleep(9_000);
    const elapsed = Date.now() - started;

    const checks = runs.filter(r => r.task === 'monitor-check-jobs');
    // Each tick ran on one replica only: runs are a tick apart, and there
    // are no more of them than ticks.
    expect(checks.length).toBeGreaterThanOrEqual(2);
    expect(checks.length).toBeLessThanOrEqual(Math.ceil(elapsed / 2000) + 1);
    const gaps = checks.slice(1).map((r, i) => r.at - checks[i].at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1500);

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
