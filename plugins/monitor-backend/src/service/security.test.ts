import {
  coreServices,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import request from 'supertest';
import {
  monitorTestDatabases,
  postReport,
  specReport,
  startMonitorBackend,
} from '../__testUtils__/testBackend';

jest.setTimeout(60_000);

const databases = monitorTestDatabases();

/** Every line any part of the backend logs, with its fields, unredacted. */
function recordingRootLogger(lines: string[]) {
  const make = (fields: JsonObject): RootLoggerService => {
    const write =
      (level: string) => (message: string, meta?: Error | JsonObject) => {
        lines.push(
          JSON.stringify({
            level,
            message,
            ...fields,
            meta:
              meta instanceof Error
                ? { name: meta.name, message: meta.message, stack: meta.stack }
                : meta,
          }),
        );
      };
    return {
      error: write('error'),
      warn: write('warn'),
      info: write('info'),
      debug: write('debug'),
      child: (meta: JsonObject): LoggerService => make({ ...fields, ...meta }),
      addRedactions: () => {},
    } as RootLoggerService;
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => make({}),
  });
}

describe.each(databases.eachSupportedId())('security on %p', databaseId => {
  const SECRET = 'primary-secret-0d1f7c';
  const ROTATED = 'rotated-secret-9a8b7c';
  const JOB_SECRET = 'job-own-secret-5e4d3c';
  const WRONG = 'wrong-secret-attempt-123';

  it('never writes a secret, accepted or presented, to the log or an answer', async () => {
    const lines: string[] = [];
    const { server } = await startMonitorBackend(
      databases,
      databaseId,
      {
        monitor: {
          webhookSecret: SECRET,
          additionalWebhookSecrets: [ROTATED],
          jobs: { 'own-secret-job': { webhookSecret: JOB_SECRET } },
        },
      },
      { features: [recordingRootLogger(lines)] },
    );

    const bodies: string[] = [];
    const send = async (body: unknown, secret: string) => {
      const res = await postReport(server, body, secret);
      bodies.push(res.text);
      return res.status;
    };
    expect(await send(specReport(), SECRET)).toBe(200);
    expect(await send(specReport(), ROTATED)).toBe(200);
    expect(
      await send(specReport({ job_key: 'own-secret-job' }), JOB_SECRET),
    ).toBe(200);
    expect(await send(specReport(), WRONG)).toBe(401);
    expect(await send(specReport(), JOB_SECRET)).toBe(401);
    expect(await send({ job_key: 'x', status: 'nope' }, SECRET)).toBe(400);
    expect(await send('{not json', SECRET)).toBe(400);
    expect(
      await send(specReport({ message: 'x'.repeat(2_000_000) }), SECRET),
    ).toBe(413);

    expect(lines.length).toBeGreaterThan(0);
    for (const text of [...lines, ...bodies]) {
      for (const secret of [SECRET, ROTATED, JOB_SECRET, WRONG]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it.each([
    ['post', '/jobs/daily-price-sync/acknowledgement', { comment: 'x' }],
    ['delete', '/jobs/daily-price-sync/acknowledgement', undefined],
    [
      'post',
      '/jobs/daily-price-sync/mute',
      { until: '2030-01-01T00:00:00Z', reason: 'x' },
    ],
    ['delete', '/jobs/daily-price-sync/mute', undefined],
    ['delete', '/jobs/daily-price-sync', undefined],
  ] as const)(
    'refuses %s %s without a Backstage token, and changes nothing',
    async (method, path, body) => {
      const { server } = await startMonitorBackend(databases, databaseId);
      await postReport(server, specReport({ status: 'error' })).expect(200);

      const res = await request(server)
        [method](`/api/monitor${path}`)
        .set('Authorization', mockCredentials.none.header())
        .send(body);

      expect(res.status).toBe(401);
      expect(res.body.error.name).toBe('AuthenticationError');
      const { body: detail } = await request(server)
        .get('/api/monitor/jobs/daily-price-sync')
        .expect(200);
      expect(detail.job).toMatchObject({
        health: 'error',
        acknowledgement: null,
        mute: null,
      });
    },
  );
});
