import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../common/paging';
import {
  JOB_HEALTHS,
  JOB_SORT_FIELDS,
  JobHealth,
} from '@tc-portal/plugin-monitor-common';

export type JobSort = (typeof JOB_SORT_FIELDS)[number];

export type JobQueryState = {
  /** Only the jobs that need attention: those the badge counts. */
  attention: boolean;
  health: JobHealth[];
  q: string;
  owner?: string;
  sort: JobSort;
  page: number;
  pageSize: number;
};

/**
 * The overview's filters, kept in the URL so a filtered view can be shared
 * and survives a reload.
 */
export function useJobQueryState(): [
  JobQueryState,
  (changes: Partial<JobQueryState>) => void,
] {
  const [params, setParams] = useSearchParams();

  const state = useMemo<JobQueryState>(() => {
    const sort = params.get('sort') as JobSort | null;
    return {
      attention: params.get('attention') === 'true',
      health: (params.get('health') ?? '')
        .split(',')
        .filter((h): h is JobHealth => JOB_HEALTHS.includes(h as JobHealth)),
      q: params.get('q') ?? '',
      owner: params.get('owner') ?? undefined,
      sort: sort && JOB_SORT_FIELDS.includes(sort) ? sort : 'finishedAt',
      page: Math.max(0, Number(params.get('page')) || 0),
      pageSize: PAGE_SIZES.includes(Number(params.get('pageSize')))
        ? Number(params.get('pageSize'))
        : DEFAULT_PAGE_SIZE,
    };
  }, [params]);

  const update = useCallback(
    (changes: Partial<JobQueryState>) => {
      const next = { ...state, ...changes };
      // A new filter starts from the first page.
      if (!('page' in changes)) {
        next.page = 0;
      }
      const search = new URLSearchParams();
      if (next.attention) search.set('attention', 'true');
      if (next.health.length) search.set('health', next.health.join(','));
      if (next.q) search.set('q', next.q);
      if (next.owner) search.set('owner', next.owner);
      if (next.sort !== 'finishedAt') search.set('sort', next.sort);
      if (next.page) search.set('page', String(next.page));
      if (next.pageSize !== DEFAULT_PAGE_SIZE)
        search.set('pageSize', String(next.pageSize));
      setParams(search, { replace: true });
    },
    [state, setParams],
  );

  return [state, update];
}
