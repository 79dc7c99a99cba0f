import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { getMonitorJobKeys } from '@tc-portal/plugin-monitor-common';
import { monitorApiRef } from '../../api';
import { useLiveRead } from '../../hooks/useLiveRead';

/**
 * The page of the current entity's jobs (those whose one entity it is, by
 * config, its annotation or their reports), kept current.
 */
export function useEntityJobs(paging: { page: number; pageSize: number }) {
  const { entity } = useEntity();
  const api = useApi(monitorApiRef);
  const entityRef = stringifyEntityRef(entity);
  const state = useLiveRead(
    () =>
      api.listJobs({
        entityRef: [entityRef],
        sort: 'health',
        limit: paging.pageSize,
        offset: paging.page * paging.pageSize,
      }),
    [api, entityRef, paging],
  );
  return {
    entity,
    annotated: getMonitorJobKeys(entity).length > 0,
    ...state,
  };
}
