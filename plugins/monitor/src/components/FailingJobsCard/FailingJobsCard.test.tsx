import { act, screen, waitFor, within } from '@testing-library/react';
import { MONITOR_SIGNAL_CHANNEL } from '@tc-portal/plugin-monitor-common';
import {
  aJob,
  aPage,
  InMemoryMonitorApi,
} from '../../__testUtils__/fakeMonitorApi';
import {
  renderMonitor,
  TestSignalApi,
} from '../../__testUtils__/renderMonitor';
import { MonitorFailingJobsCard } from '../../plugin';

/**
 * Which jobs need attention is the backend's to say (`attention=true`, the
 * badge's own list: monitor-backend's attention.test.ts, over HTTP, with
 * 60 jobs taken up and 3 not). The card shows the page it gets.
 */
function apiAnswering(...pages: Array<{ titles: string[]; total: number }>) {
  const api = new InMemoryMonitorApi([]);
  const listJobs = jest.spyOn(api, 'listJobs');
  for (const page of pages) {
    const jobs = page.titles.map((title, i) =>
      aJob({ jobKey: `job-${i}`, title, latestOutcome: 'error' }),
    );
    listJobs.mockResolvedValueOnce(aPage(jobs, page.total));
  }
  return { api, listJobs };
}

describe('the home page card of the jobs that need attention', () => {
  it("asks for the badge's own list, and shows its count and first jobs, linking to each and to the whole list", async () => {
    const { api, listJobs } = apiAnswering({
      titles: ['価格同期', '在庫同期', '請求書発行'],
      total: 3,
    });
    await renderMonitor(api, <MonitorFailingJobsCard />);

    expect(
      await screen.findByTestId('monitor-attention-count'),
    ).toHaveTextContent(/^3$/);
    expect(listJobs).toHaveBeenCalledWith({
      attention: true,
      sort: 'health',
      limit: 5,
    });
    expect(screen.getByText('対応が必要なジョブ')).toBeInTheDocument();
    const list = screen.getByRole('list');
    expect(
      within(list)
        .getAllByRole('link')
        .map(link => [link.textContent, link.getAttribute('href')]),
    ).toEqual([
      ['価格同期', '/monitor/jobs/job-0'],
      ['在庫同期', '/monitor/jobs/job-1'],
      ['請求書発行', '/monitor/jobs/job-2'],
    ]);
    expect(
      screen.getByRole('link', { name: '対応が必要なジョブをすべて見る' }),
    ).toHaveAttribute('href', '/monitor?attention=true');
  });

  it('counts every job of the list, beyond the five it names', async () => {
    const { api } = apiAnswering({
      titles: ['a', 'b', 'c', 'd', 'e'],
      total: 63,
    });
    await renderMonitor(api, <MonitorFailingJobsCard />);
    expect(
      await screen.findByTestId('monitor-attention-count'),
    ).toHaveTextContent(/^63$/);
    expect(within(screen.getByRole('list')).getAllByRole('link')).toHaveLength(
      5,
    );
  });

  it('follows the jobs live', async () => {
    const { api, listJobs } = apiAnswering(
      { titles: ['価格同期'], total: 1 },
      { titles: ['価格同期', '新しい失敗'], total: 2 },
    );
    const signals = new TestSignalApi();
    await renderMonitor(api, <MonitorFailingJobsCard />, { signals });
    const count = await screen.findByTestId('monitor-attention-count');
    expect(count).toHaveTextContent(/^1$/);

    act(() => signals.send(MONITOR_SIGNAL_CHANNEL, { changed: true }));
    await waitFor(() => expect(count).toHaveTextContent(/^2$/));
    expect(listJobs).toHaveBeenCalledTimes(2);
    expect(
      screen.getByRole('link', { name: '新しい失敗' }),
    ).toBeInTheDocument();
  });

  it('says so when no job needs attention', async () => {
    const { api } = apiAnswering({ titles: [], total: 0 });
    await renderMonitor(api, <MonitorFailingJobsCard />);
    expect(
      await screen.findByText('対応が必要なジョブはありません。'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('monitor-attention-count')).toHaveTextContent(
      /^0$/,
    );
  });
});
