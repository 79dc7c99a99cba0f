/*
 * A job that an entity declares in its tc-portal.io/monitor-jobs annotation,
 * in the demo portal with its real catalog: known from when the catalog has
 * it, "never reported" until its first due time, then missed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  eventually,
  getJson,
  guestOnceKnown,
  Replica,
  SECRET,
  startReplica,
} from './__testUtils__/portal';

jest.setTimeout(240_000);

const EXAMPLES = resolve(__dirname, '../../../examples');

describe('a job declared in the catalog, in the demo portal', () => {
  let replica: Replica | undefined;

  afterAll(async () => {
    await replica?.stop();
  });

  it('is never reported until its first due time and its grace pass, then missed', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'declared-job-'));
    const entities = join(folder, 'heartbeat.yaml');
    writeFileSync(
      entities,
      [
        'apiVersion: backstage.io/v1alpha1',
        'kind: Component',
        'metadata:',
        '  name: heartbeat-service',
        '  annotations:',
        '    tc-portal.io/monitor-jobs: |',
        '      heartbeat:',
        '        every: PT20S',
        '        grace: PT5S',
        'spec:',
        '  type: service',
        '  lifecycle: production',
        '  owner: group:default/pricing-team',
        '',
      ].join('\n'),
    );
    replica = await startReplica('declared', {
      auth: {
        providers: { guest: { dangerouslyAllowOutsideDevelopment: true } },
      },
      catalog: {
        locations: [
          {
            type: 'file',
            target: join(EXAMPLES, 'org.yaml'),
            rules: [{ allow: ['User', 'Group'] }],
          },
          { type: 'file', target: entities },
        ],
      },
      monitor: {
        webhookSecret: SECRET,
        checkFrequency: { seconds: 1 },
        catalog: { refreshFrequency: { seconds: 1 } },
      },
    });
    const token = await guestOnceKnown(replica);
    const job = () =>
      getJson(replica!, '/api/monitor/jobs/heartbeat', token).then(
        body => body?.job,
      );

    const known = await eventually('the declared job to be known', job);
    expect(known).toMatchObject({
      entityRef: 'component:default/heartbeat-service',
      entitySource: 'catalog',
      latestOutcome: null,
      schedule: { every: 'PT20S', grace: 'PT5S', source: 'catalog' },
    });
    // Never reported, before its first due time.
    expect(known.health).not.toBe('missed');
    expect(known.healthReasonDetail?.code ?? 'noRunYet').toMatch(
      /^(noRunYet|late)$/,
    );

    const missed = await eventually(
      'the declared job to be missed',
      async () => {
        const now = await job();
        return now?.health === 'missed' ? now : undefined;
      },
    );
    expect(missed.healthReasonDetail).toMatchObject({
      code: 'missed',
      lastReportAt: null,
    });
    // Missed after its first due time and grace, counted from when the
    // catalog first had it.
    expect(
      Date.parse(missed.healthSince) - Date.parse(known.healthSince),
    ).toBeGreaterThanOrEqual(20_000);
  });
});
