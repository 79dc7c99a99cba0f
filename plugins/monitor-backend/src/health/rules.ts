import { JobExpectation } from '@tc-portal/plugin-monitor-common';
import { DEFAULT_SLOW_FACTOR } from './baseline';
import { HealthRules } from './evaluateHealth';

/** What app-config says of one job; every field optional. */
export type ConfiguredJob = {
  title?: string;
  expectation: JobExpectation;
  entityRef?: string;
  failureThreshold?: number;
  recoveryThreshold?: number;
  slowFactor?: number;
  slowCountsAsFailure?: boolean;
};

export type RuleDefaults = {
  graceMs: number;
  maxRuntimeMs: number;
};

/**
 * The rules a job is judged by. Config wins over what the job's reports say,
 * field by field; defaults fill the rest.
 */
export function resolveRules(
  configured: ConfiguredJob | undefined,
  reported: JobExpectation | undefined,
  defaults: RuleDefaults,
): HealthRules & { scheduleSource?: 'config' | 'report' } {
  const fromConfig = configured?.expectation ?? {};
  const schedule = fromConfig.schedule ?? reported?.schedule;
  let scheduleSource: 'config' | 'report' | undefined;
  if (fromConfig.schedule) {
    scheduleSource = 'config';
  } else if (reported?.schedule) {
    scheduleSource = 'report';
  }
  return {
    expectation: { schedule },
    scheduleSource,
    graceMs: fromConfig.graceMs ?? reported?.graceMs ?? defaults.graceMs,
    maxRuntimeMs:
      fromConfig.maxRuntimeMs ??
      reported?.maxRuntimeMs ??
      defaults.maxRuntimeMs,
    minRuntimeMs: fromConfig.minRuntimeMs ?? reported?.minRuntimeMs,
    slowFactor: configured?.slowFactor ?? DEFAULT_SLOW_FACTOR,
    slowCountsAsFailure: configured?.slowCountsAsFailure ?? false,
    failureThreshold:
      configured?.failureThreshold ?? reported?.failureThreshold ?? 1,
    recoveryThreshold:
      configured?.recoveryThreshold ?? reported?.recoveryThreshold ?? 1,
  };
}
