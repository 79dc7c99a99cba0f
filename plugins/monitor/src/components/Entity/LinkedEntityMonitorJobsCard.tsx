import { useApiHolder } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';
import { EntityMonitorJobsCard } from './EntityMonitorJobsCard';
import { isMonitorAvailable } from './isMonitorAvailable';

/**
 * The jobs card where jobs are linked to the entity (by its annotation or
 * by reports that name it), and nothing elsewhere: the rule of
 * `isMonitorAvailable`, for the new frontend system, whose card filters
 * cannot ask the monitor's API.
 */
export function LinkedEntityMonitorJobsCard() {
  const { entity } = useEntity();
  const apis = useApiHolder();
  const { value: linked } = useAsync(
    () => isMonitorAvailable(entity, { apis }),
    [entity, apis],
  );
  return linked ? <EntityMonitorJobsCard /> : null;
}
