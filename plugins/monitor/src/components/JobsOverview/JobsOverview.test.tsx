import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Job } from '@tc-portal/plugin-monitor-common';
import {
  aJob,
  aPage,
  InMemoryMonitorApi,
} from '../../__testUtils__/fakeMonitorApi';
import { renderMonitor } from '../../__testUtils__/renderMonitor';
import { formatters } from '../../hooks/useFormatters';

function someJobs() {
  return [
    aJob({
      jobKey: 'nightly-export',
      title: '夜間エクスポート',
      latestOutcome: 'error',
      finishedAt: '2024-01-25T11:00:00.000Z',
      durationMs: 90_000,
      message:
        'Traceback (most recent call last):\n  File "x.py"\nValueError: 空です',
      entityRef: 'component:default/price-service',
      recentOutcomes: ['error', 'success', 'timeout'],
    }),
    aJob({ jobKey: 'daily-price-sync', title: '価格同期処理' }),
    aJob({
      jobKey: 'weekly-report',
      title: '週次レポート',
      latestOutcome: null,
      health: 'missed',
      finishedAt: null,
      durationMs: null,
      message: null,
    }),
  ];
}

/** The jobs' API, and its `listJobs` to check and answer. */
function apiOf(jobs: Job[]) {
  const api = new InMemoryMonitorApi(jobs);
  return { api, listJobs: jest.spyOn(api, 'listJobs') };
}

const rowOf = async (text: string) =>
  (await screen.findByText(text)).closest('tr')!;

describe('the Python監視 overview', () => {
  it('asks for the latest finished first, and lists each job with its health, entity, times, duration, outcomes and message', async () => {
    const { api, listJobs } = apiOf(someJobs());
    await renderMonitor(api);

    expect(await screen.findByText('Python監視')).toBeInTheDocument();
    const row = await rowOf('夜間エクスポート');
    expect(
      within(row).getByText('エラー').closest('[data-health]'),
    ).toHaveAttribute('data-health', 'error');
    expect(within(row).getByText('nightly-export')).toBeInTheDocument();
    expect(within(row).getByText('price-service').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/price-service',
    );
    const format = formatters('ja');
    expect(
      within(row).getByText(format.dateTime('2024-01-25T11:00:00.000Z')),
    ).toBeInTheDocument();
    expect(
      within(row).getByText(format.relative('2024-01-25T11:00:00.000Z')),
    ).toBeInTheDocument();
    expect(within(row).getByText(format.duration(90_000))).toBeInTheDocument();
    expect(
      within(row).getByRole('img', {
        name: '直近の実行 (新しい順): エラー, 成功, タイムアウト',
      }),
    ).toBeInTheDocument();
    expect(
      within(row).getByText('夜間エクスポート').closest('a'),
    ).toHaveAttribute('href', '/monitor/jobs/nightly-export');

    const never = await rowOf('週次レポート');
    expect(within(never).getByText('未実行')).toBeInTheDocument();
    expect(within(never).getByText('実行記録なし')).toBeInTheDocument();
    expect(listJobs).toHaveBeenCalledTimes(1);
    expect(listJobs).toHaveBeenCalledWith({
      sort: 'finishedAt',
      order: 'desc',
      limit: 20,
      offset: 0,
    });
  });

  it('marks a job whose latest run was slower than usual, early or a duplicate', async () => {
    const { api } = apiOf([
      aJob({
        jobKey: 'nightly-backup',
        title: '夜間バックアップ',
        latestWarnings: ['slow'],
      }),
      aJob({ jobKey: 'daily-price-sync', title: '価格同期処理' }),
      aJob({
        jobKey: 'twice',
        title: '二重登録',
        latestWarnings: ['early', 'duplicate'],
      }),
    ]);
    await renderMonitor(api);
    const twice = await rowOf('二重登録');
    expect(
      [...twice.querySelectorAll('[data-warning]')].map(e =>
        e.getAttribute('aria-label'),
      ),
    ).toEqual([
      '早すぎる実行: 直近の実行は予定より早く始まりました',
      '重複実行: 直近の実行は同じ回の 2 度目の実行でした',
    ]);
    const slow = await rowOf('夜間バックアップ');
    expect(
      within(slow).getByLabelText(
        '遅延: 直近の実行はいつもより大幅に遅く終わりました',
      ),
    ).toBeInTheDocument();
    const usual = await rowOf('価格同期処理');
    expect(usual.querySelector('[data-warning]')).toBeNull();
  });

  it('marks a job failing because of its upstream job, linking to it', async () => {
    const { api } = apiOf([
      aJob({
        jobKey: 'price-import',
        title: '価格インポート',
        latestOutcome: 'error',
        upstream: { jobKey: 'price-export', title: '価格エクスポート' },
      }),
    ]);
    await renderMonitor(api);
    const row = await rowOf('価格インポート');
    expect(
      within(row).getByText('上流: 価格エクスポート').closest('a'),
    ).toHaveAttribute('href', '/monitor/jobs/price-export');
  });

  it('shows a message on one line, and the whole of it on demand', async () => {
    await renderMonitor(new InMemoryMonitorApi(someJobs()));
    const row = await rowOf('夜間エクスポート');
    const message = within(row).getByText(/ValueError: 空です/);
    expect(message.textContent).toContain('\n  File "x.py"\n');
    const button = within(row).getByRole('button', { name: '全文を表示' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(button);
    expect(
      within(row).getByRole('button', { name: '折りたたむ' }),
    ).toHaveAttribute('aria-expanded', 'true');
  });

  it('shows a message with markup as text, never as HTML', async () => {
    await renderMonitor(
      new InMemoryMonitorApi([
        aJob({
          latestOutcome: 'error',
          message: '<img src=x onerror=alert(1)>',
        }),
      ]),
    );
    expect(
      await screen.findByText('<img src=x onerror=alert(1)>'),
    ).toBeInTheDocument();
    expect(document.querySelector('img[src="x"]')).toBeNull();
  });

  it('counts jobs per health, each count asking for those jobs alone', async () => {
    const jobs = someJobs();
    const { api, listJobs } = apiOf(jobs);
    await renderMonitor(api);

    const errors = await screen.findByRole('button', { name: 'エラー: 1 件' });
    expect(
      screen.getByRole('button', { name: 'すべて: 3 件' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(
      screen.getByRole('button', { name: '未実行: 1 件' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: '正常: 1 件' }),
    ).toBeInTheDocument();

    expect(await screen.findByText('価格同期処理')).toBeInTheDocument();

    listJobs.mockResolvedValueOnce(aPage([jobs[0]]));
    fireEvent.click(errors);
    await waitFor(() =>
      expect(listJobs).toHaveBeenLastCalledWith(
        expect.objectContaining({ health: ['error'], offset: 0 }),
      ),
    );
    await waitFor(() =>
      expect(screen.queryByText('価格同期処理')).not.toBeInTheDocument(),
    );
    expect(screen.getByText('夜間エクスポート')).toBeInTheDocument();
    expect(errors).toHaveAttribute('aria-pressed', 'true');

    fireEvent.click(screen.getByRole('button', { name: 'すべて: 3 件' }));
    await waitFor(() =>
      expect(listJobs).toHaveBeenLastCalledWith(
        expect.objectContaining({ health: undefined }),
      ),
    );
    // Retried as a whole: the list may be drawn again between finding a row
    // and looking at it (seen on a loaded machine: the row found was no
    // longer in the document).
    await waitFor(() =>
      expect(screen.getByText('価格同期処理')).toBeInTheDocument(),
    );
  });

  it("opens on the badge's list, and its count is a filter of its own", async () => {
    const { api, listJobs } = apiOf(someJobs());
    jest.spyOn(api, 'getSummary').mockResolvedValue({
      ...(await api.getSummary()),
      attentionCount: 2,
    });
    // Where the badge and the home card link to.
    await renderMonitor(api, undefined, { path: '/monitor?attention=true' });

    const attention = await screen.findByRole('button', {
      name: '要対応: 2 件',
    });
    expect(attention).toHaveAttribute('aria-pressed', 'true');
    await waitFor(() =>
      expect(listJobs).toHaveBeenLastCalledWith(
        expect.objectContaining({ attention: true }),
      ),
    );
    expect(
      screen.getByRole('button', { name: 'すべて: 3 件' }),
    ).toHaveAttribute('aria-pressed', 'false');

    fireEvent.click(screen.getByRole('button', { name: 'すべて: 3 件' }));
    await waitFor(() =>
      expect(listJobs).toHaveBeenLastCalledWith(
        expect.objectContaining({ attention: undefined }),
      ),
    );
    expect(attention).toHaveAttribute('aria-pressed', 'false');
    fireEvent.click(attention);
    await waitFor(() =>
      expect(listJobs).toHaveBeenLastCalledWith(
        expect.objectContaining({ attention: true }),
      ),
    );
  });

  it('searches keys and titles: sends what is typed, and shows what was found', async () => {
    const jobs = someJobs();
    const { api, listJobs } = apiOf(jobs);
    await renderMonitor(api);
    const search = await screen.findByLabelText('キーまたはタイトルで検索');

    listJobs.mockResolvedValueOnce(aPage([jobs[2]]));
    fireEvent.change(search, { target: { value: 'weekly' } });
    await waitFor(() =>
      expect(listJobs).toHaveBeenLastCalledWith(
        expect.objectContaining({ q: 'weekly', offset: 0 }),
      ),
    );
    await waitFor(() =>
      expect(screen.queryByText('夜間エクスポート')).not.toBeInTheDocument(),
    );
    expect(screen.getByText('週次レポート')).toBeInTheDocument();
  });

  it("asks the monitor for an owner's jobs, and shows those it answers", async () => {
    const jobs = someJobs();
    const { api, listJobs } = apiOf(jobs);
    listJobs.mockResolvedValue(aPage([jobs[0]]));
    await renderMonitor(api, undefined, {
      path: '/monitor?owner=group:default/pricing',
    });
    expect(await screen.findByText('夜間エクスポート')).toBeInTheDocument();
    expect(screen.queryByText('価格同期処理')).not.toBeInTheDocument();
    expect(listJobs).toHaveBeenLastCalledWith(
      expect.objectContaining({ owner: 'group:default/pricing' }),
    );
  });

  it('teaches how to report before any job did', async () => {
    await renderMonitor(new InMemoryMonitorApi([]));
    expect(
      await screen.findByText('まだジョブからの報告はありません'),
    ).toBeInTheDocument();
    expect(screen.getByText('Python から報告する')).toBeInTheDocument();
    expect(
      screen.getAllByText(/http:\/\/portal\.test\/api\/monitor\/job-report/)
        .length,
    ).toBeGreaterThan(0);
    expect(screen.getAllByText(/report_job_status/).length).toBeGreaterThan(0);
    expect(screen.getByText('curl で試す')).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /copy/i }).length).toBe(2);
  });

  it('says so when the jobs cannot be read', async () => {
    const api = new InMemoryMonitorApi([]);
    api.getSummary = () => Promise.reject(new Error('backend unreachable'));
    await renderMonitor(api);
    expect(
      await screen.findByText('Error: backend unreachable'),
    ).toBeInTheDocument();
  });

  it('takes a job page back to the list with the filters it had', async () => {
    const { api, listJobs } = apiOf(someJobs());
    await renderMonitor(api, undefined, {
      path: '/monitor?health=error&q=export',
    });

    fireEvent.click(await screen.findByText('夜間エクスポート'));
    const back = await screen.findByRole('link', { name: '一覧へ戻る' });
    expect(back).toHaveAttribute('href', '/monitor?health=error&q=export');

    fireEvent.click(back);
    expect(
      await screen.findByRole('button', { name: 'エラー: 1 件' }),
    ).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByLabelText('キーまたはタイトルで検索')).toHaveValue(
      'export',
    );
    expect(listJobs).toHaveBeenLastCalledWith(
      expect.objectContaining({ health: ['error'], q: 'export' }),
    );
  });

  it('moves a link to a page beyond the last to the last page', async () => {
    // 25 jobs: two pages of 20; the link asks for the fifth.
    const lastPage = [20, 21, 22, 23, 24].map(i =>
      aJob({ jobKey: `job-${i}`, title: `ジョブ ${i}` }),
    );
    const { api, listJobs } = apiOf(lastPage);
    listJobs
      .mockResolvedValueOnce(aPage([], 25))
      .mockResolvedValue(aPage(lastPage, 25));
    await renderMonitor(api, undefined, { path: '/monitor?page=4&sort=name' });

    expect(await screen.findByText('ジョブ 24')).toBeInTheDocument();
    expect(screen.getByText('ジョブ 20')).toBeInTheDocument();
    expect(listJobs).toHaveBeenCalledTimes(2);
    expect(listJobs).toHaveBeenNthCalledWith(
      1,
      expect.objectContaining({ sort: 'name', limit: 20, offset: 80 }),
    );
    expect(listJobs).toHaveBeenLastCalledWith(
      expect.objectContaining({ sort: 'name', limit: 20, offset: 20 }),
    );
  });
});
