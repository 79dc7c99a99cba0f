import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { devNull } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, Page, test } from '@playwright/test';
import { BACKEND_URL, WEBHOOK_SECRET } from './playwright.config';

// readme.mjs is an ES module; Playwright's loader reads it as one.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { curlExample, readBlocks } = require('./readme.mjs');

const README = resolve(__dirname, '..', 'README.md');

/** The README's curl report, with only the host changed, as a job sends it. */
function sendReadmeCurl(): unknown {
  const command = curlExample(README)
    .replaceAll('http://localhost:7007', BACKEND_URL)
    .replaceAll('dev-webhook-secret', WEBHOOK_SECRET);
  return JSON.parse(
    execFileSync(
      'bash',
      ['-c', `${command} --silent --show-error --fail-with-body`],
      { encoding: 'utf8' },
    ),
  );
}

/**
 * The arguments of the README's `pip install` of the reporter in a portal
 * (install step 5), without the `pip`.
 */
function readmePipInstall(): string[] {
  const line = readBlocks(README)
    .filter(
      (b: { lang: string; subsection?: string }) =>
        b.lang === 'sh' && b.subsection?.startsWith('5. The Python reporter'),
    )
    .flatMap((b: { lines: string[] }) => b.lines)
    .find((l: string) => l.startsWith('pip install '));
  if (!line) {
    throw new Error(`${README}: install step 5 has no "pip install" line`);
  }
  return line.trim().split(/\s+/).slice(1);
}

async function guestToken(
  request: import('@playwright/test').APIRequestContext,
) {
  const refresh = await request.get(`${BACKEND_URL}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(refresh.status()).toBe(200);
  return (await refresh.json()).backstageIdentity.token as string;
}

async function signIn(page: Page) {
  await page.goto('/');
  const enter = page.getByRole('button', { name: 'Enter' });
  const monitor = page.getByRole('link', { name: '障害' });
  await expect(enter.or(monitor)).toBeVisible({ timeout: 120_000 });
  if (await enter.isVisible()) await enter.click();
  await expect(monitor).toBeVisible();
  return monitor;
}

test('a job reported with the README curl shows in the portal', async ({
  page,
  request,
}, testInfo) => {
  // 4. The original snippet's report, and its answer.
  expect(sendReadmeCurl()).toMatchObject({
    success: true,
    job_key: 'test-job',
    id: expect.any(String),
  });

  // ... read back through the read API, as the guest.
  const token = await guestToken(request);
  const job = await request.get(`${BACKEND_URL}/api/monitor/jobs/test-job`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(job.status()).toBe(200);
  expect(await job.json()).toMatchObject({
    job: { jobKey: 'test-job', title: 'テストジョブ', health: 'error' },
  });

  // ... found by the portal's search, by its key (install step 2's
  // collator, indexing every 2 s here).
  await expect(async () => {
    const found = await request.get(`${BACKEND_URL}/api/search/query`, {
      headers: { Authorization: `Bearer ${token}` },
      params: { term: 'test-job', 'types[0]': 'monitor-job' },
    });
    expect(found.status()).toBe(200);
    expect((await found.json()).results).toEqual([
      expect.objectContaining({
        type: 'monitor-job',
        document: expect.objectContaining({
          jobKey: 'test-job',
          title: 'テストジョブ',
          health: 'error',
          location: '/monitor/jobs/test-job',
        }),
      }),
    ]);
  }).toPass({ timeout: 60_000 });

  // 5-6. The 障害 item with a badge of 1, and the job in the Python監視 list.
  const monitor = await signIn(page);
  await expect(monitor.getByRole('status')).toHaveText('1');
  await monitor.click();
  await expect(page.getByRole('heading', { name: 'Python監視' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: 'test-job' });
  await expect(row).toContainText('テストジョブ');
  await expect(row).toContainText('エラー');
  await expect(row).toContainText('テストエラー');
  await page.screenshot({
    path: testInfo.outputPath(`${testInfo.project.name}-monitor-page.png`),
    fullPage: true,
  });

  // The job among the search page's results, with its health (install
  // step 3's result item; the new frontend system's comes with the plugin).
  await page.goto('/search?query=test-job');
  if (testInfo.project.name === 'legacy') {
    // create-app's legacy search page opens on the catalog's results.
    await page
      .getByRole('navigation', { name: 'filter by type' })
      .getByRole('button', { name: 'All' })
      .click();
  }
  const found = page
    .getByTestId('monitor-job-result')
    .filter({ hasText: 'test-job' });
  await expect(found).toContainText('テストジョブ');
  await expect(found).toContainText('エラー');
  await page.screenshot({
    path: testInfo.outputPath(`${testInfo.project.name}-search-page.png`),
    fullPage: true,
  });

  // The actions, for assistants: which jobs fail, and why; then one is
  // acknowledged through them, and its history says who did it.
  const auth = { Authorization: `Bearer ${token}` };
  const actions = `${BACKEND_URL}/api/monitor/.backstage/actions/v1/actions`;
  const listed = await request.get(actions, { headers: auth });
  expect(listed.status()).toBe(200);
  expect(
    (await listed.json()).actions.map((a: { id: string }) => a.id).sort(),
  ).toEqual([
    'monitor:acknowledge-job',
    'monitor:add-job-maintenance-window',
    'monitor:end-job-maintenance-window',
    'monitor:get-job',
    'monitor:list-jobs',
    'monitor:mute-job',
  ]);
  const failing = await request.post(`${actions}/monitor:list-jobs/invoke`, {
    headers: auth,
    data: { failing: true },
  });
  expect(failing.status()).toBe(200);
  expect((await failing.json()).output.jobs).toEqual([
    expect.objectContaining({
      jobKey: 'test-job',
      why: 'the latest run failed',
    }),
  ]);
  const acknowledged = await request.post(
    `${actions}/monitor:acknowledge-job/invoke`,
    { headers: auth, data: { jobKey: 'test-job', comment: 'known' } },
  );
  expect(acknowledged.status()).toBe(200);
  const history = await request.get(
    `${BACKEND_URL}/api/monitor/jobs/test-job`,
    {
      headers: auth,
    },
  );
  expect((await history.json()).attentionChanges).toEqual([
    expect.objectContaining({ kind: 'acknowledged', note: 'known' }),
  ]);
  await expect(monitor.getByRole('status')).toHaveCount(0);
});

test('the Python reporter shipped in the installed package reports with its command', async ({
  request,
}, testInfo) => {
  // The README's line, run in the portal's folder: the wheel that the
  // portal's install of @tc-portal/plugin-monitor-common carries, installed
  // with no package index and none of this machine's pip configuration (its
  // files or PIP_* variables), as on a job server without network.
  const portal = process.env.TC_PORTAL_INSTALL_TEST_PORTAL ?? '';
  const pipInstall = readmePipInstall();
  expect(pipInstall).toContain('--no-index');
  const wheel = pipInstall[pipInstall.length - 1];
  expect(
    existsSync(join(portal, wheel)),
    `the README's wheel ${wheel} is in the portal`,
  ).toBe(true);
  const venv = testInfo.outputPath('venv');
  execFileSync('python3', ['-m', 'venv', venv]);
  execFileSync(
    join(venv, 'bin', 'python'),
    ['-m', 'pip', '--disable-pip-version-check', ...pipInstall, '--quiet'],
    {
      cwd: portal,
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(([k]) => !k.startsWith('PIP_')),
        ),
        PIP_CONFIG_FILE: devNull,
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );

  const output = execFileSync(
    join(venv, 'bin', 'tc-portal-monitor'),
    [
      'run',
      '--job-key',
      'installed-python-job',
      '--title',
      '価格同期処理',
      '--cron',
      '0 2 * * *',
      '--timezone',
      'Asia/Tokyo',
      '--failure-threshold',
      '2',
      '--',
      'python3',
      '-c',
      "print('42 件を同期しました')",
    ],
    {
      encoding: 'utf8',
      env: {
        ...process.env,
        TC_PORTAL_MONITOR_URL: `${BACKEND_URL}/api/monitor/job-report`,
        TC_PORTAL_WEBHOOK_SECRET: WEBHOOK_SECRET,
        TC_PORTAL_SPOOL_DIR: testInfo.outputPath('spool'),
      },
    },
  );
  expect(output).toContain('[TC Portal] 報告成功: success');

  const job = await request.get(
    `${BACKEND_URL}/api/monitor/jobs/installed-python-job`,
    { headers: { Authorization: `Bearer ${await guestToken(request)}` } },
  );
  expect(job.status()).toBe(200);
  expect(await job.json()).toMatchObject({
    job: {
      title: '価格同期処理',
      latestOutcome: 'success',
      message: '42 件を同期しました',
      schedule: { cron: '0 2 * * *', timezone: 'Asia/Tokyo', source: 'report' },
    },
  });
});
