import { MetricsService } from '@backstage/backend-plugin-api/alpha';
import { JOB_HEALTHS, JobHealth } from '@tc-portal/plugin-monitor-common';

/** Why the webhook refused a report, as the metrics and the audit name it. */
export type ReportRefusal =
  | 'secret'
  | 'invalid'
  | 'too-large'
  | 'deleted'
  | 'disabled'
  | 'unavailable';

/** What became of a notice of a change of health. */
export type NoticeOutcome = 'sent' | 'none' | 'expired' | 'failed';

/**
 * The monitor's instruments, on the backend's metrics service (OpenTelemetry
 * underneath; a portal exports them where it likes, e.g. to Prometheus).
 */
export class MonitorMetrics {
  private readonly reports;
  private readonly reportDuration;
  private readonly notices;
  private readonly taskDuration;
  private readonly jobs;
  private readonly pendingNotices;

  constructor(metrics: MetricsService) {
    this.reports = metrics.createCounter<{
      outcome: 'stored' | 'retry' | 'refused';
      reason?: ReportRefusal;
    }>('reports', {
      description:
        'Job reports received, by outcome (stored, retry, refused) and the reason of a refusal',
      unit: '{report}',
    });
    this.reportDuration = metrics.createHistogram<{ outcome: string }>(
      'report.duration',
      {
        description:
          'How long the webhook took to answer a report, from its arrival',
        unit: 's',
      },
    );
    this.notices = metrics.createCounter<{ outcome: NoticeOutcome }>(
      'notifications',
      {
        description:
          'Notices of changes of health: sent, nobody to tell (none), given up (expired), or failed (tried again)',
        unit: '{notification}',
      },
    );
    this.taskDuration = metrics.createHistogram<{ task: 'check' | 'prune' }>(
      'task.duration',
      {
        description:
          'How long a scheduled check of due jobs, or a pruning of history, took',
        unit: 's',
      },
    );
    this.jobs = metrics.createObservableGauge<{ health: JobHealth }>('jobs', {
      description: 'Jobs by health, acknowledged and muted ones included',
      unit: '{job}',
    });
    this.pendingNotices = metrics.createObservableGauge(
      'notifications.pending',
      {
        description: 'Notices of changes of health waiting to be sent',
        unit: '{notification}',
      },
    );
  }

  reportTaken(outcome: 'stored' | 'retry', startedAt: bigint) {
    this.reports.add(1, { outcome });
    this.reportDuration.record(secondsSince(startedAt), { outcome });
  }

  reportRefused(reason: ReportRefusal, startedAt: bigint) {
    this.reports.add(1, { outcome: 'refused', reason });
    this.reportDuration.record(secondsSince(startedAt), {
      outcome: 'refused',
    });
  }

  noticesSettled(outcome: NoticeOutcome, count: number) {
    if (count > 0) {
      this.notices.add(count, { outcome });
    }
  }

  async timeTask<T>(task: 'check' | 'prune', work: () => Promise<T>) {
    const startedAt = process.hrtime.bigint();
    try {
      return await work();
    } finally {
      this.taskDuration.record(secondsSince(startedAt), { task });
    }
  }

  /** Reads the counts when the metrics are collected, not before. */
  observe(read: {
    jobsByHealth: () => Promise<Record<JobHealth, number>>;
    pendingNotices: () => Promise<number>;
  }) {
    this.jobs.addCallback(async result => {
      const byHealth = await read.jobsByHealth();
      for (const health of JOB_HEALTHS) {
        result.observe(byHealth[health], { health });
      }
    });
    this.pendingNotices.addCallback(async result => {
      result.observe(await read.pendingNotices());
    });
  }
}

function secondsSince(startedAt: bigint): number {
  return Number(process.hrtime.bigint() - startedAt) / 1e9;
}
