import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { linkedJobsQuery } from '@tc-portal/plugin-monitor-common';
import useAsync from 'react-use/esm/useAsync';
import { monitorApiRef } from '../../api';
import { useJobChanges } from '../../hooks/useJobChanges';

/** The page of jobs linked to the current entity, kept current. */
export function useEntityJobs(paging: { page: number; pageSize: number }) {
  const { entity } = useEntity();
  const api = useApi(monitorApiRef);
  const changes = useJobChanges();
  const linked = linkedJobsQuery([entity]);
  const state = useAsync(
    () =>
      api.listJobs({
        ...linked,
        sort: 'health',
        limit: paging.pageSize,
        offset: paging.page * paging.pageSize,
      }),
    [api, changes, JSON.stringify(linked), paging],
  );
  return { entity, annotated: linked.jobKey.length > 0, ...state };
}
