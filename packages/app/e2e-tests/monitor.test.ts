import { expect, Page, test } from '@playwright/test';

const WEBHOOK = 'http://localhost:7007/api/monitor/job-report';
const SECRET = process.env.TC_PORTAL_WEBHOOK_SECRET!;

async function report(
  page: Page,
  body: {
    job_key: string;
    title: string;
    status: 'success' | 'error';
    message?: string | null;
  },
) {
  const response = await page.request.post(WEBHOOK, {
    headers: { 'X-TC-Portal-Webhook-Secret': SECRET },
    data: { ...body, finished_at: new Date().toISOString() },
  });
  expect(response.status()).toBe(200);
  return response.json();
}

async function signIn(page: Page) {
  await page.goto('/');
  // The dev server can show a blank page at first: wait for the sign-in.
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(page.getByRole('link', { name: '障害' })).toBeVisible();
}

function badge(page: Page) {
  return page.getByRole('link', { name: '障害' }).getByRole('status');
}

/** What the badge counts once the page has loaded it (no badge: zero). */
async function badgeCount(page: Page): Promise<number> {
  await page.waitForLoadState('networkidle');
  if ((await badge(page).count()) === 0) {
    return 0;
  }
  return Number(await badge(page).textContent());
}

async function expectBadge(page: Page, count: number) {
  if (count === 0) {
    await expect(badge(page)).toHaveCount(0);
  } else {
    await expect(badge(page)).toHaveText(String(count));
    await expect(badge(page)).toHaveAttribute(
      'aria-label',
      `失敗中のジョブ: ${count} 件`,
    );
  }
}

test('a failing job shows on the 障害 page and in the badge until it recovers', async ({
  page,
}) => {
  const jobKey = `e2e-price-sync-${Date.now()}`;
  await signIn(page);
  const before = await badgeCount(page);

  await report(page, {
    job_key: jobKey,
    title: '価格同期処理 (e2e)',
    status: 'error',
    message:
      'Traceback (most recent call last):\n  ...\nValueError: <b>価格フィードが空です</b>',
  });

  await page.reload();
  await expectBadge(page, before + 1);

  await page.getByRole('link', { name: '障害' }).click();
  await expect(page.getByRole('heading', { name: 'Python監視' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: jobKey });
  await expect(row).toContainText('価格同期処理 (e2e)');
  await expect(row).toContainText('エラー');
  // The message is text: its markup is shown, not rendered.
  await expect(row).toContainText('ValueError: <b>価格フィードが空です</b>');
  await expect(row.locator('b')).toHaveCount(0);
  await page.screenshot({
    path: 'e2e-test-report/screenshots/monitor-page.png',
    fullPage: true,
  });

  await report(page, {
    job_key: jobKey,
    title: '価格同期処理 (e2e)',
    status: 'success',
    message: '処理完了',
  });
  await page.reload();
  await expect(row).toContainText('成功');
  await expectBadge(page, before);
});
