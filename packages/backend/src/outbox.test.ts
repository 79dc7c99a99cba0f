/*
 * The notification of a change of health, when things go wrong between the
 * report and the notification: the notifications backend hangs (reports
 * must stay fast), and then the portal is killed before it could tell
 * anyone (after a restart, the owners hear of the change exactly once).
 * The demo portal's backend runs in processes of its own, on PostgreSQL.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import knexFactory from 'knex';
import {
  dropDatabases,
  eventually,
  getJson,
  guestOnceKnown,
  POSTGRES_URL,
  Replica,
  replicaConfig,
  report,
  startReplica,
} from './__testUtils__/portal';

jest.setTimeout(240_000);

const JOB = 'outbox-job';

/**
 * A notifications backend that takes every request and never answers; it
 * counts the requests it holds.
 */
async function hangingServer(): Promise<{
  server: Server;
  port: number;
  held: () => number;
}> {
  let held = 0;
  const server = createServer(() => {
    held += 1;
  });
  await new Promise<void>(done => server.listen(0, '127.0.0.1', done));
  return {
    server,
    port: (server.address() as AddressInfo).port,
    held: () => held,
  };
}

describe('the notification of a change of health', () => {
  const replicas: Replica[] = [];
  let hanging: Server | undefined;
  const prefix = `outbox_${Date.now()}_`;

  afterAll(async () => {
    await Promise.all(replicas.map(replica => replica.stop()));
    hanging?.closeAllConnections();
    hanging?.close();
    await dropDatabases(prefix);
  });

  it('does not slow reports while the notifications backend hangs, and reaches the owners once after a crash', async () => {
    const config = replicaConfig(prefix);

    // A portal whose notifications backend takes requests and never answers.
    const notificationsBackend = await hangingServer();
    hanging = notificationsBackend.server;
    const first = await startReplica('hanging', {
      ...config,
      discovery: {
        endpoints: [
          {
            target: `http://127.0.0.1:${notificationsBackend.port}/api/{{pluginId}}`,
            plugins: ['notifications'],
          },
        ],
      },
    });
    replicas.push(first);

    // Each report changes the job's health, so each has a notification to
    // send; none waits for it: the last report is taken while a send of
    // an earlier change hangs, unanswered.
    const send = (i: number, status: string) =>
      report(first, JOB, status, {
        title: 'アウトボックス',
        finishedAt: new Date(Date.now() - (10 - i) * 60_000),
      });
    await send(0, 'error');
    await send(1, 'success');
    await eventually('a notification send to hang', async () =>
      notificationsBackend.held() > 0 ? true : undefined,
    );
    await send(2, 'error');

    // The last change is committed, and not told: the sending hangs.
    const monitorDb = new URL(POSTGRES_URL!);
    monitorDb.pathname = `/${prefix}monitor`;
    const knex = knexFactory({
      client: 'pg',
      connection: monitorDb.toString(),
    });
    try {
      const pending = await knex('job_notices')
        .where({ job_key: JOB, delivery: 'pending' })
        .pluck('to_health');
      expect(pending.length).toBeGreaterThan(0);

      // The catalog has taken in the demo's users before the crash: killed
      // in the middle of its first pass, it would hold them back for its
      // processing interval (minutes) after the restart.
      await guestOnceKnown(first);

      // A crash before the notification went out.
      await first.kill();

      const second = await startReplica('restarted', config);
      replicas.push(second);
      // The demo sends the notifications of unlinked jobs to its guests
      // (group:default/guests).
      const token = await guestOnceKnown(second);
      const ours = async () => {
        const { notifications } = await getJson(
          second,
          '/api/notifications',
          token,
        );
        return notifications.filter((n: { payload: { link: string } }) =>
          n.payload.link.endsWith(`/jobs/${JOB}`),
        );
      };
      // Every notice is settled (the changes are told oldest first, each
      // in place of the one before under the job's scope): no sweep has
      // anything left to send again.
      await eventually('every notice to be settled', async () => {
        const [{ count }] = await knex('job_notices')
          .where({ job_key: JOB, delivery: 'pending' })
          .count({ count: '*' });
        return Number(count) === 0 ? true : undefined;
      });
      const told = await eventually(
        'the notification after the restart',
        async () => {
          const list = await ours();
          return list.length > 0 ? list : undefined;
        },
      );
      expect(told).toHaveLength(1);
      expect(told[0].payload.title).toBe('【障害】アウトボックス: エラー');
    } finally {
      await knex.destroy();
    }
  });
});
