import { mockServices } from '@backstage/backend-test-utils';
import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { monitorTestDatabases } from '../__testUtils__/testBackend';
import { ConfigReader } from '@backstage/config';
import { readMonitorSettings } from '../config';
import { rulesFromSettings } from '../service/JobMonitor';
import { createMonitorStores, MonitorStores } from './createStores';
import { IncomingReport } from './types';

jest.setTimeout(60_000);

const databases = monitorTestDatabases();
const MINUTE = 60_000;
const T0 = new Date('2026-01-10T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * MINUTE);

const finish = (
  jobKey: string,
  minutes: number,
  overrides: Partial<IncomingReport> = {},
): IncomingReport =>
  ({
    jobKey,
    title: jobKey,
    status: 'success',
    finishedAt: at(minutes),
    receivedAt: at(minutes),
    message: `run at ${minutes}`,
    ...overrides,
  } as IncomingReport);

const TABLES = [
  'jobs',
  'job_runs',
  'job_health_changes',
  'job_attention_changes',
  'deleted_jobs',
  'monitor_state',
];

describe.each(databases.eachSupportedId())('the stores on %p', databaseId => {
  let knex: Knex;
  let stores: MonitorStores;
  let now = T0;

  beforeEach(async () => {
    knex = await databases.init(databaseId);
    now = T0;
    stores = await createMonitorStores({
      database: { getClient: async () => knex },
      logger: mockServices.logger.mock(),
      clock: { now: () => now },
      rulesFor: rulesFromSettings(
        readMonitorSettings(
          new ConfigReader({ monitor: { webhookSecret: 's' } }),
        ),
      ),
      notify: true,
      retention: { maxRunsPerJob: 3, maxAgeMs: 24 * 60 * MINUTE },
    });
  });
  afterEach(async () => {
    await knex.destroy();
  });

  describe('JobWriter', () => {
    it('writes reports that arrive together in one transaction, each answered after the commit', async () => {
      const commits: string[] = [];
      knex.on('query', ({ sql }: { sql: string }) => {
        if (/^(commit|COMMIT)/.test(sql.trim())) commits.push(sql);
      });
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          stores.writer.record(finish(`job-${i % 8}`, i), at(i)),
        ),
      );
      expect(results.every(r => r.kind === 'stored')).toBe(true);
      // The first report goes alone; the rest wait for it and go together.
      expect(commits.length).toBeGreaterThanOrEqual(1);
      expect(commits.length).toBeLessThanOrEqual(3);
      const [{ count }] = await knex('job_runs').count({ count: '*' });
      expect(Number(count)).toBe(40);
      const job = await stores.reader.getJob('job-3');
      expect(job).toMatchObject({
        message: 'run at 35',
        recentOutcomes: Array(5).fill('success'),
      });
    });

    it("keeps one job's reports in order within a batch: a start and its finish pair", async () => {
      const [started, finished] = await Promise.all([
        stores.writer.record(
          {
            jobKey: 'a',
            title: 'A',
            status: 'start',
            runId: 'r1',
            receivedAt: at(0),
            message: null,
          },
          at(0),
        ),
        stores.writer.record(finish('a', 2, { runId: 'r1' }), at(2)),
      ]);
      expect(finished).toMatchObject({
        kind: 'stored',
        id: (started as { id: string }).id,
      });
      const { runs } = await stores.reader.listRuns('a', {
        limit: 10,
        offset: 0,
      });
      expect(runs).toEqual([
        expect.objectContaining({
          status: 'success',
          durationMs: 2 * MINUTE,
          runId: 'r1',
        }),
      ]);
      // A retry counts once.
      expect(
        await stores.writer.record(finish('a', 2, { runId: 'r1' }), at(3)),
      ).toMatchObject({
        kind: 'duplicate',
        id: (started as { id: string }).id,
      });
    });

    it("writes batches of different jobs side by side where the database can, each job's reports in order", async () => {
      // Transactions open at once, as knex runs them, and the jobs each
      // locks (on PostgreSQL): no two open at once may share a job.
      const open = new Map<string, string[]>();
      let mostOpen = 0;
      const shared: string[] = [];
      knex.on('query', ({ sql, bindings, __knexTxId: tx }: any) => {
        const statement = sql.trim().toLowerCase();
        if (statement.startsWith('begin')) {
          open.set(tx, []);
          mostOpen = Math.max(mostOpen, open.size);
        } else if (/^(commit|rollback)/.test(statement)) {
          open.delete(tx);
        } else if (statement.includes('pg_advisory_xact_lock')) {
          const keys: string[] = bindings[0];
          for (const [other, theirs] of open) {
            if (other !== tx) {
              shared.push(...keys.filter(key => theirs.includes(key)));
            }
          }
          open.set(tx, keys);
        }
      });
      // 40 jobs in four groups, each job three runs of a start and its
      // finish; the groups take turns, a turn of the event loop apart, so
      // that batches start while others are being written.
      const reports: Array<Promise<{ kind: string }>> = [];
      const start = (jobKey: string, runId: string, minutes: number) =>
        stores.writer.record(
          {
            jobKey,
            title: jobKey,
            status: 'start',
            runId,
            startedAt: at(minutes),
            receivedAt: at(minutes),
            message: null,
          },
          at(minutes),
        );
      for (let step = 0; step < 24; step++) {
        const round = Math.floor(step / 8);
        const isFinish = Math.floor(step / 4) % 2 === 1;
        for (let job = step % 4; job < 40; job += 4) {
          const jobKey = `job-${job}`;
          const runId = `run-${round}`;
          reports.push(
            isFinish
              ? stores.writer.record(
                  finish(jobKey, round * 10 + 5, { runId }),
                  at(round * 10 + 5),
                )
              : start(jobKey, runId, round * 10),
          );
        }
        await new Promise(resolve => setImmediate(resolve));
      }
      const results = await Promise.all(reports);
      expect(results.every(r => r.kind === 'stored')).toBe(true);

      // Every finish found its start: no run is left open, none is stored twice.
      const runs = await knex('job_runs').select('status', 'duration_ms');
      expect(runs).toHaveLength(120);
      expect(
        runs.every(
          (r: { status: string; duration_ms: unknown }) =>
            r.status === 'success' && Number(r.duration_ms) === 5 * MINUTE,
        ),
      ).toBe(true);
      // SQLite has one writer; PostgreSQL writes up to four batches at once.
      expect(databaseId.startsWith('SQLITE') ? [1] : [2, 3, 4]).toContain(
        mostOpen,
      );
      expect(shared).toEqual([]);
    });

    it('fails a report of a deleted job alone, not its batch', async () => {
      await stores.writer.record(finish('gone', 0), at(0));
      now = at(1);
      expect(
        await stores.attention.deleteJob('gone', 'user:default/ops', at(1)),
      ).toBe(true);
      const results = await Promise.all([
        stores.writer.record(finish('kept', 1), at(2)),
        stores.writer.record(finish('gone', 0, { receivedAt: at(2) }), at(2)),
        stores.writer.record(finish('kept', 2), at(2)),
      ]);
      expect(results.map(r => r.kind)).toEqual(['stored', 'deleted', 'stored']);
      expect(await stores.reader.getJob('gone')).toBeUndefined();
      // A run after the deletion brings the job back.
      expect((await stores.writer.record(finish('gone', 5), at(5))).kind).toBe(
        'stored',
      );
    });

    it('marks a change of health to tell in the outbox, in the same transaction', async () => {
      await stores.writer.record(finish('a', 0), at(0));
      const failed = await stores.writer.record(
        finish('a', 1, { status: 'error' }),
        at(1),
      );
      expect(failed).toMatchObject({
        kind: 'stored',
        change: { from: 'ok', to: 'error' },
      });
      const pending = await stores.outbox.claim(at(1), 10, MINUTE);
      expect(pending).toEqual([
        expect.objectContaining({
          change: expect.objectContaining({
            jobKey: 'a',
            from: 'ok',
            to: 'error',
          }),
          job: expect.objectContaining({ health: 'error' }),
        }),
      ]);
    });

    it('reads the run facts of a job written before they were kept, once', async () => {
      await stores.writer.record(finish('old', 0, { status: 'error' }), at(0));
      await stores.writer.record(finish('old', 1, { status: 'error' }), at(1));
      await knex('jobs').update({ recent_runs: null, open_runs: null });
      const result = await stores.writer.record(finish('old', 2), at(2));
      expect(result).toMatchObject({
        job: { recentOutcomes: ['success', 'error', 'error'] },
      });
      const row = await knex('jobs').where('job_key', 'old').first();
      expect(JSON.parse(row.recent_runs)).toHaveLength(3);
    });
  });

  describe('JobReader', () => {
    it('reads many jobs by key in one query per 500 keys, leaving out the unknown', async () => {
      for (const [i, key] of ['a', 'b', 'c'].entries()) {
        await stores.writer.record(finish(key, i), at(i));
      }
      const queries: string[] = [];
      knex.on('query', ({ sql }: { sql: string }) => queries.push(sql));
      const asked = [
        'c',
        'a',
        'a',
        ...Array.from({ length: 998 }, (_, i) => `unknown-${i}`),
      ];

      const jobs = await stores.reader.getJobs(asked);

      expect([...jobs.keys()].sort()).toEqual(['a', 'c']);
      expect(jobs.get('c')).toMatchObject({ jobKey: 'c', message: 'run at 2' });
      // 1,000 distinct keys: two queries.
      expect(queries.filter(sql => /from .jobs./i.test(sql))).toHaveLength(2);
    });

    it('counts failing jobs nobody took on, and filters the list', async () => {
      await Promise.all([
        stores.writer.record(finish('fine', 0), at(0)),
        stores.writer.record(finish('broken', 0, { status: 'error' }), at(0)),
        stores.writer.record(finish('muted', 0, { status: 'error' }), at(0)),
      ]);
      await stores.attention.mute(
        'muted',
        { by: 'user:default/ops', until: at(60), reason: 'known' },
        at(1),
      );
      expect(await stores.reader.summary(at(2))).toMatchObject({
        failingUnattended: 1,
        total: 3,
        byHealth: { ok: 1, error: 2 },
        muted: 1,
      });
      // The mute ends by itself.
      expect((await stores.reader.summary(at(61))).failingUnattended).toBe(2);
      const { items, totalCount } = await stores.reader.listJobs({
        health: ['error'],
        limit: 10,
        offset: 0,
      } as never);
      expect(totalCount).toBe(2);
      expect(items.map(j => j.jobKey).sort()).toEqual(['broken', 'muted']);
    });
  });

  describe('AttentionStore', () => {
    it('acknowledges only a failing job, and forgets it at the next change of health', async () => {
      await stores.writer.record(finish('a', 0), at(0));
      await expect(
        stores.attention.acknowledge(
          'a',
          { by: 'user:default/ops', comment: 'ok?' },
          at(1),
        ),
      ).rejects.toThrow(ConflictError);
      await stores.writer.record(finish('a', 1, { status: 'error' }), at(1));
      expect(
        await stores.attention.acknowledge(
          'a',
          { by: 'user:default/ops', comment: 'looking' },
          at(2),
        ),
      ).toMatchObject({
        acknowledgement: { by: 'user:default/ops', comment: 'looking' },
      });
      const recovered = await stores.writer.record(finish('a', 3), at(3));
      expect(recovered).toMatchObject({ job: { acknowledgement: null } });
    });

    it('deletes a job with its history, leaving a tombstone', async () => {
      await stores.writer.record(finish('a', 0), at(0));
      expect(
        await stores.attention.deleteJob('a', 'user:default/ops', at(1)),
      ).toBe(true);
      expect(
        await stores.attention.deleteJob('a', 'user:default/ops', at(1)),
      ).toBe(false);
      const [{ count }] = await knex('job_runs').count({ count: '*' });
      expect(Number(count)).toBe(0);
      expect(
        await knex('deleted_jobs').where('job_key', 'a').first(),
      ).toBeTruthy();
    });
  });

  describe('ConfiguredJobs', () => {
    it('makes configured jobs known and due, and reads run facts again when the rules change', async () => {
      await stores.writer.record(finish('a', 0), at(0));
      await stores.configured.sync(
        [
          {
            jobKey: 'nightly',
            title: 'Nightly',
            entityRef: 'component:default/x',
          },
        ],
        at(1),
        'rules-1',
      );
      expect(await stores.reader.getJob('nightly')).toMatchObject({
        title: 'Nightly',
        entityRef: 'component:default/x',
        nextCheckAt: at(1),
      });
      await stores.configured.sync([], at(2), 'rules-2');
      const row = await knex('jobs').where('job_key', 'a').first();
      expect(row.recent_runs).toBeNull();
      expect(await stores.reader.dueJobKeys(at(2), 10)).toEqual(
        expect.arrayContaining(['a', 'nightly']),
      );
    });
  });

  describe('HistoryCleaner', () => {
    it("prunes by count and age, never the run a job's row shows", async () => {
      for (let i = 0; i < 5; i++) {
        await stores.writer.record(finish('a', i), at(i));
      }
      // A late report of an old run: the latest by finish stays the latest.
      await stores.writer.record(finish('b', 10), at(10));
      await stores.writer.record(
        finish('b', 1, { receivedAt: at(11) }),
        at(11),
      );
      now = at(3 * 24 * 60);
      const pruned = await stores.cleaner.prune();
      expect(pruned.runs).toBe(5);
      for (const jobKey of ['a', 'b']) {
        const job = (await stores.reader.getJob(jobKey))!;
        const { runs } = await stores.reader.listRuns(jobKey, {
          limit: 10,
          offset: 0,
        });
        expect(runs.map(r => r.id)).toEqual([job.lastRunId]);
      }
    });
  });

  describe('NotificationOutbox', () => {
    it('lets one sender claim a change at a time, until its claim runs out', async () => {
      await stores.writer.record(finish('a', 0, { status: 'error' }), at(0));
      const [notice] = await stores.outbox.claim(at(0), 10, MINUTE);
      expect(notice).toBeDefined();
      expect(await stores.outbox.claim(at(0.5), 10, MINUTE)).toEqual([]);
      expect(await stores.outbox.claim(at(2), 10, MINUTE)).toHaveLength(1);
      await stores.outbox.settle([notice.id], 'sent', at(2));
      expect(await stores.outbox.claim(at(5), 10, MINUTE)).toEqual([]);
      expect(await stores.outbox.pendingCount()).toBe(0);
    });
  });
});

describe.each(databases.eachSupportedId())(
  'the migrations on %p',
  databaseId => {
    it('run up and all the way down again, and up again', async () => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@tc-portal/plugin-monitor-backend',
        'migrations',
      );
      try {
        await knex.migrate.latest({ directory });
        for (const table of TABLES) {
          expect(await knex.schema.hasTable(table)).toBe(true);
        }
        expect(await knex.schema.hasColumn('jobs', 'recent_runs')).toBe(true);
        expect(
          await knex.schema.hasColumn('job_health_changes', 'delivery'),
        ).toBe(true);
        await knex.migrate.rollback({ directory }, true);
        for (const table of TABLES) {
          expect(await knex.schema.hasTable(table)).toBe(false);
        }
        await knex.migrate.latest({ directory });
        expect(
          await knex.schema.hasColumn('job_health_changes', 'claimed_until'),
        ).toBe(true);
      } finally {
        await knex.destroy();
      }
    });

    it('keep the data and the indexes through the renames of 2026-12-01', async () => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@tc-portal/plugin-monitor-backend',
        'migrations',
      );
      const indexes = async (table: string) =>
        (knex.client.config.client === 'pg'
          ? await knex('pg_indexes')
              .where('tablename', table)
              .pluck('indexname')
          : await knex('sqlite_master')
              .where({ type: 'index', tbl_name: table })
              .whereNotNull('sql')
              .pluck('name')
        ).sort();
      try {
        // Up to the migration before the renames.
        for (let i = 0; i < 4; i++) {
          await knex.migrate.up({ directory });
        }
        const [done] = await knex.migrate.list({ directory });
        expect(done.at(-1).name).toBe('20261130120000_job_facts_and_outbox.js');
        const now = new Date('2026-11-30T00:00:00Z');
        await knex('jobs').insert({
          job_key: 'a',
          title: 'A',
          created_at: now,
          health: 'error',
          health_since: now,
          status: 'error',
        });
        await knex('job_status_changes').insert({
          job_key: 'a',
          from_health: 'ok',
          to_health: 'error',
          reason: 'the latest run failed',
          changed_at: now,
        });
        const jobIndexes = await indexes('jobs');

        await knex.migrate.up({ directory });
        expect(await knex('jobs').pluck('latest_outcome')).toEqual(['error']);
        expect(await knex('job_health_changes').pluck('to_health')).toEqual([
          'error',
        ]);
        expect(await knex.schema.hasTable('job_status_changes')).toBe(false);
        expect(await indexes('job_health_changes')).toEqual(
          expect.arrayContaining([
            'job_health_changes_changed_at_idx',
            'job_health_changes_delivery_idx',
            'job_health_changes_job_idx',
          ]),
        );
        expect(await indexes('jobs')).toEqual(
          jobIndexes
            .map(name =>
              name === 'jobs_status_idx' ? 'jobs_latest_outcome_idx' : name,
            )
            .sort(),
        );
        expect(jobIndexes).toContain('jobs_status_idx');
        // New changes still get ids after the renames.
        await knex('job_health_changes').insert({
          job_key: 'a',
          from_health: 'error',
          to_health: 'ok',
          reason: 'the latest run succeeded',
          changed_at: now,
        });
        expect(await knex('job_health_changes').pluck('id')).toHaveLength(2);

        await knex.migrate.down({ directory });
        expect(await knex('jobs').pluck('status')).toEqual(['error']);
        expect(await knex('job_status_changes').pluck('to_health')).toEqual([
          'error',
          'ok',
        ]);
        expect(await indexes('jobs')).toEqual(jobIndexes);
        expect(await indexes('job_status_changes')).toEqual(
          expect.arrayContaining([
            'job_status_changes_changed_at_idx',
            'job_status_changes_delivery_idx',
            'job_status_changes_job_idx',
          ]),
        );
      } finally {
        await knex.destroy();
      }
    });
  },
);
