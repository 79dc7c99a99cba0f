import { LoggerService } from '@backstage/backend-plugin-api';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  MONITOR_SIGNAL_CHANNEL,
  MonitorJobSignal,
} from '@tc-portal/plugin-monitor-common';

export type AnnouncerOptions = {
  signals: SignalsService;
  logger: LoggerService;
  /** The version of the data now. */
  version: () => Promise<string>;
};

/**
 * How long changes gather before one signal tells of them all. Pages reload
 * at most once a second anyway; one signal per report would cost each
 * report a second request and an event on the bus.
 */
const SIGNAL_INTERVAL_MS = 250;

/**
 * Tells open pages and the badge that jobs changed, live: at most one
 * signal a quarter second, saying only that something changed (it reaches
 * every signed-in user; what changed is for the read API to tell those who
 * may read it). It is best effort (a page also reloads on its own now and
 * then); the notifications of changes of health, which must arrive, go
 * through the outbox (ChangeNotifier).
 *
 * Without the signals backend in the portal, sending fails, is logged, and
 * the monitor goes on.
 */
export class JobAnnouncer {
  private signalTimer?: ReturnType<typeof setTimeout>;
  private changed = false;

  constructor(private readonly options: AnnouncerOptions) {}

  /**
   * Jobs changed: reported, judged, acknowledged, muted, relinked or
   * deleted. Returns at once; the signal goes out with the next ones.
   */
  jobsChanged(): void {
    this.changed = true;
    this.signalTimer ??= setTimeout(
      () => void this.sendSignal(),
      SIGNAL_INTERVAL_MS,
    );
  }

  /** Signals the changes gathered so far, if any (also when shutting down). */
  async sendSignal(): Promise<void> {
    clearTimeout(this.signalTimer);
    this.signalTimer = undefined;
    if (!this.changed) {
      return;
    }
    this.changed = false;
    try {
      await this.options.signals.publish<MonitorJobSignal>({
        recipients: { type: 'broadcast' },
        channel: MONITOR_SIGNAL_CHANNEL,
        message: { changed: true, version: await this.options.version() },
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not publish that jobs changed as a signal: ${error}`,
      );
    }
  }
}
