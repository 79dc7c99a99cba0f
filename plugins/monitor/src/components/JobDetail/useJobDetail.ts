import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { monitorApiRef } from '../../api';
import { useJobChanges } from '../../hooks/useJobChanges';
import { DEFAULT_PAGE_SIZE } from '../common/paging';

/**
 * A job with a page of its runs and its changes of health, read again when
 * the job changes (live) and on `retry`; `setPaging` turns the runs' page.
 */
export function useJobDetail(jobKey: string) {
  const api = useApi(monitorApiRef);
  const changes = useJobChanges({ jobKey });
  const [paging, setPaging] = useState({
    page: 0,
    pageSize: DEFAULT_PAGE_SIZE,
  });
  const detail = useAsyncRetry(
    () =>
      api.getJob(jobKey, {
        runsLimit: paging.pageSize,
        runsOffset: paging.page * paging.pageSize,
      }),
    [api, jobKey, paging, changes],
  );
  return { detail, paging, setPaging };
}
