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
import { openApiYaml } from '../../dev/openapi';

jest.setTimeout(60_000);

const committed = readFileSync(resolve(__dirname, 'openapi.yaml'), 'utf8');
const document = parse(committed) as {
  paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
};

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(document, 'openapi');

describe('the OpenAPI document', () => {
  it('is the one the contract makes (run `yarn build:openapi` if not)', () => {
    expect(committed).toBe(openApiYaml());
  });

  describe.each(monitorTestDatabases().eachSupportedId())(
    'against responses of a started backend on %p',
    databaseId => {
      const databases = monitorTestDatabases();

      /** Checks a response against the document's schema for it. */
      function expectDocumented(
        method: string,
        path: string,
        expected: number,
        res: request.Response,
      ) {
        expect(`${method} ${path} ${res.status}`).toBe(
          `${method} ${path} ${expected}`,
        );
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
          200,
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
          400,
          await postReport(server, specReport({ status: 'nope' })),
        );
        expectDocumented(
          'post',
          '/job-report',
          401,
          await postReport(server, specReport(), 'wrong'),
        );
        expectDocumented(
          'get',
          '/jobs',
          200,
          await request(server).get('/api/monitor/jobs?health=error'),
        );
        expectDocumented(
          'get',
          '/jobs',
          400,
          await request(server).get('/api/monitor/jobs?limit=0'),
        );
        expectDocumented(
          'get',
          '/jobs/{jobKey}',
          200,
          await request(server).get(job),
        );
        expectDocumented(
          'get',
          '/jobs/{jobKey}',
          404,
          await request(server).get('/api/monitor/jobs/nope'),
        );
        expectDocumented(
          'get',
          '/summary',
          200,
          await request(server).get('/api/monitor/summary'),
        );
        expectDocumented(
          'post',
          '/jobs/{jobKey}/acknowledgement',
          200,
          await request(server)
            .post(`${job}/acknowledgement`)
            .send({ comment: 'looking' }),
        );
        expectDocumented(
          'delete',
          '/jobs/{jobKey}/acknowledgement',
          200,
          await request(server).delete(`${job}/acknowledgement`),
        );
        expectDocumented(
          'post',
          '/jobs/{jobKey}/mute',
          200,
          await request(server)
            .post(`${job}/mute`)
            .send({ until: '2999-01-01T00:00:00Z', reason: 'x' }),
        );
        expectDocumented(
          'get',
          '/jobs/{jobKey}',
          200,
          await request(server).get(job),
        );
        expectDocumented(
          'delete',
          '/jobs/{jobKey}/mute',
          200,
          await request(server).delete(`${job}/mute`),
        );
        expectDocumented(
          'delete',
          '/jobs/{jobKey}',
          204,
          await request(server).delete(job),
        );
        expectDocumented(
          'delete',
          '/jobs/{jobKey}',
          404,
          await request(server).delete(job),
        );
      });
    },
  );
});
