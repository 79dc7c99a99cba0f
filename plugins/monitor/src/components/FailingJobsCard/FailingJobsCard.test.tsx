import { act, screen, waitFor, within } from '@testing-library/react';
import { MONITOR_SIGNAL_CHANNEL } from '@tc-portal/plugin-monitor-common';
import { aJob, InMemoryMonitorApi } from '../../__testUtils__/fakeMonitorApi';
import {
  renderMonitor,
  TestSignalApi,
} from '../../__testUtils__/renderMonitor';
import { MonitorFailingJobsCard } from '../../plugin';

const LATER = new Date(Date.now() + 3_600_000).toISOString();

function jobs() {
  return [
    aJob({
      jobKey: 'nobody-on-it',
      title: '未対応のジョブ',
      latestOutcome: 'error',
    }),
    aJob({
      jobKey: 'acknowledged',
      title: '確認済みのジョブ',
      latestOutcome: 'error',
      acknowledgement: { by: 'user:default/guest', at: '', comment: 'x' },
    }),
    aJob({
      jobKey: 'muted',
      title: 'ミュート中のジョブ',
      latestOutcome: 'error',
      mute: { by: 'user:default/guest', at: '', until: LATER, reason: 'x' },
    }),
    aJob({ jobKey: 'fine', title: '正常なジョブ' }),
  ];
}

describe('the home page card of failing jobs', () => {
  it('shows how many need attention and names them, linking to each and to the page', async () => {
    await renderMonitor(
      new InMemoryMonitorApi(jobs()),
      <MonitorFailingJobsCard />,
    );

    expect(
      await screen.findByTestId('monitor-attention-count'),
    ).toHaveTextContent(/^1$/);
    expect(screen.getByText('対応が必要なジョブ')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: '未対応のジョブ' }),
    ).toHaveAttribute('href', '/monitor/jobs/nobody-on-it');
    for (const title of [
      '確認済みのジョブ',
      'ミュート中のジョブ',
      '正常なジョブ',
    ]) {
      expect(screen.queryByText(title)).not.toBeInTheDocument();
    }
    expect(
      screen.getByRole('link', { name: 'すべてのジョブを見る' }),
    ).toHaveAttribute('href', '/monitor');
  });

  it('follows the jobs live', async () => {
    const api = new InMemoryMonitorApi(jobs());
    const signals = new TestSignalApi();
    await renderMonitor(api, <MonitorFailingJobsCard />, { signals });
    const count = await screen.findByTestId('monitor-attention-count');
    expect(count).toHaveTextContent(/^1$/);

    api.jobs.push(
      aJob({
        jobKey: 'new-failure',
        title: '新しい失敗',
        latestOutcome: 'error',
      }),
    );
    act(() =>
      signals.send(MONITOR_SIGNAL_CHANNEL, {
        jobs: [{ jobKey: 'new-failure', health: 'error' }],
      }),
    );
    await waitFor(() => expect(count).toHaveTextContent(/^2$/));
    const list = screen.getByRole('list');
    expect(
      within(list)
        .getAllByRole('link')
        .map(link => link.textContent)
        .sort(),
    ).toEqual(['新しい失敗', '未対応のジョブ']);
  });

  it('says so when no job needs attention', async () => {
    await renderMonitor(
      new InMemoryMonitorApi([aJob({ jobKey: 'fine' })]),
      <MonitorFailingJobsCard />,
    );
    expect(
      await screen.findByText('対応が必要なジョブはありません。'),
    ).toBeInTheDocument();
    expect(screen.getByTestId('monitor-attention-count')).toHaveTextContent(
      /^0$/,
    );
  });
});
