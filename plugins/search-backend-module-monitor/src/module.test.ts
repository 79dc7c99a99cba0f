import {
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import permissionBackend from '@backstage/plugin-permission-backend';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import searchBackend from '@backstage/plugin-search-backend';
// The monitor the collator reads, run beside it as a portal runs it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import monitorBackend from '@tc-portal/plugin-monitor-backend';
import {
  JOB_REPORT_SECRET_HEADER,
  MONITOR_JOB_SEARCH_MESSAGE_LENGTH,
} from '@tc-portal/plugin-monitor-common';
import request from 'supertest';
import searchModuleMonitorCollator from '.';

jest.setTimeout(60_000);

const SECRET = 'search-test-secret';
const OUTSIDER = 'user:default/outsider';
const VIEWER = 'user:default/viewer';

if (
  process.env.CI &&
  !process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
) {
  throw new Error(
    'CI runs the backend tests on PostgreSQL too: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
  );
}
const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const priceService: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'price-service', namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/pricing' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/pricing' }],
};

describe.each(databases.eachSupportedId())('the job collator on %p', id => {
  async function start() {
    const scheduler = mockServices.scheduler();
    const backend = await startTestBackend({
      features: [
        monitorBackend,
        searchBackend,
        searchModuleMonitorCollator,
        permissionBackend,
        // Everyone but the outsider may read jobs.
        createBackendModule({
          pluginId: 'permission',
          moduleId: 'test-policy',
          register(reg) {
            reg.registerInit({
              deps: { policy: policyExtensionPoint },
              async init({ policy }) {
                policy.setPolicy({
                  async handle(req, user): Promise<PolicyDecision> {
                    return {
                      result:
                        req.permission.name === 'monitor.job.read' &&
                        user?.info.userEntityRef === OUTSIDER
                          ? AuthorizeResult.DENY
                          : AuthorizeResult.ALLOW,
                    };
                  },
                });
              },
            });
          },
        }),
        mockServices.database.factory({ knex: await databases.init(id) }),
        mockServices.rootConfig.factory({
          data: {
            monitor: {
              webhookSecret: SECRET,
              defaultOwner: 'group:default/operations',
              notifications: { enabled: false },
            },
            permission: { enabled: true },
          },
        }),
        catalogServiceMock.factory({ entities: [priceService] }),
        createServiceFactory({
          service: coreServices.scheduler,
          deps: {},
          factory: () => scheduler,
        }),
      ],
    });
    const report = (body: object) =>
      request(backend.server)
        .post('/api/monitor/job-report')
        .set('Content-Type', 'application/json')
        .set(JOB_REPORT_SECRET_HEADER, SECRET)
        .send(body)
        .expect(200);
    const search = async (user: string, term: string) => {
      const res = await request(backend.server)
        .get('/api/search/query')
        .query({ term, types: ['monitor-job'] })
        .set('Authorization', mockCredentials.user.header(user));
      expect(res.status).toBe(200);
      return res.body.results as Array<{ type: string; document: any }>;
    };
    const index = () => scheduler.triggerTask('search_index_monitor_job');
    return { backend, report, search, index };
  }

  it('indexes each job with its health, reason, owner, entity, message and page', async () => {
    const { backend, report, search, index } = await start();
    const longMessage = `価格フィードが空です。${'x'.repeat(400)}`;
    await report({
      job_key: 'daily-price-sync',
      title: '価格同期処理',
      status: 'error',
      finished_at: '2026-01-10T10:00:00Z',
      message: longMessage,
      entity_ref: 'component:default/price-service',
    });
    await report({
      job_key: 'nightly-cleanup',
      title: '夜間クリーンアップ',
      status: 'success',
      finished_at: '2026-01-10T10:00:00Z',
      message: '処理完了',
    });
    await index();

    // By key: Backstage's in-memory engine (Lunr) keeps no Japanese word;
    // the demo's engine does (packages/backend/src/searchEngine.ts).
    const [byKey] = await search(VIEWER, 'daily-price-sync');
    expect(byKey.type).toBe('monitor-job');
    expect(byKey.document).toEqual({
      title: '価格同期処理',
      text: expect.stringContaining('daily-price-sync'),
      location: '/monitor/jobs/daily-price-sync',
      jobKey: 'daily-price-sync',
      health: 'error',
      healthReason: expect.stringMatching(/.+/),
      owner: 'group:default/pricing',
      entityRef: 'component:default/price-service',
      message: expect.stringMatching(/^価格フィードが空です。x+…$/),
      // The search backend keeps a document's authorization to itself.
    });
    expect([...byKey.document.message]).toHaveLength(
      MONITOR_JOB_SEARCH_MESSAGE_LENGTH,
    );
    expect(byKey.document.text).toContain(byKey.document.healthReason);

    const unowned = await search(VIEWER, 'nightly-cleanup');
    expect(unowned.map(r => r.document)).toEqual([
      expect.objectContaining({
        title: '夜間クリーンアップ',
        jobKey: 'nightly-cleanup',
        health: 'ok',
        healthReason: 'the latest run succeeded',
        // Linked to no entity: the default owner's.
        owner: 'group:default/operations',
        entityRef: '',
        message: '処理完了',
      }),
    ]);
    await backend.stop();
  });

  it('shows jobs only to those allowed monitor.job.read', async () => {
    const { backend, report, search, index } = await start();
    await report({
      job_key: 'daily-price-sync',
      title: '価格同期処理',
      status: 'success',
      finished_at: '2026-01-10T10:00:00Z',
    });
    await index();
    expect(await search(VIEWER, 'daily-price-sync')).toHaveLength(1);
    expect(await search(OUTSIDER, 'daily-price-sync')).toEqual([]);
    await backend.stop();
  });
});
