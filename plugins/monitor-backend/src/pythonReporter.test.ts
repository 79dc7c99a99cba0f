import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { execFile } from 'node:child_process';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import request from 'supertest';
import {
  monitorTestDatabases,
  startMonitorBackend,
  TEST_SECRET,
} from './__testUtils__/testBackend';

jest.setTimeout(60_000);

const run = promisify(execFile);

const reporterDir = resolvePackagePath(
  '@tc-portal/plugin-monitor-common',
  'python',
);

/** A scheduled script as the README tells teams to write it. */
const JOB_SCRIPT = `
import sys
sys.path.insert(0, sys.argv[1])
from tc_portal_monitor import report_job_status

def process_data():
    raise ValueError("価格フィードが空です")

def main():
    try:
        process_data()
        report_job_status("success", "処理完了")
    except Exception as e:
        report_job_status("error", str(e))
        raise

main()
`;

const databases = monitorTestDatabases();

describe.each(databases.eachSupportedId())(
  'the Python reporter against a started backend on %p',
  databaseId => {
    async function start() {
      const backend = await startMonitorBackend(databases, databaseId);
      const { port } = (backend.server as any).address() as AddressInfo;
      return {
        ...backend,
        url: `http://localhost:${port}/api/monitor/job-report`,
      };
    }

    function environment(url: string, overrides: Record<string, string> = {}) {
      return {
        PATH: process.env.PATH,
        PYTHONIOENCODING: 'utf-8',
        TC_PORTAL_MONITOR_URL: url,
        TC_PORTAL_WEBHOOK_SECRET: TEST_SECRET,
        TC_PORTAL_JOB_KEY: 'daily-price-sync',
        TC_PORTAL_JOB_TITLE: '価格同期処理',
        ...overrides,
      };
    }

    it('reports a failing job, which then shows through the read API', async () => {
      const { server, url } = await start();

      const result = await run('python3', ['-c', JOB_SCRIPT, reporterDir], {
        env: environment(url),
      }).catch(error => error);

      // The job itself still fails as it would without the reporter...
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('ValueError: 価格フィードが空です');
      // ...after the report went through.
      expect(result.stdout).toContain('[TC Portal] 報告成功: error');

      const { body } = await request(server)
        .get('/api/monitor/jobs/daily-price-sync')
        .expect(200);
      expect(body.job).toMatchObject({
        jobKey: 'daily-price-sync',
        title: '価格同期処理',
        status: 'error',
        message: '価格フィードが空です',
      });
      const finishedAt = Date.parse(body.job.finishedAt);
      expect(Math.abs(Date.now() - finishedAt)).toBeLessThan(60_000);

      const summary = await request(server)
        .get('/api/monitor/summary')
        .expect(200);
      expect(summary.body).toMatchObject({ errorCount: 1, totalCount: 1 });
    });

    it('reports from the command line after a job succeeded', async () => {
      const { server, url } = await start();

      const { stdout } = await run(
        'python3',
        [`${reporterDir}/tc_portal_monitor.py`, 'success', '処理完了'],
        { env: environment(url) },
      );

      expect(stdout).toContain('[TC Portal] 報告成功: success');
      const { body } = await request(server)
        .get('/api/monitor/jobs/daily-price-sync')
        .expect(200);
      expect(body.job).toMatchObject({
        status: 'success',
        message: '処理完了',
      });
    });

    it('says why a report was refused, and does not break the job', async () => {
      const { server, url } = await start();

      const { stdout } = await run(
        'python3',
        [`${reporterDir}/tc_portal_monitor.py`, 'success'],
        { env: environment(url, { TC_PORTAL_WEBHOOK_SECRET: 'wrong' }) },
      );

      expect(stdout).toContain(
        '[TC Portal] 報告失敗: HTTP 401 Missing or wrong X-TC-Portal-Webhook-Secret header',
      );
      await request(server)
        .get('/api/monitor/jobs/daily-price-sync')
        .expect(404);
    });

    it('reports a start and its finish, with the traceback, around a block', async () => {
      const { server, url } = await start();
      const script = `
import sys
sys.path.insert(0, sys.argv[1])
from tc_portal_monitor import monitored_run

with monitored_run(schedule={"every": "PT1H"}):
    raise ValueError("価格フィードが空です")
`;
      const result = await run('python3', ['-c', script, reporterDir], {
        env: environment(url, {
          TC_PORTAL_ENTITY_REF: 'component:price-service',
        }),
      }).catch(error => error);

      expect(result.code).toBe(1);
      expect(result.stdout).toContain('[TC Portal] 報告成功: start');
      expect(result.stdout).toContain('[TC Portal] 報告成功: error');
      const { body } = await request(server)
        .get('/api/monitor/jobs/daily-price-sync')
        .expect(200);
      expect(body.job).toMatchObject({
        health: 'error',
        entityRef: 'component:default/price-service',
        schedule: { every: 'PT1H', source: 'report' },
      });
      expect(body.runs).toHaveLength(1);
      expect(body.runs[0]).toMatchObject({
        status: 'error',
        exitCode: 1,
        host: expect.any(String),
        durationMs: expect.any(Number),
        runId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(body.runs[0].message).toMatch(
        /^Traceback \(most recent call last\):[\s\S]*ValueError: 価格フィードが空です\n$/,
      );
    });

    it('pairs a start and a finish reported by hand', async () => {
      const { server, url } = await start();
      const script = `
import sys
sys.path.insert(0, sys.argv[1])
from tc_portal_monitor import report_job_status

report_job_status("start")
report_job_status("success", "処理完了")
`;
      const { stdout } = await run('python3', ['-c', script, reporterDir], {
        env: environment(url),
      });
      expect(stdout).toContain('[TC Portal] 報告成功: start');
      expect(stdout).toContain('[TC Portal] 報告成功: success');
      const { body } = await request(server)
        .get('/api/monitor/jobs/daily-price-sync')
        .expect(200);
      expect(body.runs).toEqual([
        expect.objectContaining({ status: 'success', message: '処理完了' }),
      ]);
    });

    it('wraps a command, passing its exit code through', async () => {
      const { server, url } = await start();
      const failing = await run(
        'python3',
        [
          `${reporterDir}/tc_portal_monitor.py`,
          'run',
          '--',
          'python3',
          '-c',
          'import sys; print("disk full", file=sys.stderr); sys.exit(3)',
        ],
        { env: environment(url) },
      ).catch(error => error);

      expect(failing.code).toBe(3);
      expect(failing.stderr).toContain('disk full');
      let { body } = await request(server)
        .get('/api/monitor/jobs/daily-price-sync')
        .expect(200);
      expect(body.job).toMatchObject({ health: 'error', message: 'disk full' });
      expect(body.runs[0]).toMatchObject({ status: 'error', exitCode: 3 });

      await run(
        'python3',
        [`${reporterDir}/tc_portal_monitor.py`, 'run', '--', 'true'],
        { env: environment(url) },
      );
      ({ body } = await request(server)
        .get('/api/monitor/jobs/daily-price-sync')
        .expect(200));
      expect(body.job).toMatchObject({ health: 'ok', status: 'success' });
      expect(body.runsTotalCount).toBe(2);
    });

    it('retries a report the portal could not take, and not a refused one', async () => {
      const unconfigured = await startMonitorBackend(databases, databaseId, {});
      const { port } = (unconfigured.server as any).address() as AddressInfo;
      const unavailable = await run(
        'python3',
        [`${reporterDir}/tc_portal_monitor.py`, 'success'],
        {
          env: environment(`http://localhost:${port}/api/monitor/job-report`, {
            TC_PORTAL_RETRIES: '1',
          }),
        },
      );
      expect(unavailable.stdout).toContain('[TC Portal] 再試行 1/1: HTTP 503');
      expect(unavailable.stdout).toContain('[TC Portal] 報告エラー: HTTP 503');

      const { url } = await start();
      const refused = await run(
        'python3',
        [`${reporterDir}/tc_portal_monitor.py`, 'success'],
        { env: environment(url, { TC_PORTAL_WEBHOOK_SECRET: 'wrong' }) },
      );
      expect(refused.stdout).not.toContain('再試行');
    });

    it('skips reporting when it is not configured', async () => {
      const { url } = await start();
      const env: Record<string, string | undefined> = environment(url);
      delete env.TC_PORTAL_JOB_KEY;

      const { stdout } = await run(
        'python3',
        [`${reporterDir}/tc_portal_monitor.py`, 'success'],
        { env },
      );

      expect(stdout).toContain('[TC Portal] 環境変数が未設定のためスキップ');
    });
  },
);

describe('the Python reporter without a portal', () => {
  it('retries, prints the error and lets the job go on', async () => {
    // Nothing listens on port 9 (discard) here: the connection is refused.
    const { stdout } = await run(
      'python3',
      [`${reporterDir}/tc_portal_monitor.py`, 'error', 'boom'],
      {
        env: {
          PATH: process.env.PATH,
          PYTHONIOENCODING: 'utf-8',
          TC_PORTAL_MONITOR_URL: 'http://127.0.0.1:9/api/monitor/job-report',
          TC_PORTAL_WEBHOOK_SECRET: 'x',
          TC_PORTAL_JOB_KEY: 'k',
          TC_PORTAL_JOB_TITLE: 't',
          TC_PORTAL_RETRIES: '1',
        },
      },
    );
    expect(stdout).toMatch(/\[TC Portal\] 再試行 1\/1: .*Connection refused/);
    expect(stdout).toMatch(/\[TC Portal\] 報告エラー: .*Connection refused/);
  });
});
