import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  describeHealthReason,
  JOB_HEALTH_LABELS,
  MONITOR_SIGNAL_CHANNEL,
  MonitorJobChange,
  MonitorJobSignal,
} from '@tc-portal/plugin-monitor-common';
import { HealthChange, JobRecord } from '../database/types';
import { notificationFor } from '../health';

export type AnnouncerOptions = {
  notifications: NotificationService;
  signals: SignalsService;
  logger: LoggerService;
  /** Whether to send notifications at all. */
  notify: boolean;
  /** Who hears of jobs linked to no entity. */
  defaultRecipient?: string;
  /** Where the 障害 page is mounted in the app, for notification links. */
  pagePath: string;
};

/**
 * How long the changes of jobs gather before one signal carries them all.
 * Pages reload at most once a second anyway; one signal per report would
 * cost each report a second request and an event on the bus.
 */
const SIGNAL_INTERVAL_MS = 250;

/**
 * Tells people and pages about jobs: a Backstage notification to the owner
 * of the job's entity on each change of health worth telling, and signals
 * of the jobs that changed so open pages and the badge update live.
 *
 * Both are optional: without the notifications or signals backend in the
 * portal, sending fails, is logged, and the monitor goes on.
 */
export class JobAnnouncer {
  /** The jobs changed since the last signal, in the order of their changes. */
  private readonly changedJobs = new Map<string, MonitorJobChange>();
  private signalTimer?: ReturnType<typeof setTimeout>;

  constructor(private readonly options: AnnouncerOptions) {}

  /** A job changed: it was reported, judged, acknowledged, muted or deleted. */
  async jobChanged(
    jobKey: string,
    job: JobRecord | undefined,
    change: HealthChange | undefined,
    now: Date,
  ): Promise<void> {
    this.queueSignal({
      jobKey,
      health: job?.health ?? null,
      ...(job ? {} : { deleted: true }),
    });
    if (job && change) {
      await this.notify(job, change, now);
    }
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

  private async notify(job: JobRecord, change: HealthChange, now: Date) {
    const kind = notificationFor(change.from, change.to);
    if (!kind || !this.options.notify) {
      return;
    }
    if (job.mute && job.mute.until > now) {
      return;
    }
    const recipient = job.entityRef ?? this.options.defaultRecipient;
    if (!recipient) {
      this.options.logger.debug(
        `Job '${job.jobKey}' is ${change.to}, but is linked to no entity and no default recipient is configured`,
      );
      return;
    }
    const title =
      kind.kind === 'failure'
        ? `【障害】${job.title}: ${JOB_HEALTH_LABELS[change.to]}`
        : `【復旧】${job.title}: ${JOB_HEALTH_LABELS[change.to]}`;
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: recipient },
        payload: {
          title,
          description: `${job.jobKey}: ${describeHealthReason(change.reason)}${
            kind.kind === 'failure' && job.message
              ? `\n${job.message.slice(-500)}`
              : ''
          }`,
          link: `${this.options.pagePath}/jobs/${encodeURIComponent(
            job.jobKey,
          )}`,
          severity: kind.severity,
          topic: 'monitor',
          // One notification per job: a recovery updates the failure's.
          scope: `monitor:job:${job.jobKey}`,
        },
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not notify ${recipient} that job '${job.jobKey}' is ${change.to}: ${error}`,
      );
    }
  }
}
