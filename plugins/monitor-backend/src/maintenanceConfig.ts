import { Config } from '@backstage/config';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  checkCronExpression,
  MAX_SCHEDULE_DURATION_MS,
  parseDuration,
} from '@tc-portal/plugin-monitor-common';
import { MaintenanceWindow } from './health/maintenance';

/**
 * A maintenance window of app-config, as read: its scope by job keys,
 * entities and owners. Owners are worked out into their entities through
 * the catalog (MaintenanceWindows).
 */
export type ConfiguredMaintenance = MaintenanceWindow & {
  owners?: string[];
};

function refs(config: Config, key: string, path: string, kind?: string) {
  const values = config.getOptionalStringArray(key);
  return values?.map(value => {
    try {
      return stringifyEntityRef(
        parseEntityRef(value, kind ? { defaultKind: kind } : undefined),
      );
    } catch {
      throw new Error(
        `Invalid config at ${path}.${key}: '${value}' is not an entity reference`,
      );
    }
  });
}

function instant(config: Config, key: string, path: string): Date {
  const value = config.getString(key);
  const date = new Date(value);
  if (!/\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(date.getTime())) {
    throw new Error(
      `Invalid config at ${path}.${key}: '${value}' is not an ISO 8601 date-time such as 2026-12-24T00:00:00+09:00`,
    );
  }
  return date;
}

/**
 * `monitor.maintenance`: windows, recurring (`cron`, `duration`,
 * `timezone`) or once (`start`, `end`), scoped by `jobKeys`, `entityRefs`
 * or `owners` (every job when none), with an optional `reason`. A window
 * that cannot be used stops the backend at start-up, naming it.
 */
export function readMaintenance(
  monitor: Config | undefined,
  defaultTimezone: string,
): ConfiguredMaintenance[] {
  return (monitor?.getOptionalConfigArray('maintenance') ?? []).map(
    (window, index) => {
      const path = `monitor.maintenance[${index}]`;
      const common = {
        id: `config:${index}`,
        reason: window.getOptionalString('reason') ?? '',
        scope: {
          jobKeys: window.getOptionalStringArray('jobKeys'),
          entityRefs: refs(window, 'entityRefs', path),
        },
        owners: refs(window, 'owners', path, 'group'),
      };
      const cron = window.getOptionalString('cron');
      if (cron !== undefined) {
        const timezone =
          window.getOptionalString('timezone') ?? defaultTimezone;
        const problem = checkCronExpression(cron, timezone);
        if (problem) {
          throw new Error(`Invalid config at ${path}.cron: ${problem}`);
        }
        const duration = parseDuration(
          window.has('duration') ? window.get('duration') : undefined,
        );
        if (!('ms' in duration) || duration.ms > MAX_SCHEDULE_DURATION_MS) {
          throw new Error(
            `Invalid config at ${path}.duration: a recurring window needs a duration such as PT2H`,
          );
        }
        return {
          ...common,
          kind: 'recurring',
          cron,
          timezone,
          durationMs: duration.ms,
        };
      }
      if (!window.has('start') || !window.has('end')) {
        throw new Error(
          `Invalid config at ${path}: a window needs cron and duration, or start and end`,
        );
      }
      const start = instant(window, 'start', path);
      const end = instant(window, 'end', path);
      if (end <= start) {
        throw new Error(`Invalid config at ${path}: end must be after start`);
      }
      return { ...common, kind: 'once', start, end };
    },
  );
}
