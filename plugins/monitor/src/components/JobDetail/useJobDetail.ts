import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { monitorApiRef } from '../../api';
import { useLiveRead } from '../../hooks/useLiveRead';
import { DEFAULT_PAGE_SIZE } from '../common/paging';

/**
 * A job with a page of its runs and its changes of health, read again when
 * the job changes (live) and on `retry`; `setPaging` turns the runs' page.
 */
export function useJobDetail(jobKey: string) {
  const api = useApi(monitorApiRef);
  const [paging, setPaging] = useState({
    page: 0,
    pageSize: DEFAULT_PAGE_SIZE,
  });
  const detail = useLiveRead(
    () =>
      api.getJob(jobKey, {
        runsLimit: paging.pageSize,
        runsOffset: paging.page * paging.pageSize,
      }),
    [api, jobKey, paging],
  );
  return { detail, paging, setPaging };
}
