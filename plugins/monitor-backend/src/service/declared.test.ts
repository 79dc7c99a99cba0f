import { Entity } from '@backstage/catalog-model';
import { MONITOR_JOBS_ANNOTATION } from '@tc-portal/plugin-monitor-common';
import {
  linkCatalog,
  monitorTestDatabases,
  postReport,
  runCheck,
  specReport,
} from '../__testUtils__/testBackend';
import {
  BOB,
  component,
  OPS,
  startOwnerPortal,
} from '../__testUtils__/ownerPortal';

jest.setTimeout(60_000);

const databases = monitorTestDatabases();
const MINUTE = 60 * 1000;

/** A component of Bob's that declares its jobs in its annotation. */
function declaring(name: string, jobs: string): Entity {
  const entity = component(name, BOB);
  entity.metadata.annotations = { [MONITOR_JOBS_ANNOTATION]: jobs };
  return entity;
}

describe.each(databases.eachSupportedId())(
  'jobs declared in the catalog on %p',
  databaseId => {
    it('are expected from when the catalog has them: never reported, then missed, with config winning field by field', async () => {
      const portal = await startOwnerPortal(
        databases,
        databaseId,
        { defaultOwner: OPS, jobs: { 'nightly-backup': { grace: 'PT2M' } } },
        [
          declaring(
            'backup-service',
            'nightly-backup:\n  every: PT10M\n  grace: PT5M\n  max_runtime: PT3M\n',
          ),
          declaring('broken-service', 'broken:\n  cron: 61 * * * *\n'),
        ],
      );
      const get = async (jobKey: string) =>
        portal.as(BOB).get(`/jobs/${encodeURIComponent(jobKey)}`);
      await linkCatalog(portal);
      await runCheck(portal);
      const { body: known } = await get('nightly-backup').then(r =>
        r.status === 200 ? r : Promise.reject(new Error(String(r.status))),
      );
      expect(known.job).toMatchObject({
        health: 'ok',
        healthReasonDetail: { code: 'noRunYet' },
        entityRef: 'component:default/backup-service',
        entitySource: 'catalog',
        latestOutcome: null,
        nextExpectedAt: '2026-01-10T10:10:00.000Z',
        // The catalog's schedule and runtime, config's grace.
        schedule: {
          every: 'PT10M',
          grace: 'PT2M',
          maxRuntime: 'PT3M',
          source: 'catalog',
        },
      });
      // A declaration that cannot be read makes no job.
      expect((await get('broken')).status).toBe(404);

      // Past its first due time and config's grace, never having reported.
      portal.clock.advance(13 * MINUTE);
      await runCheck(portal);
      expect((await get('nightly-backup')).body.job).toMatchObject({
        health: 'missed',
        healthReasonDetail: { code: 'missed', lastReportAt: null },
      });

      // Its report's own schedule loses to the catalog's.
      await postReport(
        portal.server,
        specReport({
          job_key: 'nightly-backup',
          finished_at: '2026-01-10T10:13:00Z',
          schedule: { every: 'PT1H', grace: 'PT30M' },
        }),
      ).expect(200);
      expect((await get('nightly-backup')).body.job).toMatchObject({
        health: 'ok',
        schedule: { every: 'PT10M', grace: 'PT2M', source: 'catalog' },
      });
    });
  },
);

describe.each(databases.eachSupportedId())(
  'upstream jobs from the catalog on %p',
  databaseId => {
    it("takes the jobs of the entities a job's entity dependsOn as its upstream", async () => {
      const importService = component('import-service', BOB);
      importService.relations!.push({
        type: 'dependsOn',
        targetRef: 'component:default/export-service',
      });
      const portal = await startOwnerPortal(
        databases,
        databaseId,
        { defaultOwner: OPS },
        [component('export-service', BOB), importService],
      );
      let minute = 0;
      const send = (jobKey: string, entity: string, status: string) =>
        postReport(
          portal.server,
          specReport({
            job_key: jobKey,
            status,
            entity_ref: `component:default/${entity}`,
            finished_at: `2026-01-10T09:${String(++minute).padStart(
              2,
              '0',
            )}:00Z`,
          }),
        ).expect(200);
      await send('price-export', 'export-service', 'error');
      await send('price-import', 'import-service', 'success');
      await linkCatalog(portal);
      await send('price-import', 'import-service', 'error');
      const { body } = await portal.as(BOB).get('/jobs/price-import');
      expect(body.job).toMatchObject({
        health: 'error',
        dependsOn: ['price-export'],
        upstream: { jobKey: 'price-export' },
      });
      const { body: summary } = await portal.as(BOB).get('/summary');
      expect(summary.attentionCount).toBe(1);
    });
  },
);
