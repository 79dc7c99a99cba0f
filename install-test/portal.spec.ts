import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, Page, test } from '@playwright/test';
import { BACKEND_URL, WEBHOOK_SECRET } from './playwright.config';

// readme.mjs is an ES module; Playwright's loader reads it as one.
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { curlExample } = require('./readme.mjs');

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
  const refresh = await request.get(`${BACKEND_URL}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(refresh.status()).toBe(200);
  const token = (await refresh.json()).backstageIdentity.token;
  const job = await request.get(`${BACKEND_URL}/api/monitor/jobs/test-job`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  expect(job.status()).toBe(200);
  expect(await job.json()).toMatchObject({
    job: { jobKey: 'test-job', title: 'テストジョブ', health: 'error' },
  });

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
});
