import {
  AuditorServiceCreateEventOptions,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionBackend from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { MONITOR_JOB_RESOURCE_TYPE } from '@tc-portal/plugin-monitor-common';
import request from 'supertest';
import {
  monitorTestDatabases,
  permissionPolicy,
  postReport,
  specReport,
  startMonitorBackend,
  TEST_SECRET,
  TestClock,
} from '../__testUtils__/testBackend';
import {
  createMonitorJobConditionalDecision,
  monitorJobConditions,
} from '../permissions/rules';

jest.setTimeout(60_000);

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const OUTSIDER = 'user:default/outsider';
const TEAM = 'group:default/big-team';

function component(name: string, owner: string, jobKeys?: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      ...(jobKeys && {
        annotations: { 'tc-portal.io/monitor-job-keys': jobKeys },
      }),
    },
    spec: { type: 'service', owner, lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

type AuditRecord = {
  eventId: string;
  severityLevel?: string;
  meta: Record<string, unknown>;
  status: 'succeeded' | 'failed';
  error?: string;
};

const databases = monitorTestDatabases();

/**
 * A portal whose policy lets a user act only on the jobs of entities they
 * own, and lets everyone but the outsider see jobs; its catalog holds
 * Alice's price service and 150 components of a big team.
 */
async function startPortal(
  databaseId: Parameters<typeof startMonitorBackend>[1],
) {
  const audit: AuditRecord[] = [];
  const backend = await startMonitorBackend(
    databases,
    databaseId,
    { monitor: { webhookSecret: TEST_SECRET }, permission: { enabled: true } },
    {
      clock: new TestClock(new Date('2026-01-10T10:00:00Z')),
      features: [
        permissionBackend,
        permissionPolicy(async (req, user) => {
          if (isResourcePermission(req.permission, MONITOR_JOB_RESOURCE_TYPE)) {
            return createMonitorJobConditionalDecision(
              req.permission,
              monitorJobConditions.isJobOwner({
                claims: user?.info.ownershipEntityRefs ?? [],
              }),
            );
          }
          return {
            result:
              user?.info.userEntityRef === OUTSIDER
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          };
        }),
        catalogServiceMock.factory({
          entities: [
            component('price-service', ALICE, 'legacy-export'),
            component('bob-service', BOB),
            ...Array.from({ length: 150 }, (_, i) =>
              component(`team-service-${i}`, TEAM),
            ),
          ],
        }),
        // As the real auth service does, a plugin calling another on behalf
        // of a user says so (the permission backend's conditional decisions
        // need it); the mock's tokens leave it out.
        createServiceFactory({
          service: coreServices.auth,
          deps: { plugin: coreServices.pluginMetadata },
          factory: ({ plugin }) => {
            const auth = mockServices.auth({ pluginId: plugin.getId() });
            const issue = auth.getPluginRequestToken.bind(auth);
            auth.getPluginRequestToken = async options => {
              const { onBehalfOf } = options;
              return auth.isPrincipal(onBehalfOf, 'user')
                ? {
                    token: mockCredentials.user.token(
                      onBehalfOf.principal.userEntityRef,
                      { actor: { subject: `plugin:${plugin.getId()}` } },
                    ),
                  }
                : issue(options);
            };
            return auth;
          },
        }),
        createServiceFactory({
          service: coreServices.auditor,
          deps: {},
          factory: () => ({
            async createEvent(options: AuditorServiceCreateEventOptions) {
              const base = {
                eventId: options.eventId,
                severityLevel: options.severityLevel,
                meta: { ...options.meta },
              };
              return {
                async success() {
                  audit.push({ ...base, status: 'succeeded' });
                },
                async fail({ error }: { error: Error }) {
                  audit.push({
                    ...base,
                    status: 'failed',
                    error: error.message,
                  });
                },
              };
            },
          }),
        }),
      ],
    },
  );
  const as = (user: string) => ({
    get: (path: string) =>
      request(backend.server)
        .get(`/api/monitor${path}`)
        .set('Authorization', mockCredentials.user.header(user)),
    post: (path: string, body?: object) =>
      request(backend.server)
        .post(`/api/monitor${path}`)
        .set('Authorization', mockCredentials.user.header(user))
        .send(body),
    delete: (path: string) =>
      request(backend.server)
        .delete(`/api/monitor${path}`)
        .set('Authorization', mockCredentials.user.header(user)),
  });
  return { ...backend, audit, as };
}

describe.each(databases.eachSupportedId())('operations on %p', databaseId => {
  async function portalWithJobs() {
    const portal = await startPortal(databaseId);
    await postReport(
      portal.server,
      specReport({
        job_key: 'price-sync',
        status: 'error',
        message: 'Traceback: KeyError: price',
        entity_ref: 'component:default/price-service',
        schedule: { cron: '0 2 * * *', timezone: 'Asia/Tokyo' },
      }),
    ).expect(200);
    await postReport(
      portal.server,
      specReport({
        job_key: 'bob-sync',
        status: 'error',
        entity_ref: 'component:default/bob-service',
      }),
    ).expect(200);
    await postReport(
      portal.server,
      specReport({ job_key: 'fine', status: 'success' }),
    ).expect(200);
    return portal;
  }

  describe('permissions by owner', () => {
    it('lets the owner of a job act on it, and refuses others', async () => {
      const { as } = await portalWithJobs();
      const ack = (user: string, jobKey: string) =>
        as(user).post(`/jobs/${jobKey}/acknowledgement`, {
          comment: 'looking',
        });

      const refused = await ack(BOB, 'price-sync');
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('monitor.job.acknowledge');
      expect(
        (await as(BOB).get('/jobs/price-sync')).body.job.acknowledgement,
      ).toBeNull();

      expect((await ack(ALICE, 'price-sync')).status).toBe(200);
      expect((await ack(BOB, 'bob-sync')).status).toBe(200);
      // A job linked to no entity has no owner to match.
      expect(
        (
          await as(ALICE).post('/jobs/fine/mute', {
            until: '2026-01-11T00:00:00Z',
            reason: 'x',
          })
        ).status,
      ).toBe(403);
      expect((await as(BOB).delete('/jobs/price-sync')).status).toBe(403);
      expect((await as(ALICE).delete('/jobs/price-sync')).status).toBe(204);
    });

    it('shows nothing to a user the policy does not let read', async () => {
      const { as } = await portalWithJobs();
      expect((await as(OUTSIDER).get('/jobs')).status).toBe(403);
      expect((await as(ALICE).get('/jobs')).body.totalCount).toBe(3);
    });
  });

  describe('the owner filter', () => {
    it("lists every job of an owner's entities, beyond a hundred, and by annotation", async () => {
      const { server, as } = await portalWithJobs();
      for (let i = 0; i < 150; i++) {
        await postReport(
          server,
          specReport({
            job_key: `team-job-${i}`,
            entity_ref: `component:default/team-service-${i}`,
          }),
        ).expect(200);
      }
      await postReport(server, specReport({ job_key: 'legacy-export' })).expect(
        200,
      );

      const team = await as(ALICE).get(
        `/jobs?owner=${encodeURIComponent(TEAM)}&limit=500`,
      );
      expect(team.status).toBe(200);
      expect(team.body.totalCount).toBe(150);
      expect(new Set(team.body.items.map((j: any) => j.jobKey))).toEqual(
        new Set(Array.from({ length: 150 }, (_, i) => `team-job-${i}`)),
      );

      const alice = await as(ALICE).get(`/jobs?owner=${ALICE}`);
      expect(alice.body.items.map((j: any) => j.jobKey).sort()).toEqual([
        'legacy-export',
        'price-sync',
      ]);

      const mixed = await as(ALICE).get(`/jobs?owner=${ALICE}&jobKey=fine`);
      expect(mixed.status).toBe(400);
      expect(mixed.body.error.message).toContain('owner');
    });
  });

  describe('the audit trail and the history of attention', () => {
    it('records who acknowledged, muted and took it back, refusals too', async () => {
      const { as, audit } = await portalWithJobs();
      await as(ALICE)
        .post('/jobs/price-sync/acknowledgement', { comment: 'on it' })
        .expect(200);
      await as(ALICE).delete('/jobs/price-sync/acknowledgement').expect(200);
      await as(ALICE)
        .post('/jobs/price-sync/mute', {
          until: '2026-01-11T00:00:00Z',
          reason: 'migration',
        })
        .expect(200);
      await as(ALICE).delete('/jobs/price-sync/mute').expect(200);
      await as(BOB).delete('/jobs/price-sync/mute').expect(403);

      const { body } = await as(BOB).get('/jobs/price-sync');
      expect(
        body.attentionChanges.map((c: any) => [c.kind, c.by, c.note, c.until]),
      ).toEqual([
        ['unmuted', ALICE, null, null],
        ['muted', ALICE, 'migration', '2026-01-11T00:00:00.000Z'],
        ['unacknowledged', ALICE, null, null],
        ['acknowledged', ALICE, 'on it', null],
      ]);

      expect(
        audit
          .filter(e => e.eventId !== 'job-report-refused')
          .map(e => [e.eventId, e.status, e.meta.actor, e.meta.jobKey]),
      ).toEqual([
        ['job-acknowledge', 'succeeded', ALICE, 'price-sync'],
        ['job-unacknowledge', 'succeeded', ALICE, 'price-sync'],
        ['job-mute', 'succeeded', ALICE, 'price-sync'],
        ['job-unmute', 'succeeded', ALICE, 'price-sync'],
        ['job-unmute', 'failed', BOB, 'price-sync'],
      ]);
      expect(audit[0].meta.comment).toBe('on it');
      expect(audit[2].meta).toMatchObject({
        until: '2026-01-11T00:00:00.000Z',
        reason: 'migration',
      });
      expect(audit[4].error).toContain('monitor.job.mute');
    });

    it('records a refused report with where it came from, never the secret', async () => {
      const { server, audit } = await portalWithJobs();
      await postReport(server, specReport(), 'not-the-secret').expect(401);
      await postReport(server, specReport({ status: 'nope' })).expect(400);

      const refused = audit.filter(e => e.eventId === 'job-report-refused');
      expect(refused.map(e => [e.severityLevel, e.meta.reason])).toEqual([
        ['medium', 'secret'],
        ['low', 'invalid'],
      ]);
      expect(refused[0].meta.sourceAddress).toMatch(/127\.0\.0\.1|::1/);
      expect(refused[1].meta.jobKey).toBe('daily-price-sync');
      expect(JSON.stringify(audit)).not.toContain('not-the-secret');
      expect(JSON.stringify(audit)).not.toContain(TEST_SECRET);
    });
  });

  describe('the actions', () => {
    const actions = '/.backstage/actions/v1/actions';

    it('lists the actions, with their attributes', async () => {
      const { as } = await portalWithJobs();
      const { body } = await as(ALICE).get(actions).expect(200);
      expect(
        Object.fromEntries(body.actions.map((a: any) => [a.id, a.attributes])),
      ).toEqual({
        'monitor:list-jobs': {
          readOnly: true,
          idempotent: true,
          destructive: false,
        },
        'monitor:get-job': {
          readOnly: true,
          idempotent: true,
          destructive: false,
        },
        'monitor:acknowledge-job': {
          readOnly: false,
          idempotent: true,
          destructive: false,
        },
        'monitor:mute-job': {
          readOnly: false,
          idempotent: true,
          destructive: false,
        },
      });
      // Who may not read jobs sees only the actions that do not read.
      const outsider = await as(OUTSIDER).get(actions).expect(200);
      expect(outsider.body.actions.map((a: any) => a.id).sort()).toEqual([
        'monitor:acknowledge-job',
        'monitor:mute-job',
      ]);
    });

    it('answers which jobs are failing and why, and what one did last', async () => {
      const { as } = await portalWithJobs();
      const failing = await as(BOB)
        .post(`${actions}/monitor:list-jobs/invoke`, { failing: true })
        .expect(200);
      expect(failing.body.output.totalCount).toBe(2);
      expect(
        failing.body.output.jobs.map((j: any) => [j.jobKey, j.health, j.why]),
      ).toEqual(
        expect.arrayContaining([
          ['price-sync', 'error', 'the latest run failed'],
          ['bob-sync', 'error', 'the latest run failed'],
        ]),
      );

      const owned = await as(BOB)
        .post(`${actions}/monitor:list-jobs/invoke`, { owner: ALICE })
        .expect(200);
      expect(owned.body.output.jobs.map((j: any) => j.jobKey)).toEqual([
        'price-sync',
      ]);

      const job = await as(BOB)
        .post(`${actions}/monitor:get-job/invoke`, { jobKey: 'price-sync' })
        .expect(200);
      expect(job.body.output).toMatchObject({
        job: { jobKey: 'price-sync', health: 'error', failing: true },
        schedule: { cron: '0 2 * * *', timezone: 'Asia/Tokyo' },
        nextExpectedAt: expect.any(String),
        recentRuns: [
          { status: 'error', message: 'Traceback: KeyError: price' },
        ],
      });

      const outsider = await as(OUTSIDER).post(
        `${actions}/monitor:list-jobs/invoke`,
        { failing: true },
      );
      expect(outsider.status).toBe(404);
    });

    it('acknowledges and mutes for the owner alone', async () => {
      const { as, audit } = await portalWithJobs();
      const refused = await as(BOB).post(
        `${actions}/monitor:acknowledge-job/invoke`,
        { jobKey: 'price-sync', comment: 'not mine' },
      );
      expect(refused.status).toBe(403);

      const acknowledged = await as(ALICE)
        .post(`${actions}/monitor:acknowledge-job/invoke`, {
          jobKey: 'price-sync',
          comment: 'known: the supplier feed is down',
        })
        .expect(200);
      expect(acknowledged.body.output.acknowledgement).toMatchObject({
        by: ALICE,
        comment: 'known: the supplier feed is down',
      });

      const muted = await as(BOB)
        .post(`${actions}/monitor:mute-job/invoke`, {
          jobKey: 'bob-sync',
          until: '2026-01-12T00:00:00+09:00',
          reason: 'maintenance',
        })
        .expect(200);
      expect(muted.body.output.mute).toMatchObject({
        by: BOB,
        until: '2026-01-11T15:00:00.000Z',
      });
      const summary = await as(ALICE).get('/summary').expect(200);
      expect(summary.body.attentionCount).toBe(0);
      expect(audit.map(e => [e.eventId, e.status, e.meta.actor])).toEqual([
        ['job-acknowledge', 'failed', BOB],
        ['job-acknowledge', 'succeeded', ALICE],
        ['job-mute', 'succeeded', BOB],
      ]);
    });
  });
});
