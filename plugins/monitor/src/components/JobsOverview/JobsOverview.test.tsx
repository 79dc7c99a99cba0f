import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { aJob, InMemoryMonitorApi } from '../../__testUtils__/fakeMonitorApi';
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

const rowOf = async (text: string) =>
  (await screen.findByText(text)).closest('tr')!;

describe('the Python監視 overview', () => {
  it('lists every job with its health, entity, times, duration, outcomes and message', async () => {
    await renderMonitor(new InMemoryMonitorApi(someJobs()));

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

  it('counts jobs per health, each count a filter', async () => {
    await renderMonitor(new InMemoryMonitorApi(someJobs()));

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

    fireEvent.click(errors);
    await waitFor(() =>
      expect(screen.queryByText('価格同期処理')).not.toBeInTheDocument(),
    );
    expect(screen.getByText('夜間エクスポート')).toBeInTheDocument();
    expect(errors).toHaveAttribute('aria-pressed', 'true');

    fireEvent.click(screen.getByRole('button', { name: 'すべて: 3 件' }));
    expect(await screen.findByText('価格同期処理')).toBeInTheDocument();
  });

  it('searches keys and titles', async () => {
    await renderMonitor(new InMemoryMonitorApi(someJobs()));
    fireEvent.change(await screen.findByLabelText('キーまたはタイトルで検索'), {
      target: { value: 'weekly' },
    });
    await waitFor(() =>
      expect(screen.queryByText('夜間エクスポート')).not.toBeInTheDocument(),
    );
    expect(screen.getByText('週次レポート')).toBeInTheDocument();
  });

  it("asks the monitor for an owner's jobs", async () => {
    const api = new InMemoryMonitorApi(someJobs());
    api.owners['group:default/pricing'] = ['nightly-export'];
    const listJobs = jest.spyOn(api, 'listJobs');
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
    await renderMonitor(new InMemoryMonitorApi(someJobs()), undefined, {
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
  });

  it('moves a link to a page beyond the last to the last page', async () => {
    // 25 jobs: two pages of 20; the link asks for the fifth.
    const jobs = Array.from({ length: 25 }, (_, i) =>
      aJob({
        jobKey: `job-${String(i).padStart(2, '0')}`,
        title: `ジョブ ${String(i).padStart(2, '0')}`,
      }),
    );
    await renderMonitor(new InMemoryMonitorApi(jobs), undefined, {
      path: '/monitor?page=4&sort=name',
    });

    expect(await screen.findByText('ジョブ 24')).toBeInTheDocument();
    expect(screen.getByText('ジョブ 20')).toBeInTheDocument();
    expect(screen.queryByText('ジョブ 19')).not.toBeInTheDocument();
  });
});
