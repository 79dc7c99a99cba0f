import {
  describeHealthReason,
  Job,
  JobScheduleView,
} from '@tc-portal/plugin-monitor-common';
import { Duration } from 'luxon';
import { JobRecord } from '../database/types';
import { HealthRules } from '../health';

const iso = (ms: number) => Duration.fromMillis(ms).rescale().toISO() ?? '';

function scheduleView(
  rules: HealthRules & { scheduleSource?: 'config' | 'report' },
): JobScheduleView | null {
  const schedule = rules.expectation.schedule;
  if (!schedule) {
    return null;
  }
  return {
    ...(schedule.kind === 'interval'
      ? { every: iso(schedule.everyMs) }
      : { cron: schedule.cron, timezone: schedule.timezone }),
    grace: iso(rules.graceMs),
    maxRuntime: iso(rules.maxRuntimeMs),
    source: rules.scheduleSource ?? 'report',
  };
}

/** A stored job as the read API shows it. */
export function toJobView(
  job: JobRecord,
  rules: HealthRules & { scheduleSource?: 'config' | 'report' },
  now: Date,
): Job {
  const date = (value: Date | null) => (value ? value.toISOString() : null);
  return {
    jobKey: job.jobKey,
    title: job.title,
    health: job.health,
    healthSince: job.healthSince.toISOString(),
    healthReason: job.healthReason && describeHealthReason(job.healthReason),
    healthReasonDetail: job.healthReason,
    entityRef: job.entityRef,
    acknowledgement: job.acknowledgement && {
      by: job.acknowledgement.by,
      at: job.acknowledgement.at.toISOString(),
      comment: job.acknowledgement.comment,
    },
    mute:
      job.mute && job.mute.until > now
        ? {
            by: job.mute.by,
            at: job.mute.at.toISOString(),
            until: job.mute.until.toISOString(),
            reason: job.mute.reason,
          }
        : null,
    schedule: scheduleView(rules),
    failureThreshold: rules.failureThreshold,
    recoveryThreshold: rules.recoveryThreshold,
    nextExpectedAt: date(job.nextExpectedAt),
    latestOutcome: job.latestOutcome,
    status: job.latestOutcome,
    finishedAt: date(job.finishedAt),
    receivedAt: date(job.receivedAt),
    message: job.message,
    durationMs: job.durationMs,
    recentOutcomes: job.recentOutcomes,
  };
}
