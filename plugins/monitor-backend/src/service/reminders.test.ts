import { TestDatabaseId } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  monitorTestDatabases,
  notificationsSent,
  postReport,
  runCheck,
  specReport,
} from '../__testUtils__/testBackend';
import { CAROL, OPS, startOwnerPortal } from '../__testUtils__/ownerPortal';

jest.setTimeout(60_000);

const databases = monitorTestDatabases();
const MINUTE = 60_000;
const ENGINEERING = 'group:default/engineering';

// The ops group, which owns the jobs linked to no entity, is a child of
// engineering.
const GROUPS: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'ops', namespace: 'default' },
    spec: { type: 'team', children: [], parent: 'engineering' },
    relations: [{ type: 'childOf', targetRef: ENGINEERING }],
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'engineering', namespace: 'default' },
    spec: { type: 'department', children: ['ops'] },
    relations: [{ type: 'parentOf', targetRef: OPS }],
  },
];

describe.each(databases.eachSupportedId())(
  'reminders and escalation on %p',
  (databaseId: TestDatabaseId) => {
    it('reminds the owner while a job needs attention, escalates to its parent group once, and stops at an acknowledgement', async () => {
      const portal = await startOwnerPortal(
        databases,
        databaseId,
        {
          defaultOwner: OPS,
          notifications: {
            remindEvery: 'PT10M',
            escalateAfter: 'PT25M',
            escalateTo: 'parent',
          },
        },
        GROUPS,
      );
      const told = async () => {
        await notificationsSent(portal);
        return portal.notifications.map(n => [
          n.payload.title.replace(/】.*/, '】'),
          (n.recipients as { entityRef: string[] }).entityRef,
          n.payload.topic,
        ]);
      };
      const after = async (minutes: number) => {
        portal.clock.advance(minutes * MINUTE);
        await runCheck(portal);
        return told();
      };

      await postReport(
        portal.server,
        specReport({
          job_key: 'nightly-export',
          status: 'error',
          finished_at: portal.clock.now().toISOString(),
        }),
      ).expect(200);
      expect(await told()).toEqual([['【障害】', [OPS], 'nightly-export']]);

      expect(await after(9)).toHaveLength(1);
      expect((await after(1)).at(-1)).toEqual([
        '【未対応】',
        [OPS],
        'nightly-export',
      ]);
      await after(10);
      expect((await after(5)).slice(2)).toEqual([
        ['【未対応】', [OPS], 'nightly-export'],
        ['【エスカレーション】', [ENGINEERING], 'nightly-export'],
      ]);

      // Carol, of ops, acknowledges it: nobody is reminded any more.
      await portal
        .as(CAROL)
        .post('/jobs/nightly-export/acknowledgement', { comment: '対応中' })
        .expect(200);
      expect(await after(30)).toHaveLength(4);

      // The reminder and the escalation went through the outbox, each sent
      // once.
      const notices = await portal
        .knex('job_notices')
        .orderBy('id')
        .select('kind', 'delivery');
      expect(notices).toEqual([
        { kind: 'failure', delivery: 'sent' },
        { kind: 'reminder', delivery: 'sent' },
        { kind: 'reminder', delivery: 'sent' },
        { kind: 'escalation', delivery: 'sent' },
      ]);
    });
  },
);
