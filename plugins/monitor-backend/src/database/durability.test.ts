import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import knexFactory, { Knex } from 'knex';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readMonitorSettings } from '../config';
import { rulesFromSettings } from '../service/JobMonitor';
import { createMonitorStores } from './createStores';

const settings = readMonitorSettings(
  new ConfigReader({ monitor: { webhookSecret: 's' } }),
);

async function storesOn(knex: Knex) {
  return createMonitorStores({
    database: { getClient: async () => knex },
    logger: mockServices.logger.mock(),
    clock: { now: () => new Date() },
    rulesFor: rulesFromSettings(settings),
    notify: false,
    retention: settings.retention,
  });
}

const pragma = async (knex: Knex, name: string) =>
  Object.values((await knex.raw(`pragma ${name}`))[0])[0];

describe('a SQLite file', () => {
  it('is written ahead and synced at every commit, on every connection the pool opens', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: {
        filename: join(mkdtempSync(join(tmpdir(), 'monitor-sqlite-')), 'm.db'),
      },
      useNullAsDefault: true,
      // Connections are let go when idle, so a later query opens a new one.
      pool: { min: 0, max: 1, idleTimeoutMillis: 50, reapIntervalMillis: 20 },
    });
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
