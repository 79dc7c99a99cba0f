import { expect, test } from '@playwright/test';
import {
  badge,
  badgeCount,
  expectBadge,
  findJobBySearch,
  guestApi,
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
  // The sidebar opens the jobs that need attention; every job is a click
  // away.
  await expect(page).toHaveURL(/attention=true/);
  await expect(page.getByRole('row').filter({ hasText: fine })).toHaveCount(0);
  await page.getByRole('button', { name: /^すべて: \d+ 件$/ }).click();
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

test('a run slower than usual is marked on the job page, in its band of usual durations, and in the list', async ({
  page,
}) => {
  const jobKey = unique('slow');
  // Ten runs of about a minute make the job's usual; then one of five.
  for (let i = 0; i < 10; i++) {
    await report(page, {
      job_key: jobKey,
      title: '遅延確認',
      status: 'success',
      duration_ms: 60_000 + i * 1000,
    });
  }
  await report(page, {
    job_key: jobKey,
    title: '遅延確認',
    status: 'success',
    duration_ms: 300_000,
  });

  await page.goto(`/monitor/jobs/${jobKey}`);
  const chart = page.getByRole('img', {
    name: '直近 11 回の実行の所要時間と結果',
  });
  await expect(chart).toBeVisible();
  const band = chart.getByTestId('baseline-band');
  await expect(band).toHaveCount(1);
  expect(Number(await band.getAttribute('height'))).toBeGreaterThan(0);
  await expect(chart.locator('rect[data-slow]')).toHaveCount(1);
  const slowRow = page
    .getByRole('row')
    .filter({ has: page.getByText('遅延', { exact: true }) });
  await expect(slowRow).toHaveCount(1);
  await expect(slowRow).toContainText('5 分');
  await screenshot(page, 'job-detail-slow');

  await page.goto(`/monitor?q=${jobKey}`);
  const row = page.getByRole('row').filter({ hasText: jobKey });
  await expect(row).toHaveCount(1);
  await expect(row.locator('[data-warning="slow"]')).toBeVisible();
});

test('a job failing because of its upstream job is marked, linking to it, and left off the badge', async ({
  page,
}) => {
  const upstreamKey = unique('upstream');
  const downstreamKey = unique('downstream');
  const before = await badgeCount(page);
  await report(page, {
    job_key: upstreamKey,
    title: '上流確認',
    status: 'error',
  });
  await report(page, {
    job_key: downstreamKey,
    title: '下流確認',
    status: 'error',
    schedule: { every: 'PT1H', depends_on: [upstreamKey] },
  });
  await page.goto(`/monitor?q=${downstreamKey}`);
  // The root cause counts once.
  await expectBadge(page, before + 1);
  const row = page.getByRole('row').filter({ hasText: downstreamKey });
  await expect(row).toHaveCount(1);
  const mark = row.getByRole('link', { name: '上流: 上流確認' });
  await expect(mark).toBeVisible();
  await mark.click();
  await expect(page.getByRole('heading', { name: '上流確認' })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/monitor/jobs/${upstreamKey}$`));
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

test("the entity page shows the scorecard of its monitored jobs, from Tech Insights' facts", async ({
  page,
}) => {
  const scorecard = page.getByRole('list', { name: 'スコアカード' });
  // The facts are retrieved 10 s after the backend's start, then every
  // minute: until then the card says there are none yet.
  await expect(async () => {
    await page.goto('/catalog/default/component/price-service');
    await expect(scorecard).toBeVisible({ timeout: 5_000 });
  }).toPass({ timeout: 90_000 });
  // Its configured job (夜間価格エクスポート) is linked to it.
  await expect(
    scorecard.getByText(
      'At least one monitored job is linked to the entity — 合格',
    ),
  ).toBeVisible();
  await expect(scorecard.getByText('成功率 95% 以上')).toBeVisible();
  await expect(
    scorecard.getByText('1日を超えて失敗しているジョブがない'),
  ).toBeVisible();
  await scorecard.scrollIntoViewIfNeeded();
  await screenshot(page, 'entity-scorecard');
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

test('the badge, its list and the home card count the same jobs: of 63 failing, 60 taken up and 3 not', async ({
  page,
}) => {
  const before = await badgeCount(page);
  const prefix = unique('attention');
  const keys = Array.from({ length: 63 }, (_, i) => `${prefix}-${i}`);
  for (const jobKey of keys) {
    // Seed-style: no entity, so the demo's default owner (the guests'
    // group) owns them, and the guest may take them up.
    await report(page, {
      job_key: jobKey,
      title: `要対応 ${jobKey}`,
      status: 'error',
    });
  }
  const api = await guestApi(page);
  for (const jobKey of keys.slice(0, 30)) {
    await api.post(`/jobs/${jobKey}/acknowledgement`, { comment: '調査中' });
  }
  const until = new Date(Date.now() + 3_600_000).toISOString();
  for (const jobKey of keys.slice(30, 60)) {
    await api.post(`/jobs/${jobKey}/mute`, { until, reason: '既知' });
  }
  await expectBadge(page, before + 3);
  expect((await api.get('/summary')).attentionCount).toBe(before + 3);

  // The badge opens the list of exactly the jobs it counts.
  await badge(page).click();
  await expect(page).toHaveURL(/\/monitor\?attention=true/);
  await expect(
    page.getByRole('button', { name: `要対応: ${before + 3} 件` }),
  ).toHaveAttribute('aria-pressed', 'true');
  await page.getByLabel('キーまたはタイトルで検索').fill(prefix);
  const rows = page.getByRole('row').filter({ hasText: prefix });
  await expect(rows).toHaveCount(3);
  for (const jobKey of keys.slice(60)) {
    await expect(rows.filter({ hasText: jobKey })).toHaveCount(1);
  }
  await screenshot(page, 'attention-list');

  // The home card counts them too, and links to the same list.
  await page.goto('/home');
  await expect(page.getByTestId('monitor-attention-count')).toHaveText(
    String(before + 3),
  );
  await page
    .getByRole('link', { name: '対応が必要なジョブをすべて見る' })
    .click();
  await expect(page).toHaveURL(/\/monitor\?attention=true/);
});

test('the job list fits a 1400-pixel window, a long message ending in an ellipsis', async ({
  page,
}) => {
  const jobKey = unique('a-rather-long-job-key-for-the-width-of-the-list');
  const message = `Traceback (most recent call last): ${'supplier feed empty; '.repeat(
    20,
  )}end`;
  await report(page, {
    job_key: jobKey,
    title: '幅の確認',
    status: 'error',
    message,
  });
  await page.goto(`/monitor?q=${jobKey}`);
  const row = page.getByRole('row').filter({ hasText: jobKey });
  await expect(row).toBeVisible();
  const table = page.getByRole('table').filter({ has: row });
  const fits = await table.evaluate(
    el => el.scrollWidth <= el.parentElement!.clientWidth,
  );
  expect(fits).toBe(true);
  expect(
    await page.evaluate(
      () => document.documentElement.scrollWidth <= window.innerWidth,
    ),
  ).toBe(true);
  // One line, cut with an ellipsis; the whole of it on hover.
  const text = row.getByText(/^Traceback/);
  await expect(text).toHaveAttribute('title', message);
  expect(
    await text.evaluate(el => ({
      ellipsis: getComputedStyle(el).textOverflow,
      cut: el.scrollWidth > el.clientWidth,
    })),
  ).toEqual({ ellipsis: 'ellipsis', cut: true });
});

test('the job page says who may act on a job the guest does not own', async ({
  page,
}) => {
  const jobKey = unique('theirs');
  await report(page, {
    job_key: jobKey,
    title: 'ポータルチームのジョブ',
    status: 'error',
    entity_ref: 'component:default/plugin-monitor-backend',
  });
  await page.goto(`/monitor/jobs/${jobKey}`);
  const note = page.getByTestId('monitor-not-allowed');
  await expect(note).toContainText(
    'あなたにはこのジョブを確認済みにしたりミュートしたりする権限がありません。',
  );
  await expect(note.getByRole('link')).toHaveAttribute(
    'href',
    '/catalog/default/group/tc-portal-team',
  );
  await expect(
    page.getByRole('button', { name: '確認済みにする' }),
  ).toHaveCount(0);

  // A job that reports no entity is the guests' group's: the guest may.
  const ours = unique('seed-style');
  await report(page, {
    job_key: ours,
    title: '古いスクリプト',
    status: 'error',
  });
  await page.goto(`/monitor/jobs/${ours}`);
  await expect(
    page.getByRole('button', { name: '確認済みにする' }),
  ).toBeVisible();
  await expect(page.getByTestId('monitor-not-allowed')).toHaveCount(0);
});

test('a maintenance window added on the job page keeps the job off the badge until it is ended', async ({
  page,
}) => {
  const jobKey = unique('maintenance');
  const before = await badgeCount(page);
  await report(page, {
    job_key: jobKey,
    title: '移行中のジョブ',
    status: 'error',
  });
  await expectBadge(page, before + 1);

  await page.goto(`/monitor/jobs/${jobKey}`);
  await page.getByRole('button', { name: 'メンテナンス期間を追加' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('理由').fill('DB 移行');
  await dialog.getByRole('button', { name: 'OK' }).click();

  await expect(page.getByTestId('monitor-in-maintenance')).toContainText(
    'までメンテナンス中 (DB 移行)',
  );
  await expectBadge(page, before);

  await page
    .getByTestId('monitor-maintenance-windows')
    .getByRole('button', { name: 'メンテナンスを終える' })
    .click();
  await expect(page.getByTestId('monitor-in-maintenance')).toHaveCount(0);
  await expectBadge(page, before + 1);
  await expect(
    page.getByRole('row', { name: /メンテナンス期間を追加した/ }),
  ).toBeVisible();
});

test("the portal's search finds a job by its Japanese title, with its health", async ({
  page,
}) => {
  await findJobBySearch(page, 'search-legacy');
});
