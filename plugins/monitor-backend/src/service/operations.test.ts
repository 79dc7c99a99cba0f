import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  linkCatalog,
  monitorTestDatabases,
  postReport,
  specReport,
  TEST_SECRET,
} from '../__testUtils__/testBackend';
import {
  ALICE,
  BOB,
  OUTSIDER,
  startOwnerPortal,
  TEAM,
} from '../__testUtils__/ownerPortal';

jest.setTimeout(60_000);

const databases = monitorTestDatabases();

const startPortal = (databaseId: TestDatabaseId) =>
  startOwnerPortal(databases, databaseId);

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
      const portal = await portalWithJobs();
      const { server, as } = portal;
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
      await linkCatalog(portal);

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
        'monitor:add-job-maintenance-window': {
          readOnly: false,
          idempotent: false,
          destructive: false,
        },
        'monitor:end-job-maintenance-window': {
          readOnly: false,
          idempotent: false,
          destructive: false,
        },
      });
      // Who may not read jobs sees only the actions that do not read.
      const outsider = await as(OUTSIDER).get(actions).expect(200);
      expect(outsider.body.actions.map((a: any) => a.id).sort()).toEqual([
        'monitor:acknowledge-job',
        'monitor:add-job-maintenance-window',
        'monitor:end-job-maintenance-window',
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

    it('acknowledges, mutes and plans maintenance for the owner alone', async () => {
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

      const planned = await as(BOB)
        .post(`${actions}/monitor:add-job-maintenance-window/invoke`, {
          jobKey: 'bob-sync',
          start: '2026-01-11T01:00:00+09:00',
          end: '2026-01-11T03:00:00+09:00',
          reason: 'DB upgrade',
        })
        .expect(200);
      const [window] = planned.body.output.maintenanceWindows;
      expect(window).toMatchObject({
        start: '2026-01-10T16:00:00.000Z',
        end: '2026-01-10T18:00:00.000Z',
        reason: 'DB upgrade',
        by: BOB,
      });
      await as(ALICE)
        .post(`${actions}/monitor:end-job-maintenance-window/invoke`, {
          jobKey: 'bob-sync',
          windowId: window.id,
        })
        .expect(403);
      const ended = await as(BOB)
        .post(`${actions}/monitor:end-job-maintenance-window/invoke`, {
          jobKey: 'bob-sync',
          windowId: window.id,
        })
        .expect(200);
      expect(ended.body.output).toEqual({
        jobKey: 'bob-sync',
        maintenance: null,
      });
      expect(
        (await as(BOB).get('/jobs/bob-sync')).body.job.maintenanceWindows,
      ).toEqual([]);
      expect(audit.map(e => [e.eventId, e.status, e.meta.actor])).toEqual([
        ['job-acknowledge', 'failed', BOB],
        ['job-acknowledge', 'succeeded', ALICE],
        ['job-mute', 'succeeded', BOB],
        ['job-maintenance-add', 'succeeded', BOB],
        ['job-maintenance-end', 'failed', ALICE],
        ['job-maintenance-end', 'succeeded', BOB],
      ]);
    });
  });
});
