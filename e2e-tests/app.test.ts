import { expect, test } from '@playwright/test';
import {
  badgeCount,
  expectBadge,
  monitorLink,
  report,
  screenshot,
  signIn,
  unique,
} from './portal';

test.beforeEach(async ({ page }) => {
  await signIn(page);
});

test('the badge follows a job failing and recovering, without a reload', async ({
  page,
}) => {
  const jobKey = unique('badge');
  const before = await badgeCount(page);

  await report(page, { job_key: jobKey, title: 'バッジ確認', status: 'error' });
  await expectBadge(page, before + 1);

  await report(page, {
    job_key: jobKey,
    title: 'バッジ確認',
    status: 'success',
  });
  await expectBadge(page, before);
});

test('the page lists jobs, filters them, and shows a message as text', async ({
  page,
}) => {
  const failing = unique('failing');
  const fine = unique('fine');
  await report(page, {
    job_key: failing,
    title: '価格同期処理 (e2e)',
    status: 'error',
    message:
      'Traceback (most recent call last):\n  File "sync.py", line 42\nValueError: <b>価格フィードが空です</b>',
  });
  await report(page, {
    job_key: fine,
    title: '在庫レポート (e2e)',
    status: 'success',
  });

  await monitorLink(page).click();
  await expect(page.getByRole('heading', { name: 'Python監視' })).toBeVisible();
  const failingRow = page.getByRole('row').filter({ hasText: failing });
  await expect(failingRow).toContainText('価格同期処理 (e2e)');
  await expect(failingRow).toContainText('エラー');
  // Markup in a message is shown, never rendered.
  await expect(failingRow).toContainText(
    'ValueError: <b>価格フィードが空です</b>',
  );
  await expect(failingRow.locator('b')).toHaveCount(0);
  await expect(page.getByRole('row').filter({ hasText: fine })).toBeVisible();
  await screenshot(page, 'monitor-page');

  // The count of failing jobs is a filter.
  await page.getByRole('button', { name: /^エラー: \d+ 件$/ }).click();
  await expect(page).toHaveURL(/health=error/);
  await expect(page.getByRole('row').filter({ hasText: fine })).toHaveCount(0);
  await expect(failingRow).toBeVisible();

  // So is the text search.
  await page.getByRole('button', { name: /^すべて: \d+ 件$/ }).click();
  await page.getByLabel('キーまたはタイトルで検索').fill(fine);
  await expect(page.getByRole('row').filter({ hasText: failing })).toHaveCount(
    0,
  );
  await expect(page.getByRole('row').filter({ hasText: fine })).toBeVisible();
});

test("a job's detail shows its history", async ({ page }) => {
  const jobKey = unique('history');
  for (const [status, message] of [
    ['success', '1 回目'],
    ['success', '2 回目'],
  ] as const) {
    await report(page, {
      job_key: jobKey,
      title: '履歴確認',
      status,
      message,
      duration_ms: 65_000,
      host: 'batch-01',
    });
  }
  await report(page, {
    job_key: jobKey,
    title: '履歴確認',
    status: 'error',
    message: '終了コード 3\n<script>alert(1)</script>',
    duration_ms: 12_000,
    exit_code: 3,
    host: 'batch-02',
  });

  await page.goto(`/monitor/jobs/${jobKey}`);
  await expect(page.getByRole('heading', { name: '履歴確認' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '実行履歴' })).toBeVisible();
  const rows = page.getByRole('row').filter({ hasText: /batch-0/ });
  await expect(rows).toHaveCount(3);
  await expect(rows.first()).toContainText('batch-02');
  await expect(rows.first()).toContainText('<script>alert(1)</script>');
  await expect(
    page.getByRole('img', { name: '直近 3 回の実行の所要時間と結果' }),
  ).toBeVisible();
  await expect(page.getByText('ヘルスの変化')).toBeVisible();
  await screenshot(page, 'job-detail');
});

test('the entity card shows on the annotated component', async ({ page }) => {
  const jobKey = unique('entity');
  await report(page, {
    job_key: jobKey,
    title: '価格サービスのジョブ (e2e)',
    status: 'error',
    entity_ref: 'component:default/price-service',
  });

  await page.goto('/catalog/default/component/price-service');
  await expect(page.getByText('ジョブ監視')).toBeVisible();
  // Linked by the annotation (a configured job) and by a report.
  await expect(
    page.getByRole('link', { name: '夜間価格エクスポート' }),
  ).toBeVisible();
  const linked = page.getByRole('link', { name: '価格サービスのジョブ (e2e)' });
  await expect(linked).toBeVisible();
  await screenshot(page, 'entity-card');

  await linked.click();
  await expect(page).toHaveURL(new RegExp(`/monitor/jobs/${jobKey}$`));
});

test('the home page shows the jobs that need attention, live', async ({
  page,
}) => {
  await page.goto('/home');
  const count = page.getByTestId('monitor-attention-count');
  await expect(count).toBeVisible();
  const before = Number(await count.textContent());
  const jobKey = unique('home');
  await report(page, {
    job_key: jobKey,
    title: 'ホームに出る失敗',
    status: 'error',
  });
  await expect(count).toHaveText(String(before + 1));
  await page.getByRole('link', { name: 'ホームに出る失敗' }).click();
  await expect(page.getByRole('heading', { name: '実行履歴' })).toBeVisible();
});
