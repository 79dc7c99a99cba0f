import { FAILING_HEALTHS, JobHealth } from './healths';

/**
 * The rules of attention: whether a person must act on a job. They are the
 * same in the backend (which counts and lists with SQL that mirrors them,
 * and a test that ties the two), the frontend and the test helpers.
 */

/**
 * Whether a health counts as failing: `error`, `missed` or `timeout`.
 *
 * @public
 */
export function isFailingHealth(health: JobHealth | null | undefined): boolean {
  return health !== null && health !== undefined
    ? FAILING_HEALTHS.includes(health)
    : false;
}

/**
 * Whether a mute holds at `now`: until its time, not after.
 *
 * @public
 */
export function isMuteActive(
  mute: { until: string | Date } | null | undefined,
  now: Date,
): boolean {
  return mute ? new Date(mute.until).getTime() > now.getTime() : false;
}

/**
 * Whether a maintenance window covers the job at `now`: until its end.
 *
 * @public
 */
export function isInMaintenance(
  maintenance: { until: string | Date } | null | undefined,
  now: Date,
): boolean {
  return maintenance
    ? new Date(maintenance.until).getTime() > now.getTime()
    : false;
}

/**
 * Whether a job needs attention at `now`: failing, acknowledged by nobody,
 * not muted, in no maintenance window, and not failing because a job it
 * depends on fails (the upstream job counts, once). The sidebar badge
 * counts these jobs, and `GET /jobs?attention=true` lists them.
 *
 * @public
 */
export function needsAttention(
  job: {
    health: JobHealth;
    acknowledgement: object | null;
    mute: { until: string | Date } | null;
    maintenance: { until: string | Date } | null;
    upstream?: object | null;
  },
  now: Date,
): boolean {
  return (
    isFailingHealth(job.health) &&
    !job.upstream &&
    !job.acknowledgement &&
    !isMuteActive(job.mute, now) &&
    !isInMaintenance(job.maintenance, now)
  );
}

/**
 * Whether a job in this health may be acknowledged: only a failing one.
 *
 * @public
 */
export function mayBeAcknowledged(health: JobHealth): boolean {
  return isFailingHealth(health);
}

/**
 * Whether an acknowledgement still holds after the job's health went from
 * `from` to `to`: it ends at the next change of health.
 *
 * @public
 */
export function acknowledgementHolds(from: JobHealth, to: JobHealth): boolean {
  return from === to;
}
