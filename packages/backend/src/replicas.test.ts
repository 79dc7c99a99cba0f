/*
 * The demo portal's backend as two replicas on one PostgreSQL, each in a
 * process of its own, as a portal runs behind a load balancer: a report
 * taken by one replica reaches a page connected to the other as a live
 * update, once, and the update says nothing of the job. The page is a
 * WebSocket client signed in as the guest, as the frontend's signals
 * client connects.
 */
import { readFileSync } from 'node:fs';
import knexFactory from 'knex';
import { MONITOR_SIGNAL_CHANNEL } from '@tc-portal/plugin-monitor-common';
import {
  dropDatabases,
  eventually,
  getJson,
  guestOnceKnown,
  guestToken,
  POSTGRES_URL,
  Replica,
  replicaConfig,
  report,
  startReplica,
} from './__testUtils__/portal';

jest.setTimeout(240_000);

/** How long a page waits for a live update (the events bus takes < 1 s). */
const SIGNAL_WAIT_MS = 30_000;

type Page = {
  /** The monitor's signals this page has heard, in order. */
  received: Array<{ changed: boolean; version?: string }>;
  /** Resolves once `count` signals have arrived. */
  signals(count: number): Promise<void>;
  close(): void;
};

/**
 * Opens a WebSocket as the frontend's signals client does: a connection that
 * does not open in a few seconds is dropped and tried again. (The signals
 * backend of Backstage 1.55 starts listening for upgrades on the first
 * upgrade request, and leaves that first request unanswered.)
 */
async function connect(url: string, token: string): Promise<WebSocket> {
  for (let attempt = 1; ; attempt++) {
    const socket = new WebSocket(url, token);
    const opened = await new Promise<boolean>(done => {
      const timer = setTimeout(() => done(false), 5_000);
      socket.addEventListener('open', () => {
        clearTimeout(timer);
        done(true);
      });
      socket.addEventListener('error', () => {
        clearTimeout(timer);
        done(false);
      });
    });
    if (opened) {
      return socket;
    }
    socket.close();
    if (attempt === 5) {
      throw new Error(`could not connect to ${url} in ${attempt} attempts`);
    }
  }
}

/**
 * Connects to a replica's signals endpoint as the frontend does (the token
 * as the WebSocket protocol) and subscribes to the monitor's channel.
 */
async function openPage(replica: Replica, token: string): Promise<Page> {
  const url = `${replica.base.replace('http', 'ws')}/api/signals`;
  const socket = await connect(url, token);
  const received: Page['received'] = [];
  let heard = () => {};
  socket.addEventListener('message', event => {
    const { channel, message } = JSON.parse(String(event.data));
    if (channel === MONITOR_SIGNAL_CHANNEL) {
      received.push(message);
      heard();
    }
  });
  socket.send(
    JSON.stringify({ action: 'subscribe', channel: MONITOR_SIGNAL_CHANNEL }),
  );
  return {
    received,
    signals: count =>
      new Promise((done, fail) => {
        const timer = setTimeout(
          () =>
            fail(
              new Error(
                `the page on replica ${replica.name} got ${
                  received.length
                } signal(s), not ${count}, in ${SIGNAL_WAIT_MS / 1000} s`,
              ),
            ),
          SIGNAL_WAIT_MS,
        );
        heard = () => {
          if (received.length >= count) {
            clearTimeout(timer);
            done();
          }
        };
        heard();
      }),
    close: () => socket.close(),
  };
}

describe('the portal as two backend replicas on one PostgreSQL', () => {
  const replicas: Replica[] = [];
  const pages: Page[] = [];
  const prefix = `replicas_${Date.now()}_`;

  afterAll(async () => {
    pages.forEach(page => page.close());
    await Promise.all(replicas.map(replica => replica.stop()));
    await dropDatabases(prefix);
  });

  it('shows a report taken by one replica on pages of both, once each, and tells its failure once', async () => {
    const config = replicaConfig(prefix);
    // One at a time: the first creates the databases and runs the migrations.
    replicas.push(await startReplica('a', config));
    replicas.push(await startReplica('b', config));
    const [a, b] = replicas;

    // A page hears another replica's reports once its replica's signals
    // plugin holds a subscription on the events bus (PostgreSQL).
    const busUrl = new URL(POSTGRES_URL!);
    busUrl.pathname = `/${prefix}events`;
    const bus = knexFactory({ client: 'pg', connection: busUrl.toString() });
    try {
      await eventually(
        'both replicas to listen on the events bus',
        async () => {
          const listening = await bus('event_bus_subscriptions')
            .where('id', 'like', 'signals.%')
            .pluck('id');
          return listening.length === 2 ? listening : undefined;
        },
      );
    } finally {
      await bus.destroy();
    }

    // Notifications go to the members of the demo's default recipient,
    // group:default/guests: wait until the catalog knows them, then sign in.
    await guestOnceKnown(a);
    const token = await guestToken(b);
    pages.push(await openPage(a, token), await openPage(b, token));
    const [onA, onB] = pages;

    await report(a, 'replica-live-a', 'error');
    await Promise.all([onB.signals(1), onA.signals(1)]);

    await report(b, 'replica-live-b', 'success');
    await Promise.all([onA.signals(2), onB.signals(2)]);

    // Each page heard of each report once, and of nothing but that jobs
    // changed and the data version they changed to: every signed-in user
    // gets the signal, readers of jobs or not, so it names no job and no
    // health. Both replicas tell the same versions, in order.
    const changed = { changed: true, version: expect.any(String) };
    for (const page of pages) {
      expect(page.received).toEqual([changed, changed]);
    }
    expect(onA.received).toEqual(onB.received);
    expect(onA.received[0].version).not.toEqual(onA.received[1].version);

    // The failure was told once, whichever replica the guest reads from.
    const failures = await eventually('the failure notification', async () => {
      const { notifications } = await getJson(b, '/api/notifications', token);
      const ours = notifications.filter((n: { payload: { link: string } }) =>
        n.payload.link.endsWith('/jobs/replica-live-a'),
      );
      return ours.length > 0 ? ours : undefined;
    });
    expect(failures).toHaveLength(1);
    expect(failures[0].payload.title).toContain('【障害】');
    // Its notice is settled, once: no replica's sweep of the outbox has it
    // left to send again. (A second send would not add a notification, it
    // having the same scope, but update this one, which would then carry an
    // update time.)
    const monitorDb = new URL(POSTGRES_URL!);
    monitorDb.pathname = `/${prefix}monitor`;
    const outbox = knexFactory({
      client: 'pg',
      connection: monitorDb.toString(),
    });
    try {
      const notices = await eventually('the notice to be settled', async () => {
        const rows = await outbox('job_notices')
          .where('job_key', 'replica-live-a')
          .pluck('delivery');
        return rows.includes('pending') ? undefined : rows;
      });
      expect(notices).toEqual(['sent']);
    } finally {
      await outbox.destroy();
    }
    const { notifications: after } = await getJson(
      b,
      '/api/notifications',
      token,
    );
    const again = after.filter((n: { id: string }) => n.id === failures[0].id);
    expect(again).toHaveLength(1);
    expect(again[0].updated ?? null).toBeNull();

    // No plugin of either replica gave the events bus up at start-up
    // (app-config.yaml: events.useEventBus: always).
    for (const replica of replicas) {
      expect(readFileSync(replica.log, 'utf8')).not.toContain(
        'events backend not found',
      );
    }
  });

  it('reminds of a failing job once per remindEvery, whichever replica checks, until it is acknowledged', async () => {
    const [a, b] = replicas;
    const token = await guestToken(a);
    await report(b, 'replica-remind', 'error');

    const monitorDb = new URL(POSTGRES_URL!);
    monitorDb.pathname = `/${prefix}monitor`;
    const db = knexFactory({ client: 'pg', connection: monitorDb.toString() });
    const notices = () =>
      db('job_notices')
        .where('job_key', 'replica-remind')
        .orderBy('id')
        .select('kind', 'delivery', 'created_at');
    try {
      await eventually('three reminders', async () => {
        const rows = await notices();
        return rows.filter(r => r.kind === 'reminder').length >= 3
          ? rows
          : undefined;
      });
      const res = await fetch(
        `${a.base}/api/monitor/jobs/replica-remind/acknowledgement`,
        {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
          },
          body: JSON.stringify({ comment: 'on it' }),
        },
      );
      expect(res.status).toBe(200);
      const atAcknowledgement = (await notices()).length;
      // Three more reminders' time: none is decided.
      await new Promise(r => setTimeout(r, 6_000));
      const rows = await eventually('every notice sent', async () => {
        const all = await notices();
        return all.every(r => r.delivery === 'sent') ? all : undefined;
      });
      expect(rows.length).toBeLessThanOrEqual(atAcknowledgement);
      expect(rows[0].kind).toBe('failure');
      // Each reminder decided once: two replicas checking never decide the
      // same one twice, so they are a remindEvery apart.
      const times = rows.map(r => new Date(r.created_at).getTime());
      for (let i = 1; i < times.length; i++) {
        expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(2_000);
      }
    } finally {
      await db.destroy();
    }
  });
});
