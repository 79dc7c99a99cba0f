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

/** Bucket bounds of the duration histograms, in seconds. */
const SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
  60,
];

/** The monitor's scheduled tasks, as the metrics name them. */
export type MonitorTask = 'check' | 'prune' | 'link-catalog';

/** What became of a notice of a change of health. */
export type NoticeOutcome = 'sent' | 'expired' | 'failed';

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
    }>('monitor.reports', {
      description:
        'Job reports received, by outcome (stored, retry, refused) and the reason of a refusal',
      unit: '{report}',
    });
    this.reportDuration = metrics.createHistogram<{ outcome: string }>(
      'monitor.report.duration',
      {
        description:
          'How long the webhook took to answer a report, from its arrival',
        unit: 's',
        advice: { explicitBucketBoundaries: SECONDS },
      },
    );
    this.notices = metrics.createCounter<{ outcome: NoticeOutcome }>(
      'monitor.notifications',
      {
        description:
          'Notices of changes of health: sent, given up (expired), or failed (tried again)',
        unit: '{notification}',
      },
    );
    this.taskDuration = metrics.createHistogram<{ task: MonitorTask }>(
      'monitor.task.duration',
      {
        description:
          'How long a scheduled task took: the check of due jobs, the pruning of history, the reading of the jobs the catalog links',
        unit: 's',
        advice: { explicitBucketBoundaries: SECONDS },
      },
    );
    this.jobs = metrics.createObservableGauge<{ health: JobHealth }>(
      'monitor.jobs',
      {
        description: 'Jobs by health, acknowledged and muted ones included',
        unit: '{job}',
      },
    );
    this.pendingNotices = metrics.createObservableGauge(
      'monitor.notifications.pending',
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

  async timeTask<T>(task: MonitorTask, work: () => Promise<T>) {
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
