import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  NotificationOutbox,
  PendingNotice,
} from '../database/NotificationOutbox';
import { notificationFor } from '../health';
import { Clock } from './clock';
import { NoticeOutcome } from './metrics';
import { notificationWords } from './notificationWords';

/** How long a claimed change is this replica's to send. */
const CLAIM_MS = 20_000;
/** How many changes one round claims. */
const ROUND = 50;
/** How often unsent changes are looked for (those of a replica that died). */
const SWEEP_MS = 15_000;
/** How long one send may take before it counts as failed. */
const SEND_TIMEOUT_MS = 10_000;
/**
 * How long a change is tried. A portal without the notifications backend,
 * or an owner that cannot be told, should not keep a change pending for
 * ever; a day-old failure is history, and the page shows it.
 */
const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Tells the owners of jobs about changes of health, from the outbox of
 * changes (../database/NotificationOutbox): after each commit that
 * recorded one, and every few seconds for what is left (a send that failed,
 * a replica that died between its commit and its send). Nothing waits for
 * it: a slow notifications backend slows no report.
 *
 * Delivery is at least once. A change told twice is one notification: it
 * carries the job's scope, and the notifications backend updates a
 * notification of the same scope rather than adding one.
 */
export class ChangeNotifier {
  private delivering?: Promise<void>;
  private again = false;
  private timer?: ReturnType<typeof setInterval>;

  constructor(
    private readonly options: {
      outbox: NotificationOutbox;
      notifications: NotificationService;
      logger: LoggerService;
      clock: Clock;
      /** Who hears of jobs linked to no entity. */
      defaultRecipient?: string;
      /** Where the 障害 page is mounted in the app, for notification links. */
      pagePath: string;
      /** How the notifications are worded. */
      words: ReturnType<typeof notificationWords>;
      /** Hears what became of each round's notices. */
      onSettled?: (outcome: NoticeOutcome, count: number) => void;
    },
  ) {}

  /** Looks for unsent changes now and every few seconds, until stopped. */
  start() {
    this.poke();
    this.timer = setInterval(() => this.poke(), SWEEP_MS);
    this.timer.unref?.();
  }

  async stop() {
    clearInterval(this.timer);
    await this.delivering;
  }

  /** Sends what is unsent, soon; returns at once. */
  poke(): void {
    if (this.delivering) {
      this.again = true;
      return;
    }
    this.delivering = this.deliver()
      .catch(error =>
        this.options.logger.warn(`Could not send notifications: ${error}`),
      )
      .finally(() => {
        this.delivering = undefined;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Sends every unsent change this replica can claim. */
  async deliver(): Promise<void> {
    for (;;) {
      const notices = await this.options.outbox.claim(
        this.options.clock.now(),
        ROUND,
        CLAIM_MS,
      );
      if (notices.length === 0) {
        return;
      }
      const settled = {
        sent: [] as string[],
        none: [] as string[],
        expired: [] as string[],
      };
      for (const notice of notices) {
        const age =
          this.options.clock.now().getTime() - notice.change.at.getTime();
        const outcome =
          age > GIVE_UP_AFTER_MS ? 'expired' : await this.send(notice);
        if (outcome === 'expired') {
          this.options.logger.warn(
            `Gave up telling that job '${notice.change.jobKey}' became ${
              notice.change.to
            } at ${notice.change.at.toISOString()}`,
          );
        }
        // A failed send stays claimed until its claim runs out, then is
        // tried again.
        if (outcome === 'failed') {
          this.options.onSettled?.('failed', 1);
        } else {
          settled[outcome].push(notice.id);
        }
      }
      const now = this.options.clock.now();
      for (const [delivery, ids] of Object.entries(settled)) {
        await this.options.outbox.settle(
          ids,
          delivery as keyof typeof settled,
          now,
        );
        this.options.onSettled?.(delivery as keyof typeof settled, ids.length);
      }
      if (notices.length < ROUND) {
        return;
      }
    }
  }

  private async send(
    notice: PendingNotice,
  ): Promise<'sent' | 'none' | 'failed'> {
    const { change, job } = notice;
    const kind = notificationFor(change.from, change.to);
    const recipient = job?.entityRef ?? this.options.defaultRecipient;
    if (!job || !kind || !recipient) {
      if (job && kind) {
        this.options.logger.debug(
          `Job '${job.jobKey}' is ${change.to}, but is linked to no entity and no default recipient is configured`,
        );
      }
      return 'none';
    }
    const title = this.options.words.title(kind.kind, job.title, change.to);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(
        () => fail(new Error(`no answer in ${SEND_TIMEOUT_MS / 1000} s`)),
        SEND_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([
        timeout,
        this.options.notifications.send({
          recipients: { type: 'entity', entityRef: recipient },
          payload: {
            title,
            description: `${job.jobKey}: ${this.options.words.reason(
              change.reason,
            )}${
              kind.kind === 'failure' && job.message
                ? `\n${job.message.slice(-500)}`
                : ''
            }`,
            link: `${this.options.pagePath}/jobs/${encodeURIComponent(
              job.jobKey,
            )}`,
            severity: kind.severity,
            topic: 'monitor',
            // One notification per job: a recovery updates the failure's,
            // and a change sent twice is still one.
            scope: `monitor:job:${job.jobKey}`,
          },
        }),
      ]);
      return 'sent';
    } catch (error) {
      this.options.logger.warn(
        `Could not notify ${recipient} that job '${job.jobKey}' is ${change.to}; will try again: ${error}`,
      );
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }
}
