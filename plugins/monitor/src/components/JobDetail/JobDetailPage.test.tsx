import { act, screen, waitFor, within } from '@testing-library/react';
import { MONITOR_SIGNAL_CHANNEL } from '@tc-portal/plugin-monitor-common';
import { detailPath, failingJobApi } from '../../__testUtils__/failingJob';
import {
  renderMonitor,
  TestSignalApi,
} from '../../__testUtils__/renderMonitor';
import { formatters } from '../../hooks/useFormatters';

describe('a job detail', () => {
  it('shows its health, reason, entity, schedule and thresholds', async () => {
    await renderMonitor(failingJobApi(), undefined, { path: detailPath });
    const format = formatters('ja');

    expect(
      (await screen.findAllByText('夜間エクスポート')).length,
    ).toBeGreaterThan(0);
    expect(screen.getAllByText('エラー')[0]).toBeInTheDocument();
    expect(
      screen.getByText(`${format.dateTime('2024-01-25T11:00:05.000Z')} から`),
    ).toBeInTheDocument();
    expect(screen.getAllByText('直近の実行が失敗しました').length).toBe(2);
    expect(screen.getByText('price-service').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/component/price-service',
    );
    expect(
      screen.getByText('cron「0 2 * * *」(Asia/Tokyo) (設定による)'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('3 回連続の失敗で障害、2 回連続の成功で復旧'),
    ).toBeInTheDocument();
    expect(screen.getByText('最短実行時間')).toBeInTheDocument();
    expect(screen.getByText(format.isoDuration('PT5M'))).toBeInTheDocument();
    expect(
      screen.getByText(format.dateTime('2024-01-26T17:00:00.000Z')),
    ).toBeInTheDocument();
  });

  it('says which job it fails because of, and what it depends on', async () => {
    const api = failingJobApi();
    api.jobs[0] = {
      ...api.jobs[0],
      upstream: { jobKey: 'price-export', title: '価格エクスポート' },
      dependsOn: ['price-export', 'fx-rates'],
    };
    await renderMonitor(api, undefined, { path: detailPath });
    expect(
      (await screen.findByText('上流: 価格エクスポート')).closest('a'),
    ).toHaveAttribute('href', '/monitor/jobs/price-export');
    expect(
      screen.getAllByText(/依存先のジョブ「価格エクスポート」の障害による/)
        .length,
    ).toBeGreaterThan(0);
    expect(screen.getByText('price-export, fx-rates')).toBeInTheDocument();
  });

  it("says when its schedule is its entity's declaration", async () => {
    const api = failingJobApi();
    api.jobs[0] = {
      ...api.jobs[0],
      schedule: { ...api.jobs[0].schedule!, source: 'catalog' },
    };
    await renderMonitor(api, undefined, { path: detailPath });
    expect(
      await screen.findByText(
        'cron「0 2 * * *」(Asia/Tokyo) (エンティティのアノテーションによる)',
      ),
    ).toBeInTheDocument();
  });

  it('shows who muted it and who took that back', async () => {
    await renderMonitor(failingJobApi(), undefined, { path: detailPath });
    const format = formatters('ja');
    // The table under its title.
    let history: HTMLElement = await screen.findByText(
      '確認・ミュート・メンテナンスの履歴',
    );
    while (!history.querySelector('table')) {
      history = history.parentElement!;
    }
    const rows = within(history)
      .getAllByRole('row')
      .slice(1)
      .map(row => row.textContent);
    expect(rows).toEqual([
      `${format.dateTime('2024-01-25T12:00:00.000Z')}guestミュートを解除した`,
      `${format.dateTime(
        '2024-01-25T11:30:00.000Z',
      )}guestミュートしたメンテナンス中${format.dateTime(
        '2024-01-25T18:00:00.000Z',
      )}`,
    ]);
  });

  it('lists its runs with exit code, host and the whole message as text', async () => {
    await renderMonitor(failingJobApi(), undefined, { path: detailPath });
    const message = await screen.findByText(/KeyError/);
    expect(message.textContent).toBe(
      'Traceback (most recent call last):\n  File "export.py"\n<b>KeyError</b>',
    );
    expect(message.querySelector('b')).toBeNull();
    const row = message.closest('tr')!;
    expect(within(row).getByText('2')).toBeInTheDocument();
    expect(within(row).getByText('batch-07')).toBeInTheDocument();
    expect(
      within(row).getByText(formatters('ja').duration(65_000)),
    ).toBeInTheDocument();
  });

  it('charts the durations and outcomes of its runs', async () => {
    await renderMonitor(failingJobApi(), undefined, { path: detailPath });
    const chart = await screen.findByRole('img', {
      name: '直近 3 回の実行の所要時間と結果',
    });
    const bars = [...chart.querySelectorAll('rect[data-outcome]')].map(r =>
      r.getAttribute('data-outcome'),
    );
    // Oldest on the left.
    expect(bars).toEqual(['timeout', 'success', 'error']);
    expect(within(chart).queryByTestId('baseline-band')).toBeNull();
  });

  it('draws the band of the usual durations, and marks a slow run on the chart and in the runs', async () => {
    const api = failingJobApi();
    const [failed, succeeded, timedOut] = api.runs['nightly-export'];
    const slow = {
      kind: 'slow' as const,
      durationMs: 30_000,
      p50Ms: 8_000,
      p95Ms: 12_000,
      slowFactor: 2,
    };
    const early = {
      kind: 'early' as const,
      slotAt: '2024-01-25T17:00:00.000Z',
      earlyByMs: 20 * 60_000,
    };
    api.runs['nightly-export'] = [
      failed,
      { ...succeeded, warnings: [slow] },
      { ...timedOut, warnings: [early] },
    ];
    api.baselines['nightly-export'] = {
      p50Ms: 8_000,
      p95Ms: 12_000,
      runs: 14,
      slowFactor: 2,
    };
    await renderMonitor(api, undefined, { path: detailPath });
    const format = formatters('ja');
    const chart = await screen.findByRole('img', {
      name: '直近 3 回の実行の所要時間と結果',
    });
    const band = within(chart).getByTestId('baseline-band');
    expect(band.textContent).toBe(
      `通常の所要時間 (中央値〜p95): ${format.duration(
        8_000,
      )}〜${format.duration(12_000)} (直近 14 回の成功から)`,
    );
    // From the p50 up to the p95 of the chart's scale (the longest, 65 s).
    const scale = (ms: number) => ((120 - 8) * ms) / 65_000;
    expect(Number(band.getAttribute('height'))).toBeCloseTo(
      scale(12_000) - scale(8_000),
    );
    expect(Number(band.getAttribute('y'))).toBeCloseTo(120 - scale(12_000));
    expect(
      [...chart.querySelectorAll('rect[data-slow]')].map(r =>
        r.getAttribute('data-outcome'),
      ),
    ).toEqual(['success']);

    const mark = screen.getByLabelText(
      `遅延: ${format.duration(30_000)}: 通常の ${format.duration(
        12_000,
      )} (p95、中央値は ${format.duration(8_000)}) の 2 倍を超えています`,
    );
    expect(
      within(mark.closest('tr')!).getByText(format.duration(30_000)),
    ).toBeInTheDocument();
    expect(
      screen.getByLabelText(
        `早すぎる実行: 予定 ${format.dateTime(
          '2024-01-25T17:00:00.000Z',
        )} より ${format.duration(20 * 60_000)} 早く始まりました`,
      ),
    ).toHaveAttribute('data-warning', 'early');
  });

  it('shows its changes of health', async () => {
    await renderMonitor(failingJobApi(), undefined, { path: detailPath });
    const table = (await screen.findByText('ヘルスの変化')).closest(
      'div[class*="MuiPaper"]',
    ) as HTMLElement;
    expect(within(table).getByText('正常')).toBeInTheDocument();
    expect(within(table).getByText('エラー')).toBeInTheDocument();
  });

  it('offers no action to a user without the permissions, and says who may act', async () => {
    const api = failingJobApi();
    api.jobOwners['nightly-export'] = ['group:default/pricing-team'];
    await renderMonitor(api, undefined, { path: detailPath });
    await screen.findByText(/KeyError/);
    expect(screen.queryByRole('button', { name: '確認済みにする' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'ミュート' })).toBeNull();
    expect(screen.queryByRole('button', { name: '削除' })).toBeNull();
    const note = await screen.findByTestId('monitor-not-allowed');
    expect(note).toHaveTextContent(
      'あなたにはこのジョブを確認済みにしたりミュートしたりする権限がありません。対応できるのはオーナーです:',
    );
    expect(within(note).getByText('pricing-team').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/group/pricing-team',
    );
  });

  it('says why nobody may act on a job that nobody owns', async () => {
    const api = failingJobApi();
    api.jobs = [{ ...api.jobs[0], entityRef: null }];
    await renderMonitor(api, undefined, { path: detailPath });
    expect(await screen.findByTestId('monitor-not-allowed')).toHaveTextContent(
      /どのエンティティにも紐づいておらず、既定のオーナー \(monitor.defaultOwner\) も設定されていない/,
    );
  });

  it('says so for a job that does not exist', async () => {
    await renderMonitor(failingJobApi(), undefined, {
      path: '/monitor/jobs/nope',
    });
    expect(
      await screen.findByText('ジョブ「nope」は見つかりません。'),
    ).toBeInTheDocument();
  });

  it('reloads once on a burst of signals', async () => {
    const api = failingJobApi();
    const signals = new TestSignalApi();
    await renderMonitor(api, undefined, { path: detailPath, signals });
    await screen.findByText(/KeyError/);
    const getJob = jest.spyOn(api, 'getJob');

    api.jobs = [{ ...api.jobs[0], title: '夜間エクスポート (改)' }];
    // A signal says only that jobs changed: the page asks the API.
    act(() => {
      signals.send(MONITOR_SIGNAL_CHANNEL, { changed: true });
      signals.send(MONITOR_SIGNAL_CHANNEL, { changed: true });
      signals.send(MONITOR_SIGNAL_CHANNEL, { changed: true });
    });
    await waitFor(() =>
      expect(
        screen.getAllByText('夜間エクスポート (改)').length,
      ).toBeGreaterThan(0),
    );
    expect(getJob).toHaveBeenCalledTimes(1);
  });
});
