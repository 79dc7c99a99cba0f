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

/** Where a job's schedule comes from. */
export type ScheduleSource = 'config' | 'catalog' | 'report';

/**
 * The rules a job is judged by. Config wins over what an entity of the
 * catalog declares, and that over what the job's reports say, field by
 * field; defaults fill the rest.
 */
export function resolveRules(
  configured: ConfiguredJob | undefined,
  reported: JobExpectation | undefined,
  defaults: RuleDefaults,
  declared?: JobExpectation,
  catalogDependsOn: string[] = [],
): HealthRules & { scheduleSource?: ScheduleSource } {
  const fromConfig = configured?.expectation ?? {};
  // Config's, the catalog's, the reports' (the first that sets it).
  const layers: Array<[ScheduleSource, Partial<JobExpectation>]> = [
    ['config', { ...fromConfig, ...configured }],
    ['catalog', declared ?? {}],
    ['report', reported ?? {}],
  ];
  const first = <K extends keyof JobExpectation>(key: K) =>
    layers.find(([, layer]) => layer[key] !== undefined)?.[1][key];
  const scheduleSource = layers.find(([, layer]) => layer.schedule)?.[0];
  return {
    expectation: { schedule: first('schedule') },
    scheduleSource,
    graceMs: first('graceMs') ?? defaults.graceMs,
    maxRuntimeMs: first('maxRuntimeMs') ?? defaults.maxRuntimeMs,
    minRuntimeMs: first('minRuntimeMs'),
    slowFactor: configured?.slowFactor ?? DEFAULT_SLOW_FACTOR,
    slowCountsAsFailure: configured?.slowCountsAsFailure ?? false,
    failureThreshold: first('failureThreshold') ?? 1,
    recoveryThreshold: first('recoveryThreshold') ?? 1,
    // The first that names them, and the catalog's dependencies besides.
    dependsOn: [
      ...new Set([...(first('dependsOn') ?? []), ...catalogDependsOn]),
    ],
  };
}
