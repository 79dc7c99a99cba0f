import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  MONITOR_SIGNAL_CHANNEL,
  MonitorJobChange,
  MonitorJobSignal,
} from '@tc-portal/plugin-monitor-common';
import { JobRecord } from '../database/types';

export type AnnouncerOptions = {
  signals: SignalsService;
  logger: LoggerService;
};

/**
 * How long the changes of jobs gather before one signal carries them all.
 * Pages reload at most once a second anyway; one signal per report would
 * cost each report a second request and an event on the bus.
 */
const SIGNAL_INTERVAL_MS = 250;

/**
 * Tells open pages and the badge about jobs that changed, live: a signal
 * listing them, at most every quarter second. It is best effort (a page
 * also reloads on its own now and then); the notifications of changes of
 * health, which must arrive, go through the outbox (ChangeNotifier).
 *
 * Without the signals backend in the portal, sending fails, is logged, and
 * the monitor goes on.
 */
export class JobAnnouncer {
  /** The jobs changed since the last signal, in the order of their changes. */
  private readonly changedJobs = new Map<string, MonitorJobChange>();
  private signalTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly options: AnnouncerOptions) {}

  /**
   * A job changed: it was reported, judged, acknowledged, muted or deleted
   * (no job). Returns at once; the signal goes out with the next ones.
   */
  jobChanged(jobKey: string, job: JobRecord | undefined): void {
    this.queueSignal({
      jobKey,
      health: job?.health ?? null,
      ...(job ? {} : { deleted: true }),
    });
  }

  private queueSignal(change: MonitorJobChange) {
    this.changedJobs.delete(change.jobKey);
    this.changedJobs.set(change.jobKey, change);
    this.signalTimer ??= setTimeout(
      () => void this.sendSignal(),
      SIGNAL_INTERVAL_MS,
    );
  }

  /** Signals the changes gathered so far, if any (also when shutting down). */
  async sendSignal(): Promise<void> {
    clearTimeout(this.signalTimer);
    this.signalTimer = undefined;
    if (this.changedJobs.size === 0) {
      return;
    }
    const jobs = [...this.changedJobs.values()];
    this.changedJobs.clear();
    try {
      await this.options.signals.publish<MonitorJobSignal>({
        recipients: { type: 'broadcast' },
        channel: MONITOR_SIGNAL_CHANNEL,
        message: { jobs },
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not publish the changes of ${jobs.length} job(s) as a signal: ${error}`,
      );
    }
  }
}
