/*
 * The monitor without Backstage: a bare node:http server that does what the
 * webhook does (secret check, body limit, JSON, the report's validation,
 * the same stores and the same health rules) with nothing of Backstage
 * around it: no Express, no auth policy, no request log. How close the
 * real backend comes to it is the cost of running inside Backstage; how
 * close it comes to dev/bench/bare.ts is the cost of the monitor's own
 * work.
 *
 *   node --require @backstage/cli-node/config/nodeTransform.cjs dev/bench/withoutBackstage.ts --config app-config.json
 */
import { ConfigReader } from '@backstage/config';
import { createServer, IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import knexFactory from 'knex';
import { join } from 'node:path';
import { jobConfigOf, readMonitorSettings } from '../../src/config';
import { createMonitorStores } from '../../src/database/createStores';
import { ChangeNotifier } from '../../src/service/ChangeNotifier';
import { notificationWords } from '../../src/service/notificationWords';
import { JobAnnouncer } from '../../src/service/JobAnnouncer';
import { JobMonitor } from '../../src/service/JobMonitor';
import {
  isAcceptedSecret,
  readWebhookSecrets,
} from '../../src/service/webhookSecret';
import { JOB_REPORT_SECRET_HEADER } from '@tc-portal/plugin-monitor-common';
import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { JobOwnership } from '../../src/catalog/JobOwnership';
import { MaintenanceWindows } from '../../src/service/MaintenanceWindows';

const config = new ConfigReader(
  JSON.parse(
    readFileSync(process.argv[process.argv.indexOf('--config') + 1], 'utf8'),
  ),
);

function knexFor(database: ConfigReader) {
  const client = database.getString('client');
  if (client === 'better-sqlite3') {
    return knexFactory({
      client,
      connection: {
        filename: join(
          database.getString('connection.directory'),
          'monitor.sqlite',
        ),
      },
      useNullAsDefault: true,
    });
  }
  const url = new URL(database.getString('connection'));
  url.pathname = `/${database.getString('prefix')}monitor`;
  return knexFactory({ client, connection: url.toString() });
}

const silent = {
  error: () => {},
  warn: () => {},
  info: () => {},
  debug: () => {},
  child: () => silent,
};

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        fail(Object.assign(new Error('too large'), { statusCode: 413 }));
        req.destroy();
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

async function main() {
  const knex = knexFor(config.getConfig('backend.database') as ConfigReader);
  const settings = readMonitorSettings(config);
  const clock = { now: () => new Date() };
  const stores = await createMonitorStores({
    database: { getClient: async () => knex },
    logger: silent,
    configOf: jobConfigOf(settings),
    retention: settings.retention,
    now: clock.now,
  });
  const ownership = new JobOwnership({
    catalog: catalogServiceMock(),
    auth: mockServices.auth(),
    defaultTimezone: settings.defaultTimezone,
    logger: silent,
  });
  const monitor = new JobMonitor({
    stores,
    settings,
    clock,
    logger: silent,
    announcer: new JobAnnouncer({
      // Nobody listens here.
      signals: { publish: async () => {} },
      logger: silent,
      version: () => stores.version.known(),
    }),
    notifier: new ChangeNotifier({
      outbox: stores.outbox,
      // The bench turns notifications off on both.
      notifications: { send: async () => {} },
      logger: silent,
      clock,
      pagePath: settings.notifications.pagePath,
      words: notificationWords(
        settings.notifications.language,
        settings.defaultTimezone,
      ),
      parentGroupOf: async () => undefined,
    }),
    // The bench's reports name no entity: an empty catalog.
    ownership,
    maintenance: new MaintenanceWindows(settings.maintenance, ownership),
  });
  const secrets = readWebhookSecrets(config);

  const server = createServer(async (req, res) => {
    const answer = (status: number, body: object) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      if (req.method !== 'POST' || req.url !== '/api/monitor/job-report') {
        answer(404, { error: { message: 'not found' } });
        return;
      }
      if (
        !isAcceptedSecret(
          req.headers[JOB_REPORT_SECRET_HEADER.toLowerCase()] as string,
          secrets,
        )
      ) {
        answer(401, { error: { message: 'wrong secret' } });
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req, 1024 * 1024));
      } catch (error) {
        answer((error as any).statusCode ?? 400, {
          error: { message: String(error) },
        });
        return;
      }
      const { id, jobKey } = await monitor.report(body);
      answer(200, { success: true, id, job_key: jobKey });
    } catch (error) {
      // As Backstage's error handler answers: an error's own status, 400
      // for a bad report, else 500.
      let status = (error as any).statusCode;
      if (typeof status !== 'number') {
        status = (error as Error).name === 'InputError' ? 400 : 500;
      }
      answer(status, {
        error: { name: (error as Error).name, message: String(error) },
      });
    }
  });
  const port = config.getNumber('backend.listen.port');
  server.listen(port, '127.0.0.1');
  process.on('SIGTERM', () => {
    server.close();
    knex.destroy().finally(() => process.exit(0));
  });
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
