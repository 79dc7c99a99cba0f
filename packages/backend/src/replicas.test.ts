/*
 * The demo portal's backend as two replicas on one PostgreSQL, each in a
 * process of its own, as a portal runs behind a load balancer: a report
 * taken by one replica reaches a page connected to the other as a live
 * update, once. The page is a WebSocket client signed in as the guest, as
 * the frontend's signals client connects.
 */
import { readFileSync } from 'node:fs';
import knexFactory from 'knex';
import {
  MONITOR_SIGNAL_CHANNEL,
  MonitorJobChange,
  MonitorJobSignal,
} from '@tc-portal/plugin-monitor-common';
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
  /** The changes of jobs this page has heard of, in order. */
  received: MonitorJobChange[];
  /** Resolves once a signal for `jobKey` has arrived. */
  signalFor(jobKey: string): Promise<void>;
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
  const waiting = new Map<string, () => void>();
  socket.addEventListener('message', event => {
    const { channel, message } = JSON.parse(String(event.data));
    if (channel === MONITOR_SIGNAL_CHANNEL) {
      for (const change of (message as MonitorJobSignal).jobs) {
        received.push(change);
        waiting.get(change.jobKey)?.();
      }
    }
  });
  socket.send(
    JSON.stringify({ action: 'subscribe', channel: MONITOR_SIGNAL_CHANNEL }),
  );
  return {
    received,
    signalFor: jobKey =>
      received.some(m => m.jobKey === jobKey)
        ? Promise.resolve()
        : new Promise((done, fail) => {
            const timer = setTimeout(
              () =>
                fail(
                  new Error(
                    `the page on replica ${
                      replica.name
                    } got no signal for ${jobKey} in ${
                      SIGNAL_WAIT_MS / 1000
                    } s; it got ${JSON.stringify(received)}`,
                  ),
                ),
              SIGNAL_WAIT_MS,
            );
            waiting.set(jobKey, () => {
              clearTimeout(timer);
              done();
            });
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
    await Promise.all([
      onB.signalFor('replica-live-a'),
      onA.signalFor('replica-live-a'),
    ]);

    await report(b, 'replica-live-b', 'success');
    await Promise.all([
      onA.signalFor('replica-live-b'),
      onB.signalFor('replica-live-b'),
    ]);

    // Each page saw each report's update once, in the order they were sent.
    for (const page of pages) {
      const ours = page.received.filter(m => m.jobKey.startsWith('replica-'));
      expect(ours.map(m => m.jobKey)).toEqual([
        'replica-live-a',
        'replica-live-b',
      ]);
    }
    expect(onB.received).toContainEqual({
      jobKey: 'replica-live-a',
      health: 'error',
    });

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
    // A second send of the same change, by either replica's next sweep of
    // the outbox (every 15 s), would not add a notification (same scope) but
    // update this one, which would then carry an update time.
    await new Promise(r => setTimeout(r, 16_000));
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
});
