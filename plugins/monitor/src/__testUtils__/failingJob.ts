import { aJob, aRun, InMemoryMonitorApi } from './fakeMonitorApi';

/** A failing job with a schedule, runs and a change of health. */
export function failingJobApi() {
  const api = new InMemoryMonitorApi([
    aJob({
      jobKey: 'nightly-export',
      title: '夜間エクスポート',
      latestOutcome: 'error',
      health: 'error',
      healthReason: 'the latest run failed',
      healthReasonDetail: { code: 'failed', failures: 1, latest: 'error' },
      healthSince: '2024-01-25T11:00:05.000Z',
      entityRef: 'component:default/price-service',
      schedule: {
        cron: '0 2 * * *',
        timezone: 'Asia/Tokyo',
        grace: 'PT30M',
        maxRuntime: 'PT1H',
        minRuntime: 'PT5M',
        source: 'config',
      },
      failureThreshold: 3,
      recoveryThreshold: 2,
      nextExpectedAt: '2024-01-26T17:00:00.000Z',
    }),
  ]);
  api.runs['nightly-export'] = [
    aRun({
      jobKey: 'nightly-export',
      status: 'error',
      exitCode: 2,
      host: 'batch-07',
      durationMs: 65_000,
      message:
        'Traceback (most recent call last):\n  File "export.py"\n<b>KeyError</b>',
    }),
    aRun({ jobKey: 'nightly-export', status: 'success', durationMs: 30_000 }),
    aRun({ jobKey: 'nightly-export', status: 'timeout', durationMs: null }),
  ];
  api.healthChanges['nightly-export'] = [
    {
      id: '2',
      jobKey: 'nightly-export',
      from: 'ok',
      to: 'error',
      reason: 'the latest run failed',
      reasonDetail: { code: 'failed', failures: 1, latest: 'error' },
      changedAt: '2024-01-25T11:00:05.000Z',
    },
  ];
  api.attentionChanges['nightly-export'] = [
    {
      id: '2',
      jobKey: 'nightly-export',
      kind: 'unmuted',
      by: 'user:default/guest',
      at: '2024-01-25T12:00:00.000Z',
      note: null,
      until: null,
    },
    {
      id: '1',
      jobKey: 'nightly-export',
      kind: 'muted',
      by: 'user:default/guest',
      at: '2024-01-25T11:30:00.000Z',
      note: 'メンテナンス中',
      until: '2024-01-25T18:00:00.000Z',
    },
  ];
  return api;
}

export const detailPath = '/monitor/jobs/nightly-export';
