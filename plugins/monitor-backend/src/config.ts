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
import { MaintenanceWindow } from './health/maintenance';
import { ReminderRules } from './health/reminders';
import { JobConfig } from './health/types';
import { ConfiguredMaintenance, readMaintenance } from './maintenanceConfig';

/** The monitor's settings from app-config, with defaults filled in. */
export type MonitorSettings = {
  defaults: RuleDefaults;
  /** The time zone of cron schedules that name none. */
  defaultTimezone: string;
  jobs: Map<string, ConfiguredJob & { reminders: ReminderRules }>;
  retention: { maxRunsPerJob: number; maxAgeMs: number };
  limits: { maxBodySize: string; maxMessageLength: number };
  /** Who owns (and hears of) the jobs linked to no entity. */
  defaultOwner?: string;
  notifications: {
    enabled: boolean;
    pagePath: string;
    language: MonitorLanguage;
    /** Reminders and escalation for every job. */
    reminders: ReminderRules;
  };
  checkFrequency: HumanDuration;
  pruneFrequency: HumanDuration;
  /** How often the jobs that entities' annotations name are read. */
  catalogRefreshFrequency: HumanDuration;
  /** The maintenance windows of config. */
  maintenance: ConfiguredMaintenance[];
};

/**
 * What config says of each job, as the decision core takes it; the
 * maintenance windows as `maintenance` gives them now (their owners worked
 * out through the catalog), else as config wrote them.
 */
export function jobConfigOf(
  settings: MonitorSettings,
  maintenance: () => MaintenanceWindow[] = () => settings.maintenance,
): (jobKey: string) => JobConfig {
  return jobKey => ({
    configured: settings.jobs.get(jobKey),
    defaults: settings.defaults,
    defaultOwner: settings.defaultOwner,
    notify: settings.notifications.enabled,
    maintenance: maintenance(),
    // The job's own settings win, one by one.
    reminders: {
      ...settings.notifications.reminders,
      ...settings.jobs.get(jobKey)?.reminders,
    },
  });
}

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
  catalogRefreshFrequency: { minutes: 1 },
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

/** `slowFactor`: 0 (off), or a factor of at least 1. */
function optionalSlowFactor(job: Config, path: string): number | undefined {
  const value = job.getOptionalNumber('slowFactor');
  if (value !== undefined && !(value === 0 || (value >= 1 && value <= 100))) {
    throw new Error(
      `Invalid config at ${path}.slowFactor: must be 0 (off) or a number from 1 to 100`,
    );
  }
  return value;
}

/**
 * `remindEvery`, `escalateAfter` and `escalateTo` (an entity ref or
 * `parent`), where set: the keys left out are left to the defaults.
 */
function readReminders(
  config: Config | undefined,
  path: string,
): ReminderRules {
  if (!config) {
    return {};
  }
  const rules: ReminderRules = {};
  const remindEveryMs = optionalDuration(config, 'remindEvery', path);
  if (remindEveryMs !== undefined) {
    if (remindEveryMs < 1000) {
      throw new Error(
        `Invalid config at ${path}.remindEvery: must be a second or more`,
      );
    }
    rules.remindEveryMs = remindEveryMs;
  }
  const escalateAfterMs = optionalDuration(config, 'escalateAfter', path);
  if (escalateAfterMs !== undefined) {
    rules.escalateAfterMs = escalateAfterMs;
  }
  const escalateTo =
    config.getOptionalString('escalateTo') === 'parent'
      ? 'parent'
      : readEntityRef(config, 'escalateTo', path);
  if (escalateTo !== undefined) {
    rules.escalateTo = escalateTo;
  }
  return rules;
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
    minRuntimeMs: optionalDuration(job, 'minRuntime', path),
  };
  const dependsOn = job.getOptionalStringArray('dependsOn');
  if (dependsOn) {
    expectation.dependsOn = [...new Set(dependsOn)];
  }
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

  const jobs = new Map<string, ConfiguredJob & { reminders: ReminderRules }>();
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
      slowFactor: optionalSlowFactor(job, path),
      slowCountsAsFailure: job.getOptionalBoolean('slowCountsAsFailure'),
      reminders: readReminders(job, path),
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
    defaultOwner: monitor
      ? readEntityRef(monitor, 'defaultOwner', 'monitor')
      : undefined,
    notifications: {
      enabled: notifications?.getOptionalBoolean('enabled') ?? true,
      pagePath: notifications?.getOptionalString('pagePath') ?? '/monitor',
      language: readLanguage(notifications),
      reminders: readReminders(notifications, 'monitor.notifications'),
    },
    checkFrequency:
      optionalFrequency(monitor, 'checkFrequency', 'monitor') ??
      DEFAULTS.checkFrequency,
    pruneFrequency:
      optionalFrequency(retention, 'frequency', 'monitor.retention') ??
      DEFAULTS.pruneFrequency,
    maintenance: readMaintenance(monitor, defaultTimezone),
    catalogRefreshFrequency:
      optionalFrequency(
        monitor?.getOptionalConfig('catalog'),
        'refreshFrequency',
        'monitor.catalog',
      ) ?? DEFAULTS.catalogRefreshFrequency,
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
