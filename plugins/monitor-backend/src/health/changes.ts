import { isFailingHealth, JobHealth } from '@tc-portal/plugin-monitor-common';

/**
 * Whether a change of health goes into the job's status-change log. A run
 * starting and finishing well (ok and running, either way) is the normal
 * rhythm of a job, not a change anyone needs to read about: the run history
 * shows it.
 */
export function isRecordedChange(
  from: JobHealth | undefined,
  to: JobHealth,
): boolean {
  if (from === to) {
    return false;
  }
  const calm = new Set<JobHealth | undefined>(['ok', 'running']);
  return !(from !== undefined && calm.has(from) && calm.has(to));
}

/**
 * Whom to tell of a change of health, and how urgently: a job that starts
 * failing, or that stops reporting or times out while failing, is high
 * severity; one that stops failing is a normal-severity recovery. Nothing
 * else is told: not a job's first success, not a late run inside its grace,
 * not a run starting, and not a failing job moving to plain error (that
 * comes of a run reported, e.g. the first success of a recovery that needs
 * several).
 */
export function notificationFor(
  from: JobHealth | undefined,
  to: JobHealth,
): { kind: 'failure' | 'recovery'; severity: 'high' | 'normal' } | undefined {
  if (from === to) {
    return undefined;
  }
  if (isFailingHealth(to)) {
    return !isFailingHealth(from) || to !== 'error'
      ? { kind: 'failure', severity: 'high' }
      : undefined;
  }
  if (isFailingHealth(from)) {
    return { kind: 'recovery', severity: 'normal' };
  }
  return undefined;
}
