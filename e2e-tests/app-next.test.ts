import { expect, test } from '@playwright/test';
import {
  badgeCount,
  expectBadge,
  findJobBySearch,
  monitorLink,
  report,
  screenshot,
  signIn,
  unique,
} from './portal';

// The same core path on the new frontend system, with the plugin installed
// from @tc-portal/plugin-monitor/alpha.
test('the monitor works on the new frontend system', async ({ page }) => {
  await signIn(page);
  const jobKey = unique('next');
  const before = await badgeCount(page);

  await report(page, {
    job_key: jobKey,
    title: '新フロントエンドのジョブ',
    status: 'error',
    message: '<i>失敗</i>',
    entity_ref: 'component:default/price-service',
  });
  await expectBadge(page, before + 1);

  await monitorLink(page).click();
  const row = page.getByRole('row').filter({ hasText: jobKey });
  await expect(row).toContainText('エラー');
  await expect(row).toContainText('<i>失敗</i>');
  await screenshot(page, 'app-next-monitor-page');

  await row.getByRole('link', { name: '新フロントエンドのジョブ' }).click();
  await expect(page.getByRole('heading', { name: '実行履歴' })).toBeVisible();

  await page.goto('/catalog/default/component/price-service');
  await expect(page.getByText('ジョブ監視')).toBeVisible();
  await expect(page.getByText('新フロントエンドのジョブ')).toBeVisible();

  await report(page, {
    job_key: jobKey,
    title: '新フロントエンドのジョブ',
    status: 'success',
  });
  await expectBadge(page, before);
});

test('the home page shows the jobs that need attention, live', async ({
  page,
}) => {
  await signIn(page);
  // The portal's front door is its home page.
  await page.goto('/');
  const card = page
    .locator('.MuiCard-root, [class*="InfoCard"]')
    .filter({ hasText: '対応が必要なジョブ' });
  await expect(card.getByTestId('monitor-attention-count')).toBeVisible();
  const jobKey = unique('home-next');
  await report(page, {
    job_key: jobKey,
    title: 'ホームに出る失敗',
    status: 'error',
  });
  await expect(
    card.getByRole('link', { name: 'ホームに出る失敗' }),
  ).toBeVisible();
  await screenshot(page, 'app-next-home');
});

test("the portal's search finds a job by its Japanese title, with its health", async ({
  page,
}) => {
  await signIn(page);
  await findJobBySearch(page, 'search-next');
});
