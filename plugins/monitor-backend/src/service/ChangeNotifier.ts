import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  NotificationOutbox,
  PendingNotice,
} from '../database/NotificationOutbox';
import { Clock } from './clock';
import { NoticeOutcome } from './metrics';
import { notificationWords } from './notificationWords';

/** How long a claimed notice is this replica's to send. */
const CLAIM_MS = 20_000;
/** How many notices one round claims. */
const ROUND = 50;
/** How long one send may take before it counts as failed. */
const SEND_TIMEOUT_MS = 10_000;
/**
 * How long a notice is tried. A portal without the notifications backend,
 * or an owner that cannot be told, should not keep a notice pending for
 * ever; a day-old failure is history, and the page shows it.
 */
const GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Sends the notices of the outbox (../database/NotificationOutbox) as their
 * rows say, to whom and how urgently the decision core decided: after each
 * commit that wrote one, and at each sweep (a scheduled task, every 15 s)
 * for what is left (a send that failed, a replica that died between its
 * commit and its send). Nothing waits for it: a slow notifications backend
 * slows no report. It decides nothing but the words.
 *
 * Delivery is at least once. A notice sent twice is one notification: it
 * carries the job's scope, and the notifications backend updates a
 * notification of the same scope rather than adding one.
 */
export class ChangeNotifier {
  private delivering?: Promise<void>;
  private again = false;

  constructor(
    private readonly options: {
      outbox: NotificationOutbox;
      notifications: NotificationService;
      logger: LoggerService;
      clock: Clock;
      /** Where the 障害 page is mounted in the app, for notification links. */
      pagePath: string;
      /** How the notifications are worded. */
      words: ReturnType<typeof notificationWords>;
      /** The parent group of an owner, for escalations to `parent`. */
      parentGroupOf: (entityRef: string) => Promise<string | undefined>;
      /**
       * The jobs failing because a job fails, with their owner (their
       * entity, else the default owner): its failure's notification names
       * them and tells their owners too.
       */
      downstreamOf?: (
        jobKey: string,
      ) => Promise<Array<{ title: string; owner?: string }>>;
      /** Hears what became of each round's notices. */
      onSettled?: (outcome: NoticeOutcome, count: number) => void;
    },
  ) {}

  /** Sends what is unsent, and waits until it is sent (the sweep). */
  async sweep(): Promise<void> {
    this.poke();
    while (this.delivering) {
      await this.delivering;
    }
  }

  async stop() {
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

  /** Sends every unsent notice this replica can claim. */
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
      const settled = { sent: [] as string[], expired: [] as string[] };
      for (const notice of notices) {
        const age =
          this.options.clock.now().getTime() - notice.change.at.getTime();
        const outcome =
          age > GIVE_UP_AFTER_MS ? 'expired' : await this.send(notice);
        if (outcome === 'expired') {
          this.options.logger.warn(
            `Gave up telling that job '${notice.jobKey}' became ${
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

  /** Sends a notice as its row says: to its recipients, of its kind. */
  private async send(
    notice: PendingNotice,
  ): Promise<'sent' | 'expired' | 'failed'> {
    const { change, job } = notice;
    if (!job) {
      // Deleted since (its notices went with it).
      return 'expired';
    }
    const words = this.options.words;
    const downstream =
      notice.kind !== 'recovery' && notice.kind !== 'slow'
        ? (await this.options.downstreamOf?.(job.jobKey)) ?? []
        : [];
    const recipients = [
      ...new Set([
        ...(await this.recipientsOf(notice)),
        ...downstream.flatMap(d => (d.owner ? [d.owner] : [])),
      ]),
    ];
    if (recipients.length === 0) {
      this.options.logger.warn(
        `Nobody to tell of job '${job.jobKey}': ${JSON.stringify(
          notice.recipients,
        )} named no entity the catalog knows`,
      );
      return 'expired';
    }
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
          recipients: { type: 'entity', entityRef: recipients },
          payload: {
            title: words.title(notice.kind, job.title, change.to),
            description: `${job.jobKey}: ${words.reason(change.reason)}${
              downstream.length
                ? `\n${words.affected(downstream.map(d => d.title))}`
                : ''
            }${
              notice.kind !== 'recovery' && job.message
                ? `\n${job.message.slice(-500)}`
                : ''
            }`,
            link: `${this.options.pagePath}/jobs/${encodeURIComponent(
              job.jobKey,
            )}`,
            severity: notice.severity,
            // The job is the topic: a person can switch one noisy job off
            // in the notification settings.
            topic: job.jobKey,
            // One notification per job: a recovery updates the failure's, a
            // reminder brings it back, and a notice sent twice is still one.
            // A warning of a slow run has its own, so as not to hide a
            // failure's.
            scope: `monitor:job:${job.jobKey}${
              notice.kind === 'slow' ? ':slow' : ''
            }`,
          },
        }),
      ]);
      return 'sent';
    } catch (error) {
      this.options.logger.warn(
        `Could not notify ${recipients.join(', ')} that job '${
          job.jobKey
        }' is ${change.to}; will try again: ${error}`,
      );
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }

  /** The notice's recipients as entity refs: a parent group worked out. */
  private async recipientsOf(notice: PendingNotice): Promise<string[]> {
    const refs = await Promise.all(
      notice.recipients.map(recipient =>
        typeof recipient === 'string'
          ? recipient
          : this.options.parentGroupOf(recipient.parentOf),
      ),
    );
    return refs.filter((ref): ref is string => ref !== undefined);
  }
}
