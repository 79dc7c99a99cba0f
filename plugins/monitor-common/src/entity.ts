import { Entity, stringifyEntityRef } from '@backstage/catalog-model';

/**
 * The catalog annotation that links jobs to an entity: their keys,
 * comma-separated. Reports that name the entity in `entity_ref` link jobs to
 * it as well.
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

/**
 * The read-API query for the jobs linked to entities: by their refs, or by
 * the job keys their annotations name.
 *
 * @public
 */
export function linkedJobsQuery(entities: Entity[]): {
  entityRef: string[];
  jobKey: string[];
} {
  return {
    entityRef: entities.map(entity => stringifyEntityRef(entity)),
    jobKey: [...new Set(entities.flatMap(getMonitorJobKeys))],
  };
}
