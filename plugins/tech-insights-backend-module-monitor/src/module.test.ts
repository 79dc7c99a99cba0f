import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import techInsightsBackend from '@backstage-community/plugin-tech-insights-backend';
import techInsightsJsonRules from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
// The monitor the retriever reads, run beside it as a portal runs it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import monitorBackend from '@tc-portal/plugin-monitor-backend';
import { JOB_REPORT_SECRET_HEADER } from '@tc-portal/plugin-monitor-common';
import request from 'supertest';
import techInsightsModuleMonitorFacts, { MONITOR_FACT_RETRIEVER_ID } from '.';

jest.setTimeout(60_000);

const SECRET = 'tech-insights-test-secret';

if (
  process.env.CI &&
  !process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
) {
  throw new Error(
    'CI runs the backend tests on PostgreSQL too: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
  );
}
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/shop' },
});

/** The README's example checks. */
const CHECKS = {
  monitorHasJobs: {
    type: 'json-rules-engine',
    name: '監視されたジョブがある',
    description: 'At least one monitored job is linked to the entity',
    factIds: [MONITOR_FACT_RETRIEVER_ID],
    rule: {
      conditions: {
        all: [{ fact: 'hasMonitoredJobs', operator: 'equal', value: true }],
      },
    },
  },
  monitorNoLongFailure: {
    type: 'json-rules-engine',
    name: '1日を超えて失敗しているジョブがない',
    description: 'No job has been failing for over a day',
    factIds: [MONITOR_FACT_RETRIEVER_ID],
    rule: {
      conditions: {
        all: [{ fact: 'longestFailureHours', operator: 'lessThan', value: 24 }],
      },
    },
  },
  monitorSuccessRate: {
    type: 'json-rules-engine',
    name: '成功率 95% 以上',
    description: 'At least 95% of the runs of the last 30 days succeeded',
    factIds: [MONITOR_FACT_RETRIEVER_ID],
    rule: {
      conditions: {
        all: [
          {
            fact: 'successRate30Days',
            operator: 'greaterThanInclusive',
            value: 95,
          },
        ],
      },
    },
  },
};

describe.each(databases.eachSupportedId())('the monitor facts on %p', id => {
  async function start() {
    const scheduler = mockServices.scheduler();
    // Each plugin its own database, as in a portal.
    const knexes = new Map<string, Promise<unknown>>();
    const backend = await startTestBackend({
      features: [
        monitorBackend,
        techInsightsBackend,
        techInsightsJsonRules,
        techInsightsModuleMonitorFacts,
        createServiceFactory({
          service: coreServices.database,
          deps: { plugin: coreServices.pluginMetadata },
          factory: async ({ plugin }) => {
            const pluginId = plugin.getId();
            if (!knexes.has(pluginId)) {
              knexes.set(pluginId, databases.init(id));
            }
            const knex = await knexes.get(pluginId);
            return { getClient: async () => knex as never };
          },
        }),
        mockServices.rootConfig.factory({
          data: {
            monitor: {
              webhookSecret: SECRET,
              notifications: { enabled: false },
            },
            techInsights: {
              factRetrievers: {
                [MONITOR_FACT_RETRIEVER_ID]: { cadence: '0 * * * *' },
              },
              factChecker: { checks: CHECKS },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [component('shop'), component('quiet')],
        }),
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
      ],
    });
    const server = backend.server;
    const report = (body: object) =>
      request(server)
        .post('/api/monitor/job-report')
        .set('Content-Type', 'application/json')
        .set(JOB_REPORT_SECRET_HEADER, SECRET)
        .send(body)
        .expect(200);
    const facts = async (name: string) => {
      const res = await request(server)
        .get('/api/tech-insights/facts/latest')
        .query({
          entity: `component:default/${name}`,
          'ids[]': MONITOR_FACT_RETRIEVER_ID,
        })
        .expect(200);
      return res.body[MONITOR_FACT_RETRIEVER_ID]?.facts;
    };
    const checks = async (name: string) => {
      const res = await request(server)
        .post(`/api/tech-insights/checks/run/default/component/${name}`)
        .send({})
        .expect(200);
      return Object.fromEntries(
        (res.body as Array<{ check: { id: string }; result: boolean }>).map(
          r => [r.check.id, r.result],
        ),
      );
    };
    const retrieve = () => scheduler.triggerTask(MONITOR_FACT_RETRIEVER_ID);
    return { server, report, facts, checks, retrieve };
  }

  it('gives an entity with jobs and one without their facts, and the example checks judge them', async () => {
    const { server, report, facts, checks, retrieve } = await start();
    const day = 24 * 3_600_000;
    const finished = (ago: number) => new Date(Date.now() - ago).toISOString();
    for (const [job_key, status, ago] of [
      ['shop-export', 'success', 40 * day], // before the 30 days
      ['shop-export', 'success', 2 * day],
      ['shop-export', 'error', 60_000],
      ['shop-import', 'success', day],
    ] as const) {
      await report({
        job_key,
        title: 'ショップ',
        status,
        finished_at: finished(ago),
        entity_ref: 'component:default/shop',
      });
    }

    await retrieve();
    expect(await facts('shop')).toEqual({
      hasMonitoredJobs: true,
      monitoredJobs: 2,
      jobsNeedingAttention: 1,
      failingJobs: 1,
      longestFailureHours: 0,
      runs30Days: 3,
      successRate30Days: 66.7,
      acknowledgements30Days: 0,
      meanTimeToAcknowledgeMinutes: 0,
    });
    expect(await facts('quiet')).toEqual({
      hasMonitoredJobs: false,
      monitoredJobs: 0,
      jobsNeedingAttention: 0,
      failingJobs: 0,
      longestFailureHours: 0,
      runs30Days: 0,
      successRate30Days: 100,
      acknowledgements30Days: 0,
      meanTimeToAcknowledgeMinutes: 0,
    });
    expect(await checks('shop')).toEqual({
      monitorHasJobs: true,
      monitorNoLongFailure: true,
      monitorSuccessRate: false,
    });
    expect(await checks('quiet')).toMatchObject({ monitorHasJobs: false });

    // Acknowledged: the next retrieval counts it, and the job no longer
    // needs attention.
    await request(server)
      .post('/api/monitor/jobs/shop-export/acknowledgement')
      .send({ comment: '調査中' })
      .expect(200);
    await retrieve();
    expect(await facts('shop')).toMatchObject({
      jobsNeedingAttention: 0,
      failingJobs: 1,
      acknowledgements30Days: 1,
    });
  });
});
