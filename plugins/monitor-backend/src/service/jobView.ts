import {
  describeHealthReason,
  isInMaintenance,
  isMuteActive,
  Job,
  JobScheduleView,
} from '@tc-portal/plugin-monitor-common';
import { Duration } from 'luxon';
import { HealthRules } from '../health';
import { rulesOf } from '../health/decide';
import { ScheduleSource } from '../health/rules';
import { JobConfig, JobRecord } from '../health/types';

const iso = (ms: number) => Duration.fromMillis(ms).rescale().toISO() ?? '';

function scheduleView(
  rules: HealthRules & { scheduleSource?: ScheduleSource },
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
    ...(rules.minRuntimeMs !== undefined && {
      minRuntime: iso(rules.minRuntimeMs),
    }),
    source: rules.scheduleSource ?? 'report',
  };
}

/** A stored job as the read API shows it. */
export function toJobView(
  job: JobRecord,
  rules: HealthRules & { scheduleSource?: ScheduleSource },
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
    entitySource: job.entitySource,
    acknowledgement: job.acknowledgement && {
      by: job.acknowledgement.by,
      at: job.acknowledgement.at.toISOString(),
      comment: job.acknowledgement.comment,
    },
    mute:
      job.mute && isMuteActive(job.mute, now)
        ? {
            by: job.mute.by,
            at: job.mute.at.toISOString(),
            until: job.mute.until.toISOString(),
            reason: job.mute.reason,
          }
        : null,
    maintenance:
      job.maintenance && isInMaintenance(job.maintenance, now)
        ? {
            until: job.maintenance.until.toISOString(),
            reason: job.maintenance.reason,
          }
        : null,
    maintenanceWindows: job.maintenanceWindows
      .filter(window => window.end > now)
      .map(window => ({
        id: window.id,
        start: window.start.toISOString(),
        end: window.end.toISOString(),
        reason: window.reason,
        by: window.by,
      })),
    schedule: scheduleView(rules),
    failureThreshold: rules.failureThreshold,
    recoveryThreshold: rules.recoveryThreshold,
    nextExpectedAt: date(job.nextExpectedAt),
    latestOutcome: job.latestOutcome,
    finishedAt: date(job.finishedAt),
    receivedAt: date(job.receivedAt),
    message: job.message,
    durationMs: job.durationMs,
    recentOutcomes: job.recentOutcomes,
    latestWarnings: job.latestWarnings,
    upstream: job.upstream,
    dependsOn: rules.dependsOn,
  };
}

/** Shows jobs as the read API does, each by its rules from config. */
export function jobViewer(configOf: (jobKey: string) => JobConfig) {
  return (job: JobRecord, now: Date): Job =>
    toJobView(job, rulesOf(job, configOf(job.jobKey)), now);
}
