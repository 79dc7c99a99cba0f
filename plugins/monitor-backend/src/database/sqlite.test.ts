import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import knexFactory, { Knex } from 'knex';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobConfigOf, readMonitorSettings } from '../config';
import { createMonitorStores } from './createStores';
import { newJob } from '../health/decide';
import { rowFromState } from './rows';

const settings = readMonitorSettings(
  new ConfigReader({
    monitor: { webhookSecret: 's', notifications: { enabled: false } },
  }),
);

/** What each test's stores run beside the queries, stopped after it. */
let started: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(started.map(stop => stop()));
  started = [];
});

async function storesOn(knex: Knex) {
  const stores = await createMonitorStores({
    database: { getClient: async () => knex },
    logger: mockServices.logger.mock(),
    configOf: jobConfigOf(settings),
    retention: settings.retention,
    now: () => new Date(),
  });
  started.push(() => stores.stop());
  return stores;
}

const pragma = async (knex: Knex, name: string) =>
  Object.values((await knex.raw(`pragma ${name}`))[0])[0];

/**
 * A new SQLite file, whose connection is let go when idle, so that a later
 * query opens a new one.
 */
const fileDatabase = () =>
  knexFactory({
    client: 'better-sqlite3',
    connection: {
      filename: join(mkdtempSync(join(tmpdir(), 'monitor-sqlite-')), 'm.db'),
    },
    useNullAsDefault: true,
    pool: { min: 0, max: 1, idleTimeoutMillis: 50, reapIntervalMillis: 20 },
  });

describe('a SQLite file', () => {
  it('is written ahead and synced at every commit, on every connection the pool opens', async () => {
    const knex = fileDatabase();
    try {
      await storesOn(knex);
      expect(await pragma(knex, 'journal_mode')).toBe('wal');
      expect(await pragma(knex, 'synchronous')).toBe(2); // FULL
      await new Promise(r => setTimeout(r, 300));
      expect(await pragma(knex, 'synchronous')).toBe(2);
    } finally {
      await knex.destroy();
    }
  });

  it('keeps its prepared statements for reuse, on every connection the pool opens', async () => {
    const knex = fileDatabase();
    const connection = async () => {
      const open = await knex.client.acquireConnection();
      await knex.client.releaseConnection(open);
      return open;
    };
    try {
      await storesOn(knex);
      for (const round of [1, 2]) {
        const open = await connection();
        const statement = open.prepare('select count(*) as n from jobs');
        expect(open.prepare('select count(*) as n from jobs')).toBe(statement);
        // Still the database's answer, with its values bound at each run.
        await knex('jobs').insert(
          rowFromState(newJob(`job-${round}`, 'ジョブ', new Date())),
        );
        expect(
          await knex('jobs').where('job_key', `job-${round}`).pluck('title'),
        ).toEqual(['ジョブ']);
        expect(statement.get()).toEqual({ n: round });
        // A new connection after this one is let go.
        await new Promise(r => setTimeout(r, 300));
        expect(await connection()).not.toBe(open);
      }

      // No more than a thousand: the least recently used go first.
      const open = await connection();
      const first = open.prepare('select 0');
      for (let i = 1; i <= 1000; i++) {
        open.prepare(`select ${i}`);
      }
      expect(open.prepare('select 1000')).toBe(open.prepare('select 1000'));
      expect(open.prepare('select 0')).not.toBe(first);
    } finally {
      await knex.destroy();
    }
  });

  it('has its write-ahead log checkpointed apart from the commits', async () => {
    const filename = join(
      mkdtempSync(join(tmpdir(), 'monitor-sqlite-')),
      'm.db',
    );
    // One connection, kept open: a last connection's close checkpoints too.
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
    });
    try {
      const stores = await storesOn(knex);
      // A commit checkpoints the log itself only when it is this big.
      expect(await pragma(knex, 'wal_autocheckpoint')).toBe(16_000);
      // Migrated: the pages are in the file. Wait for a quiet log.
      await new Promise(r => setTimeout(r, 500));
      const before = statSync(filename).size;
      for (let i = 0; i < 50; i++) {
        await stores.writer.record(
          {
            jobKey: `job-${i}`,
            title: 'ジョブ'.repeat(50),
            status: 'success',
            finishedAt: new Date(),
            receivedAt: new Date(),
            message: 'x'.repeat(2000),
          } as any,
          new Date(),
        );
      }
      // The new pages reach the file without a commit having checkpointed
      // them (the log is far below 16,000 pages).
      const deadline = Date.now() + 5_000;
      while (statSync(filename).size <= before && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 50));
      }
      expect(statSync(filename).size).toBeGreaterThan(before);
    } finally {
      await knex.destroy();
    }
  });

  it('in memory (the demo portal) is left as it is', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: ':memory:' },
      useNullAsDefault: true,
    });
    try {
      await storesOn(knex);
      expect(await pragma(knex, 'journal_mode')).toBe('memory');
    } finally {
      await knex.destroy();
    }
  });
});
