/*
 * A portal that runs the owner policy the README recommends: a user acts
 * only on the jobs they own (isJobOwner with their ownership claims), and
 * everyone but the outsider reads jobs. Its catalog holds Alice's price
 * service (whose annotation names the job legacy-export), Bob's service
 * and 150 components of a big team; Carol is a member of the ops group.
 */
import {
  AuditorServiceCreateEventOptions,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionBackend from '@backstage/plugin-permission-backend';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { MONITOR_JOB_RESOURCE_TYPE } from '@tc-portal/plugin-monitor-common';
import request from 'supertest';
import {
  createMonitorJobConditionalDecision,
  monitorJobConditions,
} from '../permissions/rules';
import {
  permissionPolicy,
  recorders,
  startMonitorBackend,
  TEST_SECRET,
  TestClock,
} from './testBackend';

export const ALICE = 'user:default/alice';
export const BOB = 'user:default/bob';
export const CAROL = 'user:default/carol';
export const OUTSIDER = 'user:default/outsider';
export const TEAM = 'group:default/big-team';
export const OPS = 'group:default/ops';

/** The groups each user is a member of. */
const MEMBERSHIPS: Record<string, string[]> = { [CAROL]: [OPS] };

export function component(
  name: string,
  owner: string,
  jobKeys?: string,
): Entity {
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

export type AuditRecord = {
  eventId: string;
  severityLevel?: string;
  meta: Record<string, unknown>;
  status: 'succeeded' | 'failed';
  error?: string;
};

/** Starts the portal, with `monitor` config merged into its own. */
export async function startOwnerPortal(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
  monitor: JsonObject = {},
  /** More entities for its catalog. */
  entities: Entity[] = [],
) {
  const audit: AuditRecord[] = [];
  const recorded = recorders();
  const backend = await startMonitorBackend(
    databases,
    databaseId,
    {
      monitor: { webhookSecret: TEST_SECRET, ...monitor },
      permission: { enabled: true },
    },
    {
      clock: new TestClock(new Date('2026-01-10T10:00:00Z')),
      features: [
        ...recorded.features,
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
        // A user's ownership claims: themselves and their groups, as the
        // catalog's sign-in resolvers give them.
        createServiceFactory({
          service: coreServices.userInfo,
          deps: {},
          factory: () => ({
            async getUserInfo(credentials) {
              const user = (credentials.principal as { userEntityRef: string })
                .userEntityRef;
              return {
                userEntityRef: user,
                ownershipEntityRefs: [user, ...(MEMBERSHIPS[user] ?? [])],
              };
            },
          }),
        }),
        catalogServiceMock.factory({
          entities: [
            component('price-service', ALICE, 'legacy-export'),
            component('bob-service', BOB),
            ...Array.from({ length: 150 }, (_, i) =>
              component(`team-service-${i}`, TEAM),
            ),
            ...entities,
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
  return { ...backend, audit, as, ...recorded };
}
