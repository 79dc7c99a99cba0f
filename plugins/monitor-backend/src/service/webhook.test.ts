import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  monitorTestDatabases,
  postReport,
  specReport,
  startMonitorBackend,
  TEST_SECRET,
} from '../__testUtils__/testBackend';
import { DEFAULTS } from '../config';

jest.setTimeout(60_000);

const databases = monitorTestDatabases();

describe.each(databases.eachSupportedId())(
  'POST /api/monitor/job-report on %p',
  databaseId => {
    async function start(config?: Parameters<typeof startMonitorBackend>[2]) {
      return startMonitorBackend(databases, databaseId, config);
    }

    async function getJob(server: any, jobKey: string) {
      return request(server).get(
        `/api/monitor/jobs/${encodeURIComponent(jobKey)}`,
      );
    }

    it('accepts the snippet report and answers as the original did', async () => {
      const { server } = await start();

      const res = await postReport(server, specReport());

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        id: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        ),
        job_key: 'daily-price-sync',
      });

      const job = await getJob(server, 'daily-price-sync');
      expect(job.status).toBe(200);
      expect(job.body.job).toMatchObject({
        jobKey: 'daily-price-sync',
        health: 'ok',
        title: '価格同期処理',
        latestOutcome: 'success',
        finishedAt: '2024-01-25T10:00:00.123Z',
        receivedAt: expect.any(String),
        message: '処理完了',
      });
      expect(job.body.runs.map((r: any) => r.id)).toEqual([res.body.id]);
    });

    it("stores the time the report was received, by the portal's clock", async () => {
      const { server, clock } = await start();
      clock.set('2026-01-10T10:00:00.250Z');
      await postReport(server, specReport()).expect(200);

      const { body } = await getJob(server, 'daily-price-sync');
      expect(body.job.receivedAt).toBe('2026-01-10T10:00:00.250Z');
      expect(body.runs[0].receivedAt).toBe('2026-01-10T10:00:00.250Z');
    });

    it.each([
      ['Z', '2024-01-25T10:00:00Z', '2024-01-25T10:00:00.000Z'],
      ['an offset', '2024-01-25T19:00:00+09:00', '2024-01-25T10:00:00.000Z'],
      [
        "PowerShell's round-trip format",
        '2024-01-25T10:00:00.1234567Z',
        '2024-01-25T10:00:00.123Z',
      ],
    ])('accepts finished_at with %s', async (_name, finishedAt, stored) => {
      const { server } = await start();
      await postReport(server, specReport({ finished_at: finishedAt })).expect(
        200,
      );
      const { body } = await getJob(server, 'daily-price-sync');
      expect(body.job.finishedAt).toBe(stored);
    });

    it.each([
      ['null', { message: null }],
      ['missing', { message: undefined }],
    ])('accepts a %s message', async (_name, overrides) => {
      const { server } = await start();
      await postReport(server, specReport(overrides)).expect(200);
      const { body } = await getJob(server, 'daily-price-sync');
      expect(body.job.message).toBeNull();
    });

    it('ignores fields it does not know', async () => {
      const { server } = await start();
      await postReport(server, specReport({ hostname: 'batch-01' })).expect(
        200,
      );
      const { body } = await getJob(server, 'daily-price-sync');
      expect(body.job.title).toBe('価格同期処理');
      expect(body.runs[0].host).toBeNull();
    });

    it.each([
      ['job_key', { job_key: undefined }, 'job_key is required'],
      ['title', { title: undefined }, 'title is required'],
      ['status', { status: undefined }, 'status is required'],
      ['finished_at', { finished_at: undefined }, 'finished_at is required'],
      ['status', { status: 'failed' }, 'status must be one of success, error'],
      ['job_key', { job_key: '' }, 'job_key must not be empty'],
      ['job_key', { job_key: 42 }, 'job_key'],
      ['job_key', { job_key: 'a'.repeat(201) }, 'job_key must be at most 200'],
      ['title', { title: 'x\ny' }, 'title must not contain control'],
      [
        'finished_at',
        { finished_at: '2024-01-25T10:00:00' },
        'finished_at must be an ISO 8601 date-time with a UTC offset',
      ],
      ['finished_at', { finished_at: 'yesterday' }, 'finished_at must be'],
      [
        'finished_at',
        { finished_at: '2999-01-01T00:00:00Z' },
        "finished_at is more than 24 hours after the portal's clock",
      ],
      ['message', { message: 42 }, 'message'],
      [
        'entity_ref',
        { entity_ref: `component:${'x'.repeat(390)}` },
        'entity_ref must be at most 400 characters written in full',
      ],
      ['entity_ref', { entity_ref: 'component:a\u0000b' }, 'entity_ref'],
    ])(
      'refuses a report with a bad %s (%j) with 400',
      async (_field, overrides, expected) => {
        const { server, knex } = await start();

        const res = await postReport(server, specReport(overrides));

        expect(res.status).toBe(400);
        expect(res.body.error).toMatchObject({ name: 'InputError' });
        expect(res.body.error.message).toContain(expected);
        expect(await knex('job_runs').select()).toEqual([]);
      },
    );

    it('names every bad field at once', async () => {
      const { server } = await start();
      const res = await postReport(server, { job_key: 'k', status: 'ok' });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain('title is required');
      expect(res.body.error.message).toContain('status must be one of');
      expect(res.body.error.message).toContain('finished_at is required');
    });

    it.each([
      ['not JSON', '{"job_key": ', 'not valid JSON'],
      ['a JSON array', '[]', '(body) must be a JSON object'],
      ['a JSON string', '"report"', 'not valid JSON'],
    ])('refuses a body that is %s with 400', async (_name, body, expected) => {
      const { server } = await start();
      const res = await postReport(server, body);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(expected);
    });

    it.each([
      ['missing', null],
      ['empty', ''],
      ['wrong', 'not-the-secret'],
      ['a prefix of the right one', TEST_SECRET.slice(0, -1)],
    ])(
      'refuses a %s secret with 401 and stores nothing',
      async (_n, secret) => {
        const { server, knex } = await start();

        const res = await postReport(server, specReport(), secret);

        expect(res.status).toBe(401);
        expect(res.body.error).toMatchObject({
          name: 'AuthenticationError',
          message: expect.stringContaining('X-TC-Portal-Webhook-Secret'),
        });
        expect(await knex('job_runs').select()).toEqual([]);
        expect(await knex('jobs').select()).toEqual([]);
      },
    );

    it('takes a configured secret read with a trailing newline', async () => {
      const { server } = await start({
        monitor: { webhookSecret: `${TEST_SECRET}\n` },
      });
      await postReport(server, specReport()).expect(200);
    });

    it('checks the secret before it reads the body', async () => {
      const { server } = await start();
      const res = await postReport(server, '{not json', 'wrong');
      expect(res.status).toBe(401);
    });

    it('needs no Backstage token: the secret is its only authentication', async () => {
      const { server } = await start();
      await postReport(server, specReport())
        .set('Authorization', mockCredentials.none.header())
        .expect(200);
    });

    it('refuses every report with a clear error while no secret is configured', async () => {
      const { server, knex } = await start({});

      for (const secret of [null, '', 'anything']) {
        const res = await postReport(server, specReport(), secret);
        expect(res.status).toBe(503);
        expect(res.body.error.message).toContain(
          'monitor.webhookSecret is not configured',
        );
      }
      expect(await knex('job_runs').select()).toEqual([]);
    });

    it.each(['', '   '])(
      'treats a configured secret of %j as no secret',
      async configured => {
        const { server } = await start({
          monitor: { webhookSecret: configured },
        });
        const res = await postReport(server, specReport(), configured);
        expect(res.status).toBe(503);
      },
    );

    it('refuses an oversized body with 413 and stores none of it', async () => {
      const { server, knex } = await start();

      const res = await postReport(
        server,
        specReport({ message: 'x'.repeat(1024 * 1024 + 1) }),
      );

      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({
        name: 'PayloadTooLargeError',
        message: expect.stringContaining('nothing was stored'),
      });
      expect(await knex('job_runs').select()).toEqual([]);
      expect(await knex('jobs').select()).toEqual([]);
    });

    it('keeps the head and the tail of a long message', async () => {
      const { server } = await start();
      const traceback = `Traceback (most recent call last):\n${'  frame\n'.repeat(
        10_000,
      )}ValueError: the price feed was empty`;

      await postReport(
        server,
        specReport({ status: 'error', message: traceback }),
      ).expect(200);

      const { body } = await getJob(server, 'daily-price-sync');
      const stored: string = body.job.message;
      expect(stored.length).toBeLessThanOrEqual(DEFAULTS.maxMessageLength);
      expect(stored.startsWith('Traceback (most recent call last):')).toBe(
        true,
      );
      expect(stored.endsWith('ValueError: the price feed was empty')).toBe(
        true,
      );
      expect(stored).toMatch(/\[\d+ characters omitted\]/);
    });

    it('stores a message with a NUL character instead of failing', async () => {
      const { server } = await start();
      await postReport(
        server,
        specReport({ status: 'error', message: 'bad byte: \u0000 here' }),
      ).expect(200);
      const { body } = await getJob(server, 'daily-price-sync');
      expect(body.job.message).toBe('bad byte: \uFFFD here');
    });

    it('keeps a message as it was sent, line breaks and markup included', async () => {
      const { server } = await start();
      const message = '<b>失敗</b>\n  at step 2\r\n"quoted" & done';
      await postReport(server, specReport({ status: 'error', message })).expect(
        200,
      );
      const { body } = await getJob(server, 'daily-price-sync');
      expect(body.job.message).toBe(message);
    });

    describe('out of order', () => {
      it('never lets an earlier finished run replace a later one', async () => {
        const { server } = await start();

        const later = await postReport(
          server,
          specReport({
            status: 'error',
            finished_at: '2024-01-25T11:00:00+00:00',
            message: 'later',
          }),
        ).expect(200);
        const earlier = await postReport(
          server,
          specReport({
            status: 'success',
            title: 'old title',
            finished_at: '2024-01-25T10:00:00+00:00',
            message: 'earlier, arrived late',
          }),
        ).expect(200);

        const { body } = await getJob(server, 'daily-price-sync');
        expect(body.job).toMatchObject({
          latestOutcome: 'error',
          title: '価格同期処理',
          message: 'later',
          finishedAt: '2024-01-25T11:00:00.000Z',
        });
        // Both are history, latest finished first.
        expect(body.runs.map((r: any) => r.id)).toEqual([
          later.body.id,
          earlier.body.id,
        ]);

        const summary = await request(server).get('/api/monitor/summary');
        expect(summary.body).toMatchObject({
          attentionCount: 1,
          totalCount: 1,
        });
      });

      it('lets a later finished run replace the state', async () => {
        const { server } = await start();

        await postReport(
          server,
          specReport({
            status: 'error',
            finished_at: '2024-01-25T10:00:00+00:00',
          }),
        ).expect(200);
        await postReport(
          server,
          specReport({
            status: 'success',
            finished_at: '2024-01-25T11:00:00+00:00',
          }),
        ).expect(200);

        const { body } = await getJob(server, 'daily-price-sync');
        expect(body.job).toMatchObject({
          latestOutcome: 'success',
          finishedAt: '2024-01-25T11:00:00.000Z',
        });
      });

      it('compares instants, not the text of differing offsets', async () => {
        const { server } = await start();
        // 10:30 UTC, written in +09:00, is later than 10:00Z.
        await postReport(
          server,
          specReport({ finished_at: '2024-01-25T19:30:00+09:00' }),
        ).expect(200);
        await postReport(
          server,
          specReport({ finished_at: '2024-01-25T10:00:00Z' }),
        ).expect(200);

        const { body } = await getJob(server, 'daily-price-sync');
        expect(body.job.finishedAt).toBe('2024-01-25T10:30:00.000Z');
      });
    });

    it('answers a server fault with a JSON 500 and stores nothing half-way', async () => {
      const { server, knex } = await start();
      // A real fault late in the report's transaction: the job's row and its
      // run are written, then its first change of health cannot be.
      await knex.schema.dropTable('job_health_changes');

      const res = await postReport(server, specReport({ status: 'error' }));

      expect(res.status).toBe(500);
      expect(res.headers['content-type']).toMatch(/application\/json/);
      expect(res.body.error).toBeDefined();
      expect(await knex('job_runs').select()).toEqual([]);
      expect(await knex('jobs').select()).toEqual([]);
    });
  },
);
