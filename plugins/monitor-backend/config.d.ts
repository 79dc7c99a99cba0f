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
        /** The catalog entity the job belongs to; its owner is notified. */
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
      /** Who is told about jobs linked to no entity, e.g. group:default/ops. */
      defaultRecipient?: string;
      /** Where the 障害 page is mounted in the app, for links. Default /monitor. */
      pagePath?: string;
      /**
       * The language of the notifications: ja (the default) or en. Dates
       * in them are in monitor.defaultTimezone.
       */
      language?: 'ja' | 'en';
    };
  };
}
