import { mockServices } from '@backstage/backend-test-utils';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import {
  monitorTestDatabases,
  postReport,
  specReport,
  startMonitorBackend,
} from '../__testUtils__/testBackend';
import { JobMonitor } from '../service/JobMonitor';
import { createRouter } from '../service/router';

jest.setTimeout(60_000);

const document = parse(
  readFileSync(resolve(__dirname, 'openapi.yaml'), 'utf8'),
) as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(document, 'openapi');

/** Express's `/jobs/:jobKey` as OpenAPI writes it: `/jobs/{jobKey}`. */
const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe('the OpenAPI document', () => {
  it('describes every route of the real router, and no other', async () => {
    const router = await createRouter({
      config: mockServices.rootConfig(),
      httpAuth: mockServices.httpAuth(),
      permissions: mockServices.permissions(),
      monitor: {} as JobMonitor,
      maxBodySize: '1mb',
    });
    const routes = (router as any).stack
      .filter((layer: any) => layer.route)
      .flatMap((layer: any) =>
        Object.keys(layer.route.methods).map(
          method =>
            `${method.toUpperCase()} ${toOpenApiPath(layer.route.path)}`,
        ),
      )
      .sort();
    const documented = Object.entries(document.paths)
      .flatMap(([path, operations]) =>
        Object.keys(operations).map(
          method => `${method.toUpperCase()} ${path}`,
        ),
      )
      .sort();
    expect(routes).toEqual(documented);
  });

  describe.each(monitorTestDatabases().eachSupportedId())(
    'against responses of a started backend on %p',
    databaseId => {
      const databases = monitorTestDatabases();

      /** Checks a response against the document's schema for it. */
      function expectDocumented(
        method: string,
        path: string,
        res: request.Response,
      ) {
        const status = String(res.status);
        const responses = document.paths[path]?.[method]?.responses;
        expect(responses).toBeDefined();
        expect(Object.keys(responses!)).toContain(status);
        if (res.status === 204) {
          return;
        }
        const escape = (segment: string) =>
          segment.replace(/~/g, '~0').replace(/\//g, '~1');
        let pointer = `/paths/${escape(path)}/${method}/responses/${status}`;
        const response = responses![status] as { $ref?: string };
        if (response.$ref) {
          pointer = response.$ref.slice(1);
        }
        const validate = ajv.compile({
          $ref: `openapi#${pointer}/content/application~1json/schema`,
        });
        const valid = validate(res.body);
        if (!valid) {
          throw new Error(
            `${method.toUpperCase()} ${path} ${status} does not match the document: ${ajv.errorsText(
              validate.errors,
            )}\n${JSON.stringify(res.body, null, 2)}`,
          );
        }
      }

      it('matches what the routes answer', async () => {
        const { server } = await startMonitorBackend(databases, databaseId);
        const job = '/api/monitor/jobs/daily-price-sync';

        expectDocumented(
          'post',
          '/job-report',
          await postReport(
            server,
            specReport({
              status: 'error',
              schedule: { every: 'PT1H' },
              entity_ref: 'component:default/price-service',
            }),
          ),
        );
        expectDocumented(
          'post',
          '/job-report',
          await postReport(server, specReport({ status: 'nope' })),
        );
        expectDocumented(
          'post',
          '/job-report',
          await postReport(server, specReport(), 'wrong'),
        );
        expectDocumented(
          'get',
          '/jobs',
          await request(server).get('/api/monitor/jobs?health=error'),
        );
        expectDocumented(
          'get',
          '/jobs',
          await request(server).get('/api/monitor/jobs?limit=0'),
        );
        expectDocumented(
          'get',
          '/jobs/{jobKey}',
          await request(server).get(job),
        );
        expectDocumented(
          'get',
          '/jobs/{jobKey}',
          await request(server).get('/api/monitor/jobs/nope'),
        );
        expectDocumented(
          'get',
          '/summary',
          await request(server).get('/api/monitor/summary'),
        );
        expectDocumented(
          'post',
          '/jobs/{jobKey}/acknowledgement',
          await request(server)
            .post(`${job}/acknowledgement`)
            .send({ comment: 'looking' }),
        );
        expectDocumented(
          'delete',
          '/jobs/{jobKey}/acknowledgement',
          await request(server).delete(`${job}/acknowledgement`),
        );
        expectDocumented(
          'post',
          '/jobs/{jobKey}/mute',
          await request(server)
            .post(`${job}/mute`)
            .send({ until: '2999-01-01T00:00:00Z', reason: 'x' }),
        );
        expectDocumented(
          'get',
          '/jobs/{jobKey}',
          await request(server).get(job),
        );
        expectDocumented(
          'delete',
          '/jobs/{jobKey}/mute',
          await request(server).delete(`${job}/mute`),
        );
        expectDocumented(
          'delete',
          '/jobs/{jobKey}',
          await request(server).delete(job),
        );
        expectDocumented(
          'delete',
          '/jobs/{jobKey}',
          await request(server).delete(job),
        );
      });
    },
  );
});
