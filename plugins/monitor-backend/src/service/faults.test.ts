import { TestDatabases } from '@backstage/backend-test-utils';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { postReport, startMonitorBackend } from '../__testUtils__/testBackend';
import { ThrowawayPostgres } from '../__testUtils__/throwawayPostgres';

jest.setTimeout(180_000);

// The backend's own database is this test's throwaway server, so it may be
// stopped; TestDatabases is only there because startMonitorBackend asks.
const databases = TestDatabases.create({ ids: [] });

function report(jobKey: string, i: number) {
  return {
    job_key: jobKey,
    title: 'Fault test',
    status: i % 5 === 0 ? 'error' : 'success',
    finished_at: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
    message: `run ${i}`,
    run_id: randomUUID(),
  };
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('faults of PostgreSQL', () => {
  let postgres: ThrowawayPostgres;

  beforeAll(async () => {
    postgres = await ThrowawayPostgres.create();
  });
  afterAll(async () => {
    await postgres?.remove();
  });

  it('answers 503 while the database is down, recovers by itself, and loses nothing it acknowledged', async () => {
    const knex = postgres.knex();
    const backend = await startMonitorBackend(
      databases,
      'POSTGRES_15',
      undefined,
      {
        knex,
      },
    );
    const reports: Array<ReturnType<typeof report>> = [];
    const answers: Array<{
      report: (typeof reports)[number];
      res: request.Response;
    }> = [];

    // Reports keep coming until the database has stopped and started again
    // (and at least 120 of them, at most 480, which one read can list), so
    // that some meet it stopped however quickly or slowly this machine runs.
    let restarted = false;
    const senders = Array.from({ length: 4 }, async () => {
      while ((!restarted || reports.length < 120) && reports.length < 480) {
        const r = report('fault-ingest', reports.length);
        reports.push(r);
        answers.push({ report: r, res: await postReport(backend.server, r) });
        await sleep(25);
      }
    });
    await sleep(400);
    await postgres.stop();
    await sleep(1500);
    await postgres.start();
    restarted = true;
    await Promise.all(senders);

    const refused = answers.filter(a => a.res.status !== 200);
    // Some reports met the stopped database...
    expect(refused.length).toBeGreaterThan(0);
    for (const { res } of refused) {
      // ...and each was told so clearly, to try again: never a 500.
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.error.message).toContain('cannot reach its database');
    }

    // Recovered by itself: the reporter's retry of each refused report goes in.
    for (const { report: r } of refused) {
      let res = await postReport(backend.server, r);
      for (let attempt = 0; res.status === 503 && attempt < 20; attempt++) {
        await sleep(250);
        res = await postReport(backend.server, r);
      }
      expect(res.status).toBe(200);
    }

    const { body } = await request(backend.server)
      .get('/api/monitor/jobs/fault-ingest?runsLimit=500')
      .expect(200);
    expect(body.runsTotalCount).toBe(reports.length);
    expect(body.runs.map((r: any) => r.runId).sort()).toEqual(
      reports.map(r => r.run_id).sort(),
    );
    expect(body.job.message).toBe(`run ${reports.length - 1}`);

    await backend.stop();
    await knex.destroy();
  });

  it('loses nothing acknowledged across a backend restart', async () => {
    const knex = postgres.knex();
    const first = await startMonitorBackend(
      databases,
      'POSTGRES_15',
      undefined,
      {
        knex,
      },
    );
    const reports = Array.from({ length: 30 }, (_, i) =>
      report('fault-restart', i),
    );
    for (const r of reports) {
      await postReport(first.server, r).expect(200);
    }
    await first.stop();

    const second = await startMonitorBackend(
      databases,
      'POSTGRES_15',
      undefined,
      {
        knex,
      },
    );
    const { body } = await request(second.server)
      .get('/api/monitor/jobs/fault-restart?runsLimit=500')
      .expect(200);
    expect(body.runs.map((r: any) => r.runId).sort()).toEqual(
      reports.map(r => r.run_id).sort(),
    );
    await second.stop();
    await knex.destroy();
  });
});
