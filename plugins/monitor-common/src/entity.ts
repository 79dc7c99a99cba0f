import { Entity } from '@backstage/catalog-model';
import { parse as parseYaml } from 'yaml';
import {
  expectationFromReportSchedule,
  JobExpectation,
  reportScheduleSchema,
} from './schedule';
import { JOB_REPORT_LIMITS } from './report';

/**
 * The catalog annotation that links jobs to an entity: their keys,
 * comma-separated. A job has one entity: the one app-config names, else the
 * one whose annotation names it (the first by ref, should two), else the
 * one its reports name in `entity_ref`.
 *
 * @public
 */
export const MONITOR_JOB_KEYS_ANNOTATION = 'tc-portal.io/monitor-job-keys';

/**
 * The catalog annotation that declares an entity's jobs with what is
 * expected of them: YAML (or JSON) whose keys are job keys, each with the
 * fields of a report's `schedule` (`every`, or `cron` with `timezone`, and
 * `grace`, `max_runtime`, `min_runtime`, `failure_threshold`,
 * `recovery_threshold`). A declared job belongs to the entity, as with
 * {@link MONITOR_JOB_KEYS_ANNOTATION}, and is expected from the moment the
 * catalog has it: it is missed after its first due time if it never
 * reports. App-config wins over it field by field, and it over the job's
 * reports.
 *
 * @example
 * ```yaml
 * metadata:
 *   annotations:
 *     tc-portal.io/monitor-jobs: |
 *       nightly-export:
 *         cron: 0 2 * * *
 *         timezone: Asia/Tokyo
 *         grace: PT30M
 * ```
 *
 * @public
 */
export const MONITOR_JOBS_ANNOTATION = 'tc-portal.io/monitor-jobs';

/**
 * The jobs an entity declares in its {@link MONITOR_JOBS_ANNOTATION}, with
 * what is expected of each, and what could not be read, in words that name
 * the job and the field. `defaultTimezone` applies to a cron schedule that
 * names no time zone.
 *
 * @public
 */
export function getDeclaredMonitorJobs(
  entity: Entity,
  defaultTimezone: string,
): { jobs: Map<string, JobExpectation>; problems: string[] } {
  const jobs = new Map<string, JobExpectation>();
  const problems: string[] = [];
  const value = entity.metadata.annotations?.[MONITOR_JOBS_ANNOTATION];
  if (!value) {
    return { jobs, problems };
  }
  let declared: unknown;
  try {
    declared = parseYaml(value);
  } catch (error) {
    problems.push(`is not YAML: ${(error as Error).message.split('\n')[0]}`);
    return { jobs, problems };
  }
  if (
    typeof declared !== 'object' ||
    declared === null ||
    Array.isArray(declared)
  ) {
    problems.push('must map job keys to their schedules');
    return { jobs, problems };
  }
  for (const [jobKey, schedule] of Object.entries(declared)) {
    if (
      jobKey.trim() !== jobKey ||
      jobKey.length === 0 ||
      jobKey.length > JOB_REPORT_LIMITS.jobKey
    ) {
      problems.push(
        `'${jobKey}' is not a job key (1 to ${JOB_REPORT_LIMITS.jobKey} characters, no spaces around)`,
      );
      continue;
    }
    const parsed = reportScheduleSchema.safeParse(schedule);
    if (!parsed.success) {
      problems.push(
        `${jobKey}: ${parsed.error.issues
          .map(issue =>
            issue.path.length
              ? `${issue.path.join('.')} ${issue.message}`
              : issue.message,
          )
          .join('; ')}`,
      );
      continue;
    }
    jobs.set(
      jobKey,
      expectationFromReportSchedule(parsed.data, defaultTimezone),
    );
  }
  return { jobs, problems };
}

/**
 * The job keys an entity's annotations name: those of
 * {@link MONITOR_JOB_KEYS_ANNOTATION}, and those it declares in
 * {@link MONITOR_JOBS_ANNOTATION}. Pass `declared`, the entity's
 * {@link getDeclaredMonitorJobs}, where it is already at hand, so that the
 * annotation is not read twice.
 *
 * @public
 */
export function getMonitorJobKeys(
  entity: Entity,
  declared: { jobs: Map<string, unknown> } = getDeclaredMonitorJobs(
    entity,
    'UTC',
  ),
): string[] {
  const value = entity.metadata.annotations?.[MONITOR_JOB_KEYS_ANNOTATION];
  const listed = (value ?? '')
    .split(',')
    .map(key => key.trim())
    .filter(Boolean);
  return [...new Set([...listed, ...declared.jobs.keys()])];
}
