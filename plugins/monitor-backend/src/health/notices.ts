import {
  isFailingHealth,
  isMuteActive,
} from '@tc-portal/plugin-monitor-common';
import type { Slow } from './baseline';
import { notificationFor } from './changes';
import { escalationRecipient, remindersAt } from './reminders';
import { earliest } from './time';
import { HealthChange, JobConfig, JobState, Notice } from './types';

/**
 * What to tell, and whom: the core's rules of notification. Each notice goes
 * to the job's entity (whose owners the notifications backend tells), else
 * its default owner, and is decided once, here, and written to the outbox.
 */

/** Whom a job's notices go to: its entity, else its default owner. */
function ownerOf(job: JobState, config: JobConfig): string | undefined {
  return job.entityRef ?? config.defaultOwner;
}

/** Whether the job's owners hear of it now: not muted, not in maintenance. */
function told(job: JobState, config: JobConfig, now: Date): boolean {
  return config.notify && !isMuteActive(job.mute, now) && !job.maintenance;
}

/**
 * The notice of a recorded change of health, and how urgent it is; none
 * while the job is muted or in maintenance, or when notifications are off.
 */
export function changeNotice(
  job: JobState,
  change: HealthChange,
  config: JobConfig,
  now: Date,
): Notice | undefined {
  const kind = notificationFor(change.from, change.to);
  const recipient = ownerOf(job, config);
  if (!kind || !recipient || !told(job, config, now)) {
    return undefined;
  }
  return {
    jobKey: job.jobKey,
    kind: kind.kind,
    severity: kind.severity,
    recipients: [recipient],
    change,
  };
}

/**
 * The reminders and the escalation a judged job (`next`, judged from
 * `before`) is owed at `now` (remindersAt), as notices of its health as it
 * stands, and the job with its reminder state and next check moved on.
 */
export function reminderNotices(
  before: JobState,
  next: JobState,
  config: JobConfig,
  now: Date,
): { job: JobState; notices: Notice[] } {
  const due = remindersAt(before, next, config.reminders, now);
  const job: JobState = {
    ...next,
    ...due.state,
    nextCheckAt: earliest(due.nextDue, next.nextCheckAt),
  };
  const owner = ownerOf(job, config);
  if (!owner || !config.notify || job.healthReason === null) {
    return { job, notices: [] };
  }
  const change: HealthChange = {
    jobKey: job.jobKey,
    from: job.health,
    to: job.health,
    reason: job.healthReason,
    at: now,
  };
  const notices: Notice[] = [];
  if (due.remind) {
    notices.push({
      jobKey: job.jobKey,
      kind: 'reminder',
      severity: 'high',
      recipients: [owner],
      change,
    });
  }
  if (due.escalate) {
    notices.push({
      jobKey: job.jobKey,
      kind: 'escalation',
      severity: 'critical',
      recipients: [escalationRecipient(config.reminders.escalateTo!, owner)],
      change,
    });
  }
  return { job, notices };
}

/**
 * The warning of a slow run, told once, when it finishes, to the job's
 * owners; none while the job is muted or in maintenance. Its health is the
 * job's as it stands.
 */
export function slowNotice(
  job: JobState,
  slow: Slow,
  config: JobConfig,
  now: Date,
): Notice | undefined {
  const recipient = ownerOf(job, config);
  if (!recipient || !told(job, config, now)) {
    return undefined;
  }
  return {
    jobKey: job.jobKey,
    kind: 'slow',
    severity: 'normal',
    recipients: [recipient],
    change: {
      jobKey: job.jobKey,
      from: job.health,
      to: job.health,
      reason: { code: 'slow', failures: 0, ...slow },
      at: now,
    },
  };
}

/**
 * The failure notice of a job whose failure was its upstream job's (told in
 * that one's notification) and is its own now that that job passes: as if
 * it had started failing now. None while it is muted or in maintenance.
 */
export function releasedNotice(
  job: JobState,
  config: JobConfig,
  now: Date,
): Notice | undefined {
  if (!isFailingHealth(job.health) || job.healthReason === null) {
    return undefined;
  }
  return changeNotice(
    job,
    {
      jobKey: job.jobKey,
      from: 'ok',
      to: job.health,
      reason: job.healthReason,
      at: now,
    },
    config,
    now,
  );
}
