import { Entity } from '@backstage/catalog-model';

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
 * The job keys an entity's annotation names.
 *
 * @public
 */
export function getMonitorJobKeys(entity: Entity): string[] {
  const value = entity.metadata.annotations?.[MONITOR_JOB_KEYS_ANNOTATION];
  if (!value) {
    return [];
  }
  return [
    ...new Set(
      value
        .split(',')
        .map(key => key.trim())
        .filter(Boolean),
    ),
  ];
}
