import { Config, readDurationFromConfig } from '@backstage/config';
import { HumanDuration, durationToMilliseconds } from '@backstage/types';
import bytes from 'bytes';
import {
  checkCronExpression,
  JobExpectation,
  MAX_CONFIGURED_THRESHOLD,
  MAX_SCHEDULE_DURATION_MS,
  MONITOR_LANGUAGES,
  MonitorLanguage,
} from '@tc-portal/plugin-monitor-common';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfiguredJob, RuleDefaults } from './health/rules';

/** The monitor's settings from app-config, with defaults filled in. */
export type MonitorSettings = {
  defaults: RuleDefaults;
  /** The time zone of cron schedules that name none. */
  defaultTimezone: string;
  jobs: Map<string, ConfiguredJob>;
  retention: { maxRunsPerJob: number; maxAgeMs: number };
  limits: { maxBodySize: string; maxMessageLength: number };
  notifications: {
    enabled: boolean;
    defaultRecipient?: string;
    pagePath: string;
    language: MonitorLanguage;
  };
  checkFrequency: HumanDuration;
  pruneFrequency: HumanDuration;
};

export const DEFAULTS = {
  graceMs: 15 * 60 * 1000,
  maxRuntimeMs: 60 * 60 * 1000,
  timezone: 'UTC',
  maxRunsPerJob: 1000,
  maxAgeMs: 90 * 24 * 60 * 60 * 1000,
  maxBodySize: '1mb',
  maxMessageLength: 16_384,
  checkFrequency: { minutes: 1 },
  pruneFrequency: { hours: 1 },
} as const;

function optionalDuration(
  config: Config,
  key: string,
  path: string,
): number | undefined {
  if (!config.has(key)) {
    return undefined;
  }
  const ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  if (!(ms > 0) || ms > MAX_SCHEDULE_DURATION_MS) {
    throw new Error(
      `Invalid config at ${path}.${key}: must be longer than zero and at most a year`,
    );
  }
  return ms;
}

function optionalInteger(
  config: Config | undefined,
  key: string,
  path: string,
  range: { min: number; max: number },
): number | undefined {
  const value = config?.getOptionalNumber(key);
  if (
    value !== undefined &&
    (!Number.isInteger(value) || value < range.min || value > range.max)
  ) {
    throw new Error(
      `Invalid config at ${path}.${key}: must be a whole number from ${range.min} to ${range.max}`,
    );
  }
  return value;
}

function readEntityRef(
  config: Config,
  key: string,
  path: string,
): string | undefined {
  const value = config.getOptionalString(key);
  if (value === undefined) {
    return undefined;
  }
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch {
    throw new Error(
      `Invalid config at ${path}.${key}: '${value}' is not an entity reference with a kind, e.g. component:default/price-service`,
    );
  }
}

function readExpectation(
  job: Config,
  path: string,
  defaultTimezone: string,
): JobExpectation {
  const expectation: JobExpectation = {
    graceMs: optionalDuration(job, 'grace', path),
    maxRuntimeMs: optionalDuration(job, 'maxRuntime', path),
  };
  const schedule = job.getOptionalConfig('schedule');
  if (schedule) {
    const cron = schedule.getOptionalString('cron');
    const every = optionalDuration(schedule, 'every', `${path}.schedule`);
    if ((cron === undefined) === (every === undefined)) {
      throw new Error(
        `Invalid config at ${path}.schedule: needs exactly one of every or cron`,
      );
    }
    if (cron !== undefined) {
      const timezone =
        schedule.getOptionalString('timezone') ?? defaultTimezone;
      const problem = checkCronExpression(cron, timezone);
      if (problem) {
        throw new Error(`Invalid config at ${path}.schedule: cron ${problem}`);
      }
      expectation.schedule = { kind: 'cron', cron, timezone };
    } else {
      expectation.schedule = { kind: 'interval', everyMs: every! };
    }
  }
  return expectation;
}

function readBodySize(limits: Config | undefined): string {
  const value = limits?.getOptionalString('maxBodySize');
  if (value === undefined) {
    return DEFAULTS.maxBodySize;
  }
  // body-parser reads sizes with this library, and "1M" as one byte.
  const size = bytes.parse(value);
  if (size === null || size < 1024) {
    throw new Error(
      `Invalid config at monitor.limits.maxBodySize: '${value}' must be a size of at least 1kb, such as 512kb or 1mb`,
    );
  }
  return value;
}

/**
 * Reads the monitor's settings. Throws at start-up on a setting that cannot
 * be used, naming it, rather than running on a guess.
 */
export function readMonitorSettings(config: Config): MonitorSettings {
  const monitor = config.getOptionalConfig('monitor');
  const defaultTimezone =
    monitor?.getOptionalString('defaultTimezone') ?? DEFAULTS.timezone;
  const problem = checkCronExpression('0 0 * * *', defaultTimezone);
  if (problem) {
    throw new Error(`Invalid config at monitor.defaultTimezone: ${problem}`);
  }

  const jobs = new Map<string, ConfiguredJob>();
  const jobsConfig = monitor?.getOptionalConfig('jobs');
  for (const jobKey of jobsConfig?.keys() ?? []) {
    const path = `monitor.jobs.${jobKey}`;
    const job = jobsConfig!.getConfig(jobKey);
    jobs.set(jobKey, {
      title: job.getOptionalString('title'),
      expectation: readExpectation(job, path, defaultTimezone),
      entityRef: readEntityRef(job, 'entityRef', path),
      failureThreshold: optionalInteger(job, 'failureThreshold', path, {
        min: 1,
        max: MAX_CONFIGURED_THRESHOLD,
      }),
      recoveryThreshold: optionalInteger(job, 'recoveryThreshold', path, {
        min: 1,
        max: MAX_CONFIGURED_THRESHOLD,
      }),
    });
  }

  const retention = monitor?.getOptionalConfig('retention');
  const notifications = monitor?.getOptionalConfig('notifications');
  const limits = monitor?.getOptionalConfig('limits');

  return {
    defaults: {
      graceMs:
        (monitor && optionalDuration(monitor, 'defaultGrace', 'monitor')) ??
        DEFAULTS.graceMs,
      maxRuntimeMs:
        (monitor &&
          optionalDuration(monitor, 'defaultMaxRuntime', 'monitor')) ??
        DEFAULTS.maxRuntimeMs,
    },
    defaultTimezone,
    jobs,
    retention: {
      maxRunsPerJob:
        optionalInteger(retention, 'maxRunsPerJob', 'monitor.retention', {
          min: 1,
          max: 1_000_000,
        }) ?? DEFAULTS.maxRunsPerJob,
      maxAgeMs:
        (retention &&
          optionalDuration(retention, 'maxAge', 'monitor.retention')) ??
        DEFAULTS.maxAgeMs,
    },
    limits: {
      maxBodySize: readBodySize(limits),
      maxMessageLength:
        optionalInteger(limits, 'maxMessageLength', 'monitor.limits', {
          min: 1_000,
          max: 1_000_000,
        }) ?? DEFAULTS.maxMessageLength,
    },
    notifications: {
      enabled: notifications?.getOptionalBoolean('enabled') ?? true,
      defaultRecipient: notifications
        ? readEntityRef(
            notifications,
            'defaultRecipient',
            'monitor.notifications',
          )
        : undefined,
      pagePath: notifications?.getOptionalString('pagePath') ?? '/monitor',
      language: readLanguage(notifications),
    },
    checkFrequency:
      optionalFrequency(monitor, 'checkFrequency', 'monitor') ??
      DEFAULTS.checkFrequency,
    pruneFrequency:
      optionalFrequency(retention, 'frequency', 'monitor.retention') ??
      DEFAULTS.pruneFrequency,
  };
}

function readLanguage(notifications: Config | undefined): MonitorLanguage {
  const language = notifications?.getOptionalString('language') ?? 'ja';
  const known = MONITOR_LANGUAGES.find(l => l === language);
  if (!known) {
    throw new Error(
      `monitor.notifications.language must be one of ${MONITOR_LANGUAGES.join(
        ', ',
      )}; got '${language}'`,
    );
  }
  return known;
}

function optionalFrequency(
  config: Config | undefined,
  key: string,
  path: string,
): HumanDuration | undefined {
  if (!config?.has(key)) {
    return undefined;
  }
  const frequency = readDurationFromConfig(config, { key });
  if (!(durationToMilliseconds(frequency) >= 1000)) {
    throw new Error(
      `Invalid config at ${path}.${key}: must be a second or more`,
    );
  }
  return frequency;
}
