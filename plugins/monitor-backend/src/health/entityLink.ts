import { JobEntitySource } from '@tc-portal/plugin-monitor-common';

/** The entity a job belongs to, and what links it there. */
export type JobEntityLink = { entityRef: string; source: JobEntitySource };

/**
 * A job's one entity, from what names one: app-config (the operator's
 * word), else the annotation of a catalog entity (the owners' word, kept
 * beside their code), else the job's own reports. The same entity then
 * decides the job's owners, who is told, the list's entity column, its
 * filters and the entity pages' cards.
 */
export function linkJobToEntity(names: {
  config?: string | null;
  catalog?: string | null;
  report?: string | null;
}): JobEntityLink | null {
  if (names.config) {
    return { entityRef: names.config, source: 'config' };
  }
  if (names.catalog) {
    return { entityRef: names.catalog, source: 'catalog' };
  }
  if (names.report) {
    return { entityRef: names.report, source: 'report' };
  }
  return null;
}

/**
 * A job's owners: the owners of its entity in the catalog (none, when the
 * catalog lacks the entity or it has no owner: the job page says so); the
 * default owner for a job linked to no entity (nobody, without one).
 * Notifications go the same way: to the job's entity (whose owners the
 * notifications backend tells), else to the default owner.
 *
 * `entityOwners` holds the owners of the entities the catalog has.
 */
export function ownersOfJob(
  entityRef: string | null,
  entityOwners: ReadonlyMap<string, string[]>,
  defaultOwner: string | undefined,
): string[] {
  if (entityRef) {
    return entityOwners.get(entityRef) ?? [];
  }
  return defaultOwner ? [defaultOwner] : [];
}
