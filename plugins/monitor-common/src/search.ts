import { JobHealth } from './healths';

/**
 * The type of the portal search's documents of monitored jobs.
 *
 * @public
 */
export const MONITOR_JOB_SEARCH_TYPE = 'monitor-job';

/**
 * The longest message a job's search document holds, in characters.
 *
 * @public
 */
export const MONITOR_JOB_SEARCH_MESSAGE_LENGTH = 300;

/**
 * A monitored job as the portal's search indexes it: found by its title,
 * key, reason, owner and latest message; shown with its health.
 *
 * @public
 */
export type MonitorJobSearchDocument = {
  /** The job's title. */
  title: string;
  /** The job's key, why it has its health, and its latest message. */
  text: string;
  /** The job's page in the portal. */
  location: string;
  jobKey: string;
  health: JobHealth;
  /** Why the job has its health, in English words; empty for none. */
  healthReason: string;
  /** Who owns the job: its entity's owners, else the default owner. */
  owner: string;
  /** The catalog entity the job belongs to; empty for none. */
  entityRef: string;
  /** The latest finished run's message, cut to 300 characters. */
  message: string;
};
