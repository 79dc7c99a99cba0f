import { ConflictError } from '@backstage/errors';
import { Knex } from 'knex';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  createTestStores,
  monitorTestDatabases,
  testDatabase,
} from '../__testUtils__/testBackend';
import { MonitorStores } from './createStores';
import {
  isMuteActive,
  JOB_HEALTHS,
  needsAttention,
} from '@tc-portal/plugin-monitor-common';
import fc from 'fast-check';
import { newJob } from '../health/decide';
import { IncomingReport, JobRecord } from '../health/types';
import { jobFromRow, rowFromState } from './rows';
import { summaryAt } from './summaryFacts';

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
  'job_catalog_links',
  'job_notices',
  'job_counts',
];

describe.each(databases.eachSupportedId())('the stores on %p', databaseId => {
  let knex: Knex;
  let stores: MonitorStores;
  /** The monitor's clock, as the summary reads it. */
  let clockNow = T0;

  beforeEach(async () => {
    knex = await testDatabase(databases, databaseId);
    stores = await createTestStores(knex, () => clockNow);
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
        noticed: true,
      });
      // A run that changes nothing to tell leaves no notice to send.
      await expect(
        stores.writer.record(finish('a', 2, { status: 'error' }), at(2)),
      ).resolves.toMatchObject({ kind: 'stored', noticed: false });
      // Whom to tell and how urgently were decided with the change.
      const pending = await stores.outbox.claim(at(1), 10, MINUTE);
      expect(pending).toEqual([
        expect.objectContaining({
          kind: 'failure',
          severity: 'high',
          recipients: ['group:default/ops'],
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

  describe('DataVersion', () => {
    it('takes a version after a report is committed, and has readers wait for it', async () => {
      const before = await stores.version.known();
      // Counted at the version before: the reader must count again.
      expect((await stores.summaries.get()).totalCount).toBe(0);
      // Nothing is taken until the report is committed.
      let versionTaken = false;
      knex.on('query', ({ sql }: { sql: string }) => {
        if (/nextval/.test(sql)) versionTaken = true;
      });
      const result = await stores.writer.record(finish('job-v', 1), at(1));
      expect(result.kind).toBe('stored');
      const after = await stores.version.known();
      expect(after).not.toBe(before);
      // PostgreSQL takes it from a sequence, SQLite counts it here.
      expect(versionTaken).toBe(databaseId.startsWith('POSTGRES'));
      const [identity, number] = after.split('.');
      expect(before.startsWith(`${identity}.`)).toBe(true);
      expect(Number(number)).toBeGreaterThan(Number(before.split('.')[1]));
      // What a reader reads at that version holds the report.
      expect(await stores.summaries.get()).toMatchObject({
        totalCount: 1,
        version: after,
      });
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
      expect(
        summaryAt(await stores.reader.summaryFacts(at(2)), at(2)),
      ).toMatchObject({
        attentionCount: 1,
        totalCount: 3,
        byHealth: { ok: 1, error: 2 },
        mutedCount: 1,
      });
      // The list of the jobs that need attention is what the badge counts.
      const attention = (time: Date, value: boolean) =>
        stores.reader.listJobs(
          { attention: value, limit: 10, offset: 0 } as never,
          time,
        );
      expect((await attention(at(2), true)).items.map(j => j.jobKey)).toEqual([
        'broken',
      ]);
      expect(
        (await attention(at(2), false)).items.map(j => j.jobKey).sort(),
      ).toEqual(['fine', 'muted']);
      // The mute ends by itself.
      expect(
        summaryAt(await stores.reader.summaryFacts(at(2)), at(61))
          .attentionCount,
      ).toBe(2);
      expect((await attention(at(61), true)).totalCount).toBe(2);
      const { items, totalCount } = await stores.reader.listJobs(
        { health: ['error'], limit: 10, offset: 0 } as never,
        at(61),
      );
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

  describe('the attention rule in SQL', () => {
    it('lists and counts exactly the jobs the common needsAttention picks, mutes, maintenance windows and upstream failures included', async () => {
      const now = at(60);
      const mutes = {
        none: null,
        ended: at(30),
        endsNow: now,
        holds: at(90),
      } as const;
      const jobArbitrary = fc.record({
        health: fc.constantFrom(...JOB_HEALTHS),
        acknowledged: fc.boolean(),
        mute: fc.constantFrom(
          ...(Object.keys(mutes) as Array<keyof typeof mutes>),
        ),
        maintenance: fc.constantFrom(
          ...(Object.keys(mutes) as Array<keyof typeof mutes>),
        ),
        upstream: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.array(jobArbitrary, { minLength: 1, maxLength: 12 }),
          async drawn => {
            await knex('jobs').delete();
            const jobs = drawn.map((d, i) => {
              const until = mutes[d.mute];
              return {
                ...newJob(`job-${i}`, 'ジョブ', T0),
                health: d.health,
                acknowledgement: d.acknowledged
                  ? { by: 'user:default/ops', at: T0, comment: 'x' }
                  : null,
                mute: until && {
                  by: 'user:default/ops',
                  at: T0,
                  until,
                  reason: 'x',
                },
                maintenance: mutes[d.maintenance] && {
                  until: mutes[d.maintenance]!,
                  reason: '保守',
                },
                upstream: d.upstream
                  ? { jobKey: 'export', title: 'エクスポート' }
                  : null,
              };
            });
            await knex('jobs').insert(jobs.map(rowFromState));
            const expected = jobs
              .filter(job => needsAttention(job, now))
              .map(job => job.jobKey)
              .sort();
            const listed = await stores.reader.listJobs(
              { attention: true, limit: 100, offset: 0 } as never,
              now,
            );
            const others = await stores.reader.listJobs(
              { attention: false, limit: 100, offset: 0 } as never,
              now,
            );
            expect(listed.items.map(job => job.jobKey).sort()).toEqual(
              expected,
            );
            expect(listed.totalCount + others.totalCount).toBe(jobs.length);
            expect(
              summaryAt(await stores.reader.summaryFacts(now), now)
                .attentionCount,
            ).toBe(expected.length);
          },
        ),
        { numRuns: 25 },
      );
    });
  });

  describe('SummaryCache', () => {
    const fullCount = (jobs: JobRecord[], now: Date) => ({
      attentionCount: jobs.filter(j => needsAttention(j, now)).length,
      totalCount: jobs.length,
      acknowledgedCount: jobs.filter(j => j.acknowledgement).length,
      mutedCount: jobs.filter(j => isMuteActive(j.mute, now)).length,
    });

    it('serves from memory exactly what a full count gives, after any reports, checks, acknowledgements, mutes, expiries and deletions', async () => {
      type Step =
        | { kind: 'report'; job: number; status: 'success' | 'error' }
        | { kind: 'schedule'; job: number }
        | { kind: 'check' }
        | {
            kind: 'acknowledge' | 'unacknowledge' | 'unmute' | 'delete';
            job: number;
          }
        | { kind: 'mute'; job: number; minutes: number }
        | { kind: 'wait'; minutes: number };
      const job = fc.integer({ min: 0, max: 4 });
      const step: fc.Arbitrary<Step> = fc.oneof(
        fc.record({
          kind: fc.constant('report' as const),
          job,
          // Failures twice as often: a job must fail to be acknowledged.
          status: fc.constantFrom(
            'success' as const,
            'error' as const,
            'error' as const,
          ),
        }),
        fc.record({ kind: fc.constant('schedule' as const), job }),
        fc.record({ kind: fc.constant('check' as const) }),
        fc.record({
          kind: fc.constantFrom(
            'acknowledge' as const,
            'unacknowledge' as const,
            'unmute' as const,
            'delete' as const,
          ),
          job,
        }),
        fc.record({
          kind: fc.constant('mute' as const),
          job,
          minutes: fc.integer({ min: 1, max: 30 }),
        }),
        fc.record({
          kind: fc.constant('wait' as const),
          minutes: fc.integer({ min: 1, max: 40 }),
        }),
      );
      let minute = 0;
      const run = async (s: Step) => {
        const key = 'job' in s ? `job-${s.job}` : '';
        const by = 'user:default/ops';
        switch (s.kind) {
          case 'report':
            minute += 1;
            await stores.writer.record(
              finish(key, minute, { status: s.status, receivedAt: clockNow }),
              clockNow,
            );
            return;
          case 'schedule':
            minute += 1;
            await stores.writer.record(
              finish(key, minute, {
                receivedAt: clockNow,
                expectation: {
                  schedule: { kind: 'interval', everyMs: 10 * MINUTE },
                  graceMs: MINUTE,
                },
              }),
              clockNow,
            );
            return;
          case 'check':
            for (const due of await stores.reader.dueJobKeys(clockNow, 100)) {
              await stores.writer.check(due, clockNow);
            }
            return;
          case 'acknowledge':
            await stores.attention
              .acknowledge(key, { by, comment: 'x' }, clockNow)
              .catch(() => undefined); // only a failing job
            return;
          case 'unacknowledge':
            await stores.attention.clearAcknowledgement(key, by, clockNow);
            return;
          case 'mute':
            await stores.attention.mute(
              key,
              {
                by,
                until: new Date(clockNow.getTime() + s.minutes * MINUTE),
                reason: 'x',
              },
              clockNow,
            );
            return;
          case 'unmute':
            await stores.attention.unmute(key, by, clockNow);
            return;
          case 'delete':
            await stores.attention.deleteJob(key, by, clockNow);
            return;
          default:
            clockNow = new Date(clockNow.getTime() + s.minutes * MINUTE);
        }
      };
      await fc.assert(
        fc.asyncProperty(
          fc.array(step, { minLength: 1, maxLength: 25 }),
          async steps => {
            for (const s of steps) {
              await run(s);
              // A full count: every job, by the common rules.
              const jobs = (await knex('jobs')).map(jobFromRow);
              expect(await stores.summaries.get()).toMatchObject(
                fullCount(jobs, clockNow),
              );
              // The list of every job counts them as the summary does.
              const list = await stores.reader.listJobs(
                { limit: 1, offset: 0 } as never,
                clockNow,
              );
              expect(list.totalCount).toBe(jobs.length);
            }
          },
        ),
        { numRuns: 15 },
      );
    });
  });

  describe('CatalogLinks', () => {
    it("links jobs to the catalog's entity, and lets them fall back when the catalog lets go", async () => {
      const entityOf = async (jobKey: string) => {
        const job = await stores.reader.getJob(jobKey);
        return [job?.entityRef, job?.entitySource];
      };
      await stores.writer.record(
        finish('reported', 0, { entityRef: 'component:default/a' }),
        at(0),
      );
      await stores.writer.record(finish('plain', 0), at(0));

      const links = new Map([
        ['reported', 'component:default/b'],
        ['plain', 'component:default/b'],
        ['not-yet', 'component:default/c'],
      ]);
      expect(await stores.catalogLinks.replace(links, new Map(), at(3))).toBe(
        2,
      );
      expect(await entityOf('reported')).toEqual([
        'component:default/b',
        'catalog',
      ]);
      // Its reports name another entity: the catalog's still wins.
      await stores.writer.record(
        finish('reported', 1, { entityRef: 'component:default/d' }),
        at(1),
      );
      expect(await entityOf('reported')).toEqual([
        'component:default/b',
        'catalog',
      ]);
      // A job the catalog names before it first reports is linked at once.
      await stores.writer.record(finish('not-yet', 2), at(2));
      expect(await entityOf('not-yet')).toEqual([
        'component:default/c',
        'catalog',
      ]);
      // Read again unchanged: nothing to change.
      expect(await stores.catalogLinks.replace(links, new Map(), at(3))).toBe(
        0,
      );

      // The annotations let go: back to what the reports said, or nothing.
      expect(
        await stores.catalogLinks.replace(new Map(), new Map(), at(3)),
      ).toBe(3);
      expect(await entityOf('reported')).toEqual([
        'component:default/d',
        'report',
      ]);
      expect(await entityOf('plain')).toEqual([null, null]);
      expect(await entityOf('not-yet')).toEqual([null, null]);
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
      const pruned = await stores.cleaner.prune(at(3 * 24 * 60));
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
  'the migration on %p',
  databaseId => {
    it('runs up, all the way down again, and up again, with the indexes the queries use', async () => {
      const knex = await databases.init(databaseId);
      const directory = resolvePackagePath(
        '@tc-portal/plugin-monitor-backend',
        'migrations',
      );
      const indexes = async (table: string) =>
        (knex.client.config.client === 'pg'
          ? await knex('pg_indexes')
              .where('tablename', table)
              .whereNot('indexname', 'like', '%_pkey')
              .pluck('indexname')
          : await knex('sqlite_master')
              .where({ type: 'index', tbl_name: table })
              .whereNotNull('sql')
              .pluck('name')
        ).sort();
      try {
        for (let round = 0; round < 2; round++) {
          await knex.migrate.latest({ directory });
          for (const table of TABLES) {
            expect(await knex.schema.hasTable(table)).toBe(true);
          }
          expect(await indexes('jobs')).toEqual([
            'jobs_acknowledged_at_idx',
            'jobs_entity_ref_idx',
            'jobs_finished_at_idx',
            'jobs_health_idx',
            // The text search's trigrams; SQLite keeps them in jobs_search.
            ...(databaseId.startsWith('POSTGRES')
              ? ['jobs_job_key_trgm_idx']
              : []),
            'jobs_latest_outcome_idx',
            'jobs_list_order_idx',
            'jobs_maintenance_until_idx',
            'jobs_muted_until_idx',
            'jobs_next_check_at_idx',
            ...(databaseId.startsWith('POSTGRES')
              ? ['jobs_title_trgm_idx']
              : []),
            'jobs_with_dependencies_idx',
          ]);
          expect(await indexes('job_notices')).toEqual([
            'job_notices_created_at_idx',
            'job_notices_delivery_idx',
          ]);
          // Ids are handed out.
          const now = new Date('2026-11-30T00:00:00Z');
          await knex('job_health_changes').insert(
            [1, 2].map(() => ({
              job_key: 'a',
              from_health: 'ok',
              to_health: 'error',
              reason: '{}',
              changed_at: now,
            })),
          );
          expect(
            new Set(await knex('job_health_changes').pluck('id')).size,
          ).toBe(2);

          await knex.migrate.rollback({ directory }, true);
          for (const table of TABLES) {
            expect(await knex.schema.hasTable(table)).toBe(false);
          }
        }
      } finally {
        await knex.destroy();
      }
    });
  },
);
