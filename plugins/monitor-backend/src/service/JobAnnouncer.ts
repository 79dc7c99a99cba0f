import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { SignalsService } from '@backstage/plugin-signals-node';
import {
  describeHealthReason,
  JOB_HEALTH_LABELS,
  MONITOR_SIGNAL_CHANNEL,
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
 * Tells people and pages about jobs: a Backstage notification to the owner
 * of the job's entity on each change of health worth telling, and a signal
 * on every change of a job so open pages and the badge update live.
 *
 * Both are optional: without the notifications or signals backend in the
 * portal, sending fails, is logged, and the monitor goes on.
 */
export class JobAnnouncer {
  constructor(private readonly options: AnnouncerOptions) {}

  /** A job changed: it was reported, judged, acknowledged, muted or deleted. */
  async jobChanged(
    jobKey: string,
    job: JobRecord | undefined,
    change: HealthChange | undefined,
    now: Date,
  ): Promise<void> {
    await Promise.all([
      this.signal({
        jobKey,
        health: job?.health ?? null,
        ...(job ? {} : { deleted: true }),
      }),
      job && change ? this.notify(job, change, now) : undefined,
    ]);
  }

  private async signal(message: MonitorJobSignal) {
    try {
      await this.options.signals.publish<MonitorJobSignal>({
        recipients: { type: 'broadcast' },
        channel: MONITOR_SIGNAL_CHANNEL,
        message,
      });
    } catch (error) {
      this.options.logger.warn(
        `Could not publish the change of job '${message.jobKey}' as a signal: ${error}`,
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
