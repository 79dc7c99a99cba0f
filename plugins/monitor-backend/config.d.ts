import { HumanDuration } from '@backstage/types';

/** A duration: ISO 8601 (`PT15M`) or Backstage's HumanDuration (`{ minutes: 15 }`). */
type Duration = string | HumanDuration;

export interface Config {
  /** Configuration of the job monitor (`@tc-portal/plugin-monitor-backend`). */
  monitor?: {
    /**
     * The shared secret every job report must carry in the
     * `X-TC-Portal-Webhook-Secret` header. While no secret is set (here, in
     * additionalWebhookSecrets or on a job) the webhook refuses every report:
     * it never runs open.
     *
     * @visibility secret
     */
    webhookSecret?: string;

    /**
     * More secrets accepted for every job, so a secret can be rotated without
     * losing reports: add the new one here, move the scripts over, then make
     * it the webhookSecret.
     *
     * @visibility secret
     */
    additionalWebhookSecrets?: string[];

    /** The time zone of cron schedules that name none (IANA). Default UTC. */
    defaultTimezone?: string;

    /** How late a due run may be before it counts as missed. Default 15 minutes. */
    defaultGrace?: Duration;

    /** How long a started run may stay open before it times out. Default 1 hour. */
    defaultMaxRuntime?: Duration;

    /** How often jobs are checked for late, missed and timed-out runs. Default 1 minute. */
    checkFrequency?: Duration;

    /**
     * Who owns the jobs linked to no catalog entity, as an entity ref (e.g.
     * group:default/ops): an owner policy (`isJobOwner`) lets its members
     * act on them, and it is told of their failures. Without it, nobody
     * owns such jobs.
     */
    defaultOwner?: string;

    /**
     * Maintenance windows: times when jobs' failures, misses and timeouts
     * are expected. While a window covers a job, its reports are stored and
     * shown as usual, but time does not make it late or missed, nothing of
     * it is notified, and the badge leaves it out; when the window ends,
     * its next run is expected from the end. Each window is recurring
     * (`cron`, `duration`, optional `timezone`) or one-off (`start`, `end`),
     * and covers the jobs it names by `jobKeys`, `entityRefs` or `owners`
     * (every job when it names none). People with `monitor.job.mute` on a
     * job can also add one-off windows to it from its page or the API.
     */
    maintenance?: Array<{
      /** Cron expression of the window's starts, e.g. `0 2 * * 0`. */
      cron?: string;
      /** How long each recurring window lasts, e.g. `PT2H` or `{ hours: 2 }`. */
      duration?: Duration;
      /** The cron expression's time zone; default `monitor.defaultTimezone`. */
      timezone?: string;
      /** A one-off window's start: ISO 8601 with an offset. */
      start?: string;
      /** A one-off window's end: ISO 8601 with an offset. */
      end?: string;
      /** The jobs it covers, by key. */
      jobKeys?: string[];
      /** The jobs of these entities. */
      entityRefs?: string[];
      /**
       * The jobs of the entities these users or groups own in the catalog
       * (`group:default/ops`; a bare name is a group). The default owner
       * (`monitor.defaultOwner`) named here covers the jobs linked to none.
       */
      owners?: string[];
      /** Shown on the job while the window covers it. */
      reason?: string;
    }>;

    /** The links of jobs to entities that the catalog's annotations make. */
    catalog?: {
      /**
       * How often the jobs that entities name in their
       * `tc-portal.io/monitor-job-keys` annotation are read. Default 1 minute.
       */
      refreshFrequency?: Duration;
    };

    /**
     * Per job, keyed by job_key. What is set here wins over what the job's
     * reports say.
     */
    jobs?: {
      [jobKey: string]: {
        /** The name shown until the job reports one. */
        title?: string;
        /** The expected rhythm: `every`, or `cron` with an optional `timezone`. */
        schedule?: {
          every?: Duration;
          cron?: string;
          timezone?: string;
        };
        grace?: Duration;
        maxRuntime?: Duration;
        /**
         * The shortest a successful run may last: a run that reports
         * success sooner (timed by its `started_at` or its start report)
         * counts as failed. Wins over the job's reports
         * (`schedule.min_runtime`); off when neither sets it.
         */
        minRuntime?: Duration;
        /**
         * The catalog entity the job belongs to: wins over an entity's
         * annotation and the job's reports. Its owners own the job.
         */
        entityRef?: string;
        /**
         * Failed runs in a row before the job counts as failing, 1 to 100.
         * Wins over the job's reports (`schedule.failure_threshold`); 1 when
         * neither sets it.
         */
        failureThreshold?: number;
        /**
         * Successful runs in a row before a failing job recovers, 1 to 100.
         * Wins over the job's reports (`schedule.recovery_threshold`); 1 when
         * neither sets it.
         */
        recoveryThreshold?: number;
        /**
         * The keys of the jobs this one depends on (its upstream): while
         * one of them fails, this job's failure, miss or timeout is marked
         * as theirs, is told in their notification and is not counted on
         * the badge. Wins over the job's reports (`schedule.depends_on`);
         * the jobs of the entities its entity dependsOn in the catalog are
         * added either way.
         */
        dependsOn?: string[];
        /**
         * A successful run slower than the p95 of the job's usual
         * durations (its latest 20 finished runs, once 10 of them
         * succeeded with a known duration) times this is marked slow, and
         * its owners are told once, as a warning. 0 turns it off; 2 when
         * not set.
         */
        slowFactor?: number;
        /**
         * Whether a slow run counts as failed: the job then fails (and the
         * badge counts it) as for any failed run. Off when not set: a slow
         * run is a warning only.
         */
        slowCountsAsFailure?: boolean;
        /** As `monitor.notifications.remindEvery`, for this job. */
        remindEvery?: Duration;
        /** As `monitor.notifications.escalateAfter`, for this job. */
        escalateAfter?: Duration;
        /** As `monitor.notifications.escalateTo`, for this job. */
        escalateTo?: string;
        /**
         * A secret that authenticates this job's reports (besides the
         * secrets for every job).
         *
         * @visibility secret
         */
        webhookSecret?: string;
      };
    };

    /** How much history is kept. */
    retention?: {
      /** Runs kept per job, newest first. Default 1000. */
      maxRunsPerJob?: number;
      /** Runs and status changes older than this are deleted. Default 90 days. */
      maxAge?: Duration;
      /** How often history is pruned. Default hourly. */
      frequency?: Duration;
    };

    /** Size limits of reports. */
    limits?: {
      /** The largest report body, as body-parser reads it. Default '1mb'. */
      maxBodySize?: string;
      /**
       * The longest message stored, in characters; a longer one keeps its
       * head and its tail. Default 16384.
       */
      maxMessageLength?: number;
    };

    /** Backstage notifications on changes of a job's health. */
    notifications?: {
      /** Default true. */
      enabled?: boolean;
      /** Where the 障害 page is mounted in the app, for links. Default /monitor. */
      pagePath?: string;
      /**
       * The language of the notifications: ja (the default) or en. Dates
       * in them are in monitor.defaultTimezone.
       */
      language?: 'ja' | 'en';
      /**
       * While a job needs attention (failing, and not acknowledged, muted or
       * in maintenance), its owners are reminded this often, through the
       * outbox. Off when unset.
       */
      remindEvery?: Duration;
      /**
       * After a job has been failing this long and still needs attention,
       * `escalateTo` is told as well, once per failure.
       */
      escalateAfter?: Duration;
      /**
       * Whom an escalation goes to: an entity ref, or `parent`, the parent
       * (in the catalog) of the group that owns the job.
       */
      escalateTo?: string;
    };
  };
}
