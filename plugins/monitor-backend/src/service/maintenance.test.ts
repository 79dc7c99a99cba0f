import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  linkCatalog,
  monitorTestDatabases,
  notificationsSent,
  postReport,
  runCheck,
  specReport,
} from '../__testUtils__/testBackend';
import {
  ALICE,
  BOB,
  OPS,
  startOwnerPortal,
} from '../__testUtils__/ownerPortal';

jest.setTimeout(60_000);

const databases = monitorTestDatabases();

// Two jobs that run every 10 seconds (5 seconds' grace): `tick` has a
// maintenance window from 10:01 to 10:03, `tock` has none. Bob's service's
// jobs are in a window of their owner's all day. The ops group owns the
// jobs linked to no entity.
const WINDOWS = {
  defaultOwner: OPS,
  jobs: {
    tick: { schedule: { every: 'PT10S' }, grace: 'PT5S' },
    tock: { schedule: { every: 'PT10S' }, grace: 'PT5S' },
  },
  maintenance: [
    {
      jobKeys: ['tick'],
      start: '2026-01-10T10:01:00Z',
      end: '2026-01-10T10:03:00Z',
      reason: 'DB移行',
    },
    {
      owners: [BOB],
      cron: '0 0 * * *',
      timezone: 'Asia/Tokyo',
      duration: 'P1D',
      reason: 'Bob の作業日',
    },
  ],
};

describe.each(databases.eachSupportedId())(
  'maintenance windows on %p',
  (databaseId: TestDatabaseId) => {
    async function portal() {
      const started = await startOwnerPortal(databases, databaseId, WINDOWS);
      const at = (iso: string) => started.clock.set(`2026-01-10T${iso}Z`);
      const report = (jobKey: string, time: string, status = 'success') => {
        at(time);
        return postReport(
          started.server,
          specReport({
            job_key: jobKey,
            status,
            finished_at: `2026-01-10T${time}Z`,
          }),
        ).expect(200);
      };
      const check = async (time: string) => {
        at(time);
        await runCheck(started);
      };
      const job = async (jobKey: string) =>
        (await started.as(ALICE).get(`/jobs/${jobKey}`)).body.job;
      const attention = async () => {
        const list = await started.as(ALICE).get('/jobs?attention=true');
        const summary = await started.as(ALICE).get('/summary');
        return {
          jobKeys: list.body.items.map((j: { jobKey: string }) => j.jobKey),
          count: summary.body.attentionCount,
          totalCount: list.body.totalCount,
        };
      };
      const told = async () => {
        await notificationsSent(started);
        return started.notifications.map(n => [
          n.payload.link?.split('/').at(-1),
          n.payload.title,
        ]);
      };
      return { ...started, report, check, job, attention, told };
    }

    it('keeps an every-10-seconds job in its window from being missed or counted, and expects it from the end', async () => {
      const p = await portal();
      await p.report('tick', '10:00:58');
      await p.report('tock', '10:00:58');

      // Within the window: tick is in maintenance and not missed; tock,
      // outside it, is missed within a minute and told.
      await p.check('10:01:20');
      expect(await p.job('tick')).toMatchObject({
        health: 'ok',
        maintenance: { until: '2026-01-10T10:03:00.000Z', reason: 'DB移行' },
        nextExpectedAt: '2026-01-10T10:03:10.000Z',
      });
      expect((await p.job('tock')).health).toBe('missed');

      // A failure within the window is stored and shown, told to nobody and
      // not counted.
      await p.report('tick', '10:01:30', 'error');
      expect((await p.job('tick')).health).toBe('error');
      expect(await p.attention()).toEqual({
        jobKeys: ['tock'],
        count: 1,
        totalCount: 1,
      });
      await p.report('tick', '10:02:40');

      // The window ends: tick is not missed the minute it closes, but is
      // expected 10 seconds after its end.
      await p.check('10:03:05');
      expect(await p.job('tick')).toMatchObject({
        health: 'ok',
        maintenance: null,
        nextExpectedAt: '2026-01-10T10:03:10.000Z',
      });
      await p.check('10:03:16');
      expect((await p.job('tick')).health).toBe('missed');
      expect(await p.attention()).toEqual({
        jobKeys: ['tick', 'tock'],
        count: 2,
        totalCount: 2,
      });
      // Told: tock's miss, and tick's miss after the window; nothing of
      // what happened to tick within it.
      const told = await p.told();
      expect(
        told
          .filter(([, title]) => title?.startsWith('【障害】'))
          .map(([jobKey]) => jobKey),
      ).toEqual(['tock', 'tick']);
      expect(told.filter(([jobKey]) => jobKey === 'tick')).toHaveLength(1);
    });

    it("covers the jobs of an owner's entities, as the catalog says", async () => {
      const p = await portal();
      await postReport(
        p.server,
        specReport({
          job_key: 'bob-sync',
          status: 'error',
          entity_ref: 'component:default/bob-service',
        }),
      ).expect(200);
      // Until the catalog is read, Bob's window names no job.
      expect((await p.job('bob-sync')).maintenance).toBeNull();
      await linkCatalog(p);
      await runCheck(p);
      expect((await p.job('bob-sync')).maintenance).toEqual({
        until: '2026-01-10T15:00:00.000Z',
        reason: 'Bob の作業日',
      });
      expect((await p.attention()).jobKeys).not.toContain('bob-sync');
    });

    it('lets people who may mute a job add and end its own windows, audited', async () => {
      const p = await portal();
      await p.report('tick', '10:00:00');
      const add = (user: string, body: object) =>
        p.as(user).post('/jobs/tick/maintenance', body);

      // Only the ops group owns tick.
      const refused = await add(BOB, {
        end: '2026-01-10T12:00:00Z',
        reason: 'x',
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toContain('monitor.job.mute');

      // Bad windows are refused, naming the problem, and store nothing.
      const backwards = await p.as(ALICE).post('/jobs/price-sync/maintenance', {
        start: '2026-01-10T12:00:00Z',
        end: '2026-01-10T11:00:00Z',
        reason: 'x',
      });
      expect(backwards.status).toBe(400);
      expect(backwards.body.error.message).toContain('end');

      await postReport(
        p.server,
        specReport({
          job_key: 'price-sync',
          entity_ref: 'component:default/price-service',
          finished_at: '2026-01-10T10:00:00Z',
        }),
      ).expect(200);
      const past = await p.as(ALICE).post('/jobs/price-sync/maintenance', {
        end: '2026-01-10T09:00:00Z',
        reason: 'x',
      });
      expect(past.status).toBe(400);
      expect(past.body.error.message).toContain('future');

      const now = await p.as(ALICE).post('/jobs/price-sync/maintenance', {
        end: '2026-01-10T11:00:00Z',
        reason: '切り替え',
      });
      expect(now.status).toBe(200);
      expect(now.body.job.maintenance).toEqual({
        until: '2026-01-10T11:00:00.000Z',
        reason: '切り替え',
      });
      const later = await p.as(ALICE).post('/jobs/price-sync/maintenance', {
        start: '2026-01-11T01:00:00+09:00',
        end: '2026-01-11T03:00:00+09:00',
        reason: '夜間作業',
      });
      const windows = later.body.job.maintenanceWindows;
      expect(windows.map((w: any) => [w.start, w.end, w.reason, w.by])).toEqual(
        [
          [
            '2026-01-10T10:00:00.000Z',
            '2026-01-10T11:00:00.000Z',
            '切り替え',
            ALICE,
          ],
          [
            '2026-01-10T16:00:00.000Z',
            '2026-01-10T18:00:00.000Z',
            '夜間作業',
            ALICE,
          ],
        ],
      );

      // Ending the one under way ends the maintenance now; ending the later
      // one drops it; an unknown one is 404.
      p.clock.set('2026-01-10T10:30:00Z');
      const ended = await p
        .as(ALICE)
        .delete(`/jobs/price-sync/maintenance/${windows[0].id}`);
      expect(ended.status).toBe(200);
      expect(ended.body.job.maintenance).toBeNull();
      expect(ended.body.job.maintenanceWindows).toHaveLength(1);
      await p
        .as(ALICE)
        .delete(`/jobs/price-sync/maintenance/${windows[1].id}`)
        .expect(200);
      const unknown = await p
        .as(ALICE)
        .delete(`/jobs/price-sync/maintenance/${windows[1].id}`);
      expect(unknown.status).toBe(404);

      const { body } = await p.as(ALICE).get('/jobs/price-sync');
      expect(body.job.maintenanceWindows).toEqual([]);
      expect(
        body.attentionChanges.map((c: any) => [c.kind, c.by, c.note]),
      ).toEqual([
        ['maintenance-ended', ALICE, '夜間作業'],
        ['maintenance-ended', ALICE, '切り替え'],
        ['maintenance-added', ALICE, '夜間作業'],
        ['maintenance-added', ALICE, '切り替え'],
      ]);
      expect(
        p.audit
          .filter(e => e.eventId.startsWith('job-maintenance'))
          .map(e => [e.eventId, e.status, e.meta.actor]),
      ).toEqual([
        ['job-maintenance-add', 'failed', BOB],
        ['job-maintenance-add', 'failed', ALICE],
        ['job-maintenance-add', 'succeeded', ALICE],
        ['job-maintenance-add', 'succeeded', ALICE],
        ['job-maintenance-end', 'succeeded', ALICE],
        ['job-maintenance-end', 'succeeded', ALICE],
        ['job-maintenance-end', 'failed', ALICE],
      ]);
    });
  },
);
