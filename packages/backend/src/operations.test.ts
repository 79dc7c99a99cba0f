/*
 * The demo portal as a portal team runs it: its permission policy lets the
 * guest act on the jobs the guest's teams own (those of the components the
 * pricing team owns, however they are linked, and those linked to no
 * entity, which the demo's default owner, the guests' group, owns) and on
 * no other, an assistant asks the monitor's actions through MCP which jobs
 * are failing and why, the portal's search finds jobs, and Prometheus
 * scrapes the monitor's metrics. The demo backend runs in a process of its
 * own, on its embedded SQLite and on PostgreSQL.
 */
import {
  dropDatabases,
  eventually,
  getJson,
  guestOnceKnown,
  Replica,
  replicaConfig,
  report,
  SECRET,
  startReplica,
} from './__testUtils__/portal';

jest.setTimeout(240_000);

/** Owned by group:default/pricing-team, of which the guest is a member. */
const OURS = 'component:default/price-service';
/** Owned by group:default/tc-portal-team (catalog-info.yaml). */
const THEIRS = 'component:default/plugin-monitor-backend';

/** Calls the portal's MCP server, as an assistant's client does. */
async function mcp(
  replica: Replica,
  token: string,
  method: string,
  params?: object,
) {
  const res = await fetch(`${replica.base}/api/mcp-actions/v1`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  expect(res.status).toBe(200);
  // The answer comes as one server-sent event.
  const text = await res.text();
  const data = text
    .split('\n')
    .find(line => line.startsWith('data: '))
    ?.slice('data: '.length);
  return JSON.parse(data ?? text);
}

const prefix = `operated_${Date.now()}_`;

/** Jobs indexed for search every 2 s, not the demo's 5 minutes. */
const SEARCH_EVERY_2_S = {
  collators: {
    monitor: {
      schedule: {
        frequency: { seconds: 2 },
        timeout: { seconds: 30 },
        initialDelay: { seconds: 1 },
      },
    },
  },
};

/** The demo's own config on its embedded SQLite, or on PostgreSQL. */
const DATABASES = {
  SQLITE: {
    auth: {
      providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
    },
    monitor: {
      webhookSecret: SECRET,
      catalog: { refreshFrequency: { seconds: 1 } },
    },
    search: SEARCH_EVERY_2_S,
  },
  POSTGRES: () => ({ ...replicaConfig(prefix), search: SEARCH_EVERY_2_S }),
};

describe.each(Object.keys(DATABASES))(
  'the demo portal on %s, operated',
  database => {
    let replica: Replica | undefined;

    afterAll(async () => {
      await replica?.stop();
      await dropDatabases(prefix);
    });

    it('lets teams act on their own jobs, answers assistants, and exports metrics', async () => {
      const config = DATABASES[database as keyof typeof DATABASES];
      const portal = await startReplica(
        `operated-${database}`,
        typeof config === 'function' ? config() : config,
      );
      replica = portal;
      const token = await guestOnceKnown(portal);
      // The owners are known once the catalog has processed both components.
      for (const ref of [OURS, THEIRS]) {
        const [kind, rest] = ref.split(':');
        await eventually(`the catalog to hold ${ref}`, async () => {
          const res = await fetch(
            `${portal.base}/api/catalog/entities/by-name/${kind}/${rest}`,
            { headers: { Authorization: `Bearer ${token}` } },
          );
          return res.ok ? true : undefined;
        });
      }

      await report(portal, 'price-sync', 'error', {
        title: '価格同期',
        entityRef: OURS,
      });
      await report(portal, 'portal-self-check', 'error', {
        title: 'ポータル自己診断',
        entityRef: THEIRS,
      });
      // As the original snippet reports: no entity.
      await report(portal, 'seed-style', 'error', { title: '古いスクリプト' });
      // Named by the price service's annotation (examples/entities.yaml).
      await report(portal, 'daily-price-sync', 'error', {
        title: '価格同期処理',
      });
      const refusedReport = await fetch(
        `${portal.base}/api/monitor/job-report`,
        {
          method: 'POST',
          headers: { 'X-TC-Portal-Webhook-Secret': 'wrong' },
        },
      );
      expect(refusedReport.status).toBe(401);

      // The policy: the guest's team owns the price service, not the portal.
      const acknowledge = (jobKey: string) =>
        fetch(`${portal.base}/api/monitor/jobs/${jobKey}/acknowledgement`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ comment: 'looking into it' }),
        });
      const theirs = await acknowledge('portal-self-check');
      expect(theirs.status).toBe(403);
      expect((await theirs.json()).error.message).toContain(
        'monitor.job.acknowledge',
      );
      expect((await acknowledge('price-sync')).status).toBe(200);
      // The default owner's: the guests' group, of which the guest is one.
      const seed = await getJson(portal, '/api/monitor/jobs/seed-style', token);
      expect(seed.owners).toEqual(['group:default/guests']);
      expect((await acknowledge('seed-style')).status).toBe(200);
      // The price service's, once the catalog's annotations are read (every
      // 15 s in the demo): owned by the pricing team, of which the guest is one.
      const linked = await eventually(
        'the annotation to link the job',
        async () => {
          const detail = await getJson(
            portal,
            '/api/monitor/jobs/daily-price-sync',
            token,
          );
          return detail?.job.entitySource === 'catalog' ? detail : undefined;
        },
      );
      expect(linked.job.entityRef).toBe(OURS);
      expect(linked.owners).toEqual(['group:default/pricing-team']);
      expect((await acknowledge('daily-price-sync')).status).toBe(200);
      const onEntity = await getJson(
        portal,
        `/api/monitor/jobs?entityRef=${encodeURIComponent(OURS)}`,
        token,
      );
      // Linked by config, the annotation, a report, and the weekly report
      // the component declares with its schedule.
      expect(
        onEntity.items.map((job: { jobKey: string }) => job.jobKey).sort(),
      ).toEqual([
        'daily-price-sync',
        'nightly-price-export',
        'price-sync',
        'weekly-price-report',
      ]);

      // An assistant, through MCP: which jobs are failing, and why?
      const tools = await mcp(portal, token, 'tools/list');
      const names = tools.result.tools.map(
        (tool: { name: string }) => tool.name,
      );
      expect(names).toEqual(
        expect.arrayContaining([
          'monitor.list-jobs',
          'monitor.get-job',
          'monitor.acknowledge-job',
          'monitor.mute-job',
        ]),
      );
      const failing = await mcp(portal, token, 'tools/call', {
        name: 'monitor.list-jobs',
        arguments: { failing: true },
      });
      expect(failing.result.isError).toBeFalsy();
      const answer = JSON.parse(failing.result.content[0].text);
      expect(
        answer.jobs.map((job: any) => [
          job.jobKey,
          job.why,
          !!job.acknowledgement,
        ]),
      ).toEqual(
        expect.arrayContaining([
          ['price-sync', 'the latest run failed', true],
          ['portal-self-check', 'the latest run failed', false],
          ['seed-style', 'the latest run failed', true],
        ]),
      );
      const refusedByTool = await mcp(portal, token, 'tools/call', {
        name: 'monitor.mute-job',
        arguments: {
          jobKey: 'portal-self-check',
          until: new Date(Date.now() + 3_600_000).toISOString(),
          reason: 'not ours to mute',
        },
      });
      expect(refusedByTool.result.isError).toBe(true);
      expect(JSON.stringify(refusedByTool.result.content)).toContain(
        'monitor.job.mute',
      );

      // The portal's search finds a job by its Japanese title and by its
      // key, with its health (indexed every 2 s here, every 5 min in the
      // demo).
      const search = async (term: string) => {
        const found = await getJson(
          portal,
          `/api/search/query?term=${encodeURIComponent(
            term,
          )}&types%5B0%5D=monitor-job`,
          token,
        );
        return (found?.results ?? []).map((r: any) => r.document);
      };
      const byTitle = await eventually('the search index', async () => {
        const documents = await search('価格同期処理');
        return documents.length ? documents : undefined;
      });
      expect(byTitle).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            title: '価格同期処理',
            jobKey: 'daily-price-sync',
            health: 'error',
            location: '/monitor/jobs/daily-price-sync',
          }),
        ]),
      );
      // First: the engine also lists near words (seed-style, "self"~"seed").
      const [byKey] = await search('portal-self-check');
      expect(byKey).toEqual(
        expect.objectContaining({
          title: 'ポータル自己診断',
          owner: 'group:default/tc-portal-team',
        }),
      );

      // Prometheus scrapes the monitor's instruments.
      const metrics = await (await fetch(portal.metrics)).text();
      const sample = (name: string, labels: string) =>
        metrics
          .split('\n')
          .find(line => line.startsWith(name) && line.includes(labels))
          ?.split(' ')
          .pop();
      expect(sample('monitor_reports_total', 'outcome="stored"')).toBe('4');
      expect(sample('monitor_reports_total', 'reason="secret"')).toBe('1');
      expect(sample('monitor_jobs', 'health="error"')).toBe('4');
      expect(
        Number(sample('monitor_report_duration_count', 'outcome="stored"')),
      ).toBe(4);
    });
  },
);
