import { isFailingHealth, JobHealth } from '@tc-portal/plugin-monitor-common';

/** A job another depends on, as it stands when that one is judged. */
export type UpstreamJob = { jobKey: string; title: string; health: JobHealth };

/**
 * The job a failing job fails because of: the first (by key) of the jobs it
 * depends on that fails too, whose notification tells of it and which the
 * badge counts in its stead. None for a job that does not fail, or whose
 * upstream jobs all pass: it is then judged, told of and counted on its
 * own. A job upstream that itself fails because of another still counts as
 * failing, so that along a chain only its first job is counted.
 */
export function upstreamCause(
  health: JobHealth,
  upstream: UpstreamJob[],
): { jobKey: string; title: string } | null {
  if (!isFailingHealth(health)) {
    return null;
  }
  const cause = upstream
    .filter(job => isFailingHealth(job.health))
    .sort((a, b) => (a.jobKey < b.jobKey ? -1 : 1))[0];
  return cause ? { jobKey: cause.jobKey, title: cause.title } : null;
}
