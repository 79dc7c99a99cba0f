import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { HealthReason } from '@tc-portal/plugin-monitor-common';
import { formatters } from './useFormatters';
import { useReasonText } from './useReasonText';

function Reason(props: { detail: HealthReason | null; fallback?: string }) {
  const text = useReasonText();
  return <p>{text(props.detail, props.fallback ?? null)}</p>;
}

describe('useReasonText', () => {
  const format = formatters('ja');

  it.each<[HealthReason, string]>([
    [
      { code: 'failed', failures: 1, latest: 'error' },
      '直近の実行が失敗しました',
    ],
    [
      { code: 'failed', failures: 3, latest: 'error' },
      '3 回連続で失敗しました',
    ],
    [
      { code: 'failed', failures: 1, latest: 'timeout' },
      '直近の実行がタイムアウトしました',
    ],
    [
      { code: 'failed', failures: 3, latest: 'timeout' },
      '3 回連続で失敗しました · 直近の実行がタイムアウトしました',
    ],
    [
      { code: 'belowThreshold', failures: 2, threshold: 3 },
      '2 回連続で失敗 (しきい値の 3 回に達していません)',
    ],
    [
      { code: 'timedOut', failures: 1, maxRuntimeMs: 90 * 60 * 1000 },
      `最大実行時間 ${format.duration(
        90 * 60 * 1000,
      )} を過ぎても完了しませんでした`,
    ],
    [
      { code: 'tooFast', failures: 1, durationMs: 2000, minRuntimeMs: 300_000 },
      `${format.duration(2000)} で完了しました (最短実行時間 ${format.duration(
        300_000,
      )} に満たないため失敗とみなします)`,
    ],
    [
      {
        code: 'missed',
        lastReportAt: '2026-01-10T10:00:00.000Z',
        expectedAt: '2026-01-10T11:00:00.000Z',
        graceMs: 15 * 60 * 1000,
      },
      `${format.dateTime(
        '2026-01-10T11:00:00.000Z',
      )} までに実行されず、猶予 ${format.duration(
        15 * 60 * 1000,
      )} を過ぎました · 最後の報告: ${format.dateTime(
        '2026-01-10T10:00:00.000Z',
      )}`,
    ],
  ])('words %j in Japanese', async (detail, expected) => {
    await renderInTestApp(<Reason detail={detail} />);
    expect(screen.getByText(expected)).toBeInTheDocument();
  });

  it("falls back to the backend's words", async () => {
    await renderInTestApp(<Reason detail={null} fallback="legacy words" />);
    expect(screen.getByText('legacy words')).toBeInTheDocument();
  });
});
