import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import { monitorApiRef } from '../../api';
import { InMemoryMonitorApi, aJob } from '../../__testUtils__/fakeMonitorApi';
import { formatDateTime } from '../JobTable/formatDateTime';
import { MonitorPage } from './MonitorPage';

async function renderPage(api: InMemoryMonitorApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[monitorApiRef, api]]}>
      <MonitorPage />
    </TestApiProvider>,
  );
}

describe('MonitorPage', () => {
  it('lists every job in the Python監視 section', async () => {
    await renderPage(
      new InMemoryMonitorApi([
        aJob({
          jobKey: 'nightly-export',
          title: '夜間エクスポート',
          status: 'error',
          finishedAt: '2024-01-25T11:00:00.000Z',
          message: 'ValueError: 価格フィードが空です',
        }),
        aJob(),
      ]),
    );

    expect(screen.getAllByText('障害')[0]).toBeInTheDocument();
    expect(screen.getByText('Python監視')).toBeInTheDocument();

    const row = (await screen.findByText('夜間エクスポート')).closest('tr')!;
    expect(within(row).getByText('nightly-export')).toBeInTheDocument();
    expect(
      within(row).getByText('エラー').closest('[data-status]'),
    ).toHaveAttribute('data-status', 'error');
    expect(
      within(row).getByText('ValueError: 価格フィードが空です'),
    ).toBeInTheDocument();
    expect(
      within(row).getByText(formatDateTime('2024-01-25T11:00:00.000Z')),
    ).toHaveAttribute('datetime', '2024-01-25T11:00:00.000Z');

    const other = screen.getByText('価格同期処理').closest('tr')!;
    expect(within(other).getByText('成功')).toBeInTheDocument();
  });

  it('shows a message as text, never as markup', async () => {
    await renderPage(
      new InMemoryMonitorApi([
        aJob({ status: 'error', message: '<img src=x onerror=alert(1)>' }),
      ]),
    );
    expect(
      await screen.findByText('<img src=x onerror=alert(1)>'),
    ).toBeInTheDocument();
    expect(document.querySelector('img[src="x"]')).toBeNull();
  });

  it('says so when no job has reported yet', async () => {
    await renderPage(new InMemoryMonitorApi([]));
    expect(
      await screen.findByText('まだジョブからの報告はありません。'),
    ).toBeInTheDocument();
  });

  it('shows an error when the jobs cannot be loaded', async () => {
    const api = new InMemoryMonitorApi([]);
    api.listJobs = () => Promise.reject(new Error('backend unreachable'));
    await renderPage(api);
    expect(
      await screen.findByText('Error: backend unreachable'),
    ).toBeInTheDocument();
  });
});

describe('formatDateTime', () => {
  it('writes the instant in the given locale and the local time zone', () => {
    const iso = '2024-01-25T10:00:00.000Z';
    const local = new Date(iso);
    const text = formatDateTime(iso, 'en-US');
    expect(text).toContain(String(local.getFullYear()));
    expect(text).toContain(String(local.getDate()));
    expect(text).toContain(String(local.getSeconds()).padStart(2, '0'));
  });
});
