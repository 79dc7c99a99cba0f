import {
  linkCatalog,
  monitorTestDatabases,
  notificationsSent,
  postReport,
  specReport,
} from '../__testUtils__/testBackend';
import {
  ALICE,
  BOB,
  CAROL,
  OPS,
  startOwnerPortal,
} from '../__testUtils__/ownerPortal';

jest.setTimeout(60_000);

const databases = monitorTestDatabases();

const PRICE_SERVICE = 'component:default/price-service';

/** The keys of a page of jobs, sorted. */
const keysOf = (body: { items: Array<{ jobKey: string }> }) =>
  body.items.map(job => job.jobKey).sort();

describe.each(databases.eachSupportedId())(
  'one owner per job on %p',
  databaseId => {
    /**
     * A portal with a default owner (ops), where four jobs fail: one linked
     * to the price service by config, one by its reports, one by the price
     * service's annotation (its reports name Bob's service, and lose), and
     * one, as the original snippet reports, linked to nothing.
     */
    async function portalWithFailingJobs() {
      const portal = await startOwnerPortal(databases, databaseId, {
        defaultOwner: OPS,
        jobs: { 'configured-sync': { entityRef: PRICE_SERVICE } },
      });
      // The catalog is read before legacy-export first reports: the job is
      // the price service's from its first report on.
      await linkCatalog(portal);
      const reports: Array<[string, Record<string, unknown>]> = [
        ['configured-sync', {}],
        ['reported-sync', { entity_ref: PRICE_SERVICE }],
        ['legacy-export', { entity_ref: 'component:default/bob-service' }],
        ['seed-style', {}],
      ];
      for (const [jobKey, fields] of reports) {
        await postReport(
          portal.server,
          specReport({ job_key: jobKey, status: 'error', ...fields }),
        ).expect(200);
      }
      return portal;
    }

    it('gives each job one entity, by config, annotation or reports, for the list, its filters and the job page', async () => {
      const { as } = await portalWithFailingJobs();

      const onEntity = await as(BOB)
        .get(`/jobs?entityRef=${encodeURIComponent(PRICE_SERVICE)}`)
        .expect(200);
      expect(
        onEntity.body.items
          .map((job: any) => [job.jobKey, job.entityRef, job.entitySource])
          .sort(),
      ).toEqual([
        ['configured-sync', PRICE_SERVICE, 'config'],
        ['legacy-export', PRICE_SERVICE, 'catalog'],
        ['reported-sync', PRICE_SERVICE, 'report'],
      ]);
      expect(
        keysOf((await as(BOB).get(`/jobs?owner=${ALICE}`).expect(200)).body),
      ).toEqual(['configured-sync', 'legacy-export', 'reported-sync']);
      // The default owner's jobs: those linked to no entity.
      expect(
        keysOf(
          (await as(BOB).get(`/jobs?owner=${encodeURIComponent(OPS)}`)).body,
        ),
      ).toEqual(['seed-style']);

      const linked = await as(BOB).get('/jobs/legacy-export').expect(200);
      expect(linked.body.job).toMatchObject({
        entityRef: PRICE_SERVICE,
        entitySource: 'catalog',
      });
      expect(linked.body.owners).toEqual([ALICE]);
      const unlinked = await as(BOB).get('/jobs/seed-style').expect(200);
      expect(unlinked.body.job.entityRef).toBeNull();
      expect(unlinked.body.owners).toEqual([OPS]);
    });

    it('tells the owners of each job, by the same entity', async () => {
      const portal = await portalWithFailingJobs();
      await notificationsSent(portal);
      const recipients = Object.fromEntries(
        portal.notifications.map(n => [
          n.payload.link?.split('/').pop(),
          n.recipients,
        ]),
      );
      // The notifications backend tells the entity's owners (or the
      // group's members).
      const toPriceService = { type: 'entity', entityRef: [PRICE_SERVICE] };
      expect(recipients).toEqual({
        'configured-sync': toPriceService,
        'reported-sync': toPriceService,
        'legacy-export': toPriceService,
        'seed-style': { type: 'entity', entityRef: [OPS] },
      });
    });

    it('lets the owners act on their jobs, however linked, and refuses the others', async () => {
      const { as } = await portalWithFailingJobs();
      const acknowledge = (user: string, jobKey: string) =>
        as(user).post(`/jobs/${jobKey}/acknowledgement`, { comment: 'on it' });
      const mute = (user: string, jobKey: string) =>
        as(user).post(`/jobs/${jobKey}/mute`, {
          until: '2026-01-11T00:00:00Z',
          reason: 'known',
        });

      for (const jobKey of [
        'configured-sync',
        'reported-sync',
        'legacy-export',
      ]) {
        const refused = await acknowledge(BOB, jobKey);
        expect(refused.status).toBe(403);
        expect(refused.body.error.message).toContain('monitor.job.acknowledge');
        expect((await acknowledge(CAROL, jobKey)).status).toBe(403);
        expect((await acknowledge(ALICE, jobKey)).status).toBe(200);
      }

      // A job linked to no entity is the default owner's: Carol is in ops.
      expect((await acknowledge(ALICE, 'seed-style')).status).toBe(403);
      expect((await mute(BOB, 'seed-style')).status).toBe(403);
      expect((await acknowledge(CAROL, 'seed-style')).status).toBe(200);
      expect((await mute(CAROL, 'seed-style')).status).toBe(200);

      expect((await as(BOB).get('/summary')).body.attentionCount).toBe(0);
    });

    it('leaves a job linked to no entity unowned when there is no default owner', async () => {
      const { server, as } = await startOwnerPortal(databases, databaseId);
      await postReport(
        server,
        specReport({ job_key: 'seed-style', status: 'error' }),
      ).expect(200);
      expect((await as(BOB).get('/jobs/seed-style')).body.owners).toEqual([]);
      for (const user of [ALICE, BOB, CAROL]) {
        expect(
          (
            await as(user).post('/jobs/seed-style/acknowledgement', {
              comment: 'mine?',
            })
          ).status,
        ).toBe(403);
      }
    });
  },
);
