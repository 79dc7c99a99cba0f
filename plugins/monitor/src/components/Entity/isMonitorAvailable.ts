import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ApiHolder } from '@backstage/core-plugin-api';
import { getMonitorJobKeys } from '@tc-portal/plugin-monitor-common';
import { monitorApiRef } from '../../api';

/**
 * Whether jobs are linked to the entity: by its
 * `tc-portal.io/monitor-job-keys` annotation, or (given the app's APIs, as
 * EntitySwitch gives them) by config or reports that name it.
 *
 * @public
 */
export async function isMonitorAvailable(
  entity: Entity,
  context?: { apis: ApiHolder },
): Promise<boolean> {
  if (getMonitorJobKeys(entity).length > 0) {
    return true;
  }
  const api = context?.apis.get(monitorApiRef);
  if (!api) {
    return false;
  }
  try {
    const { totalCount } = await api.listJobs({
      entityRef: [stringifyEntityRef(entity)],
      limit: 1,
    });
    return totalCount > 0;
  } catch {
    return false;
  }
}
