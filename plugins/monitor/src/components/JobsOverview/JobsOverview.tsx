import { useCallback, useEffect, useState } from 'react';
import {
  ContentHeader,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { Box, InputAdornment, MenuItem, TextField } from '@material-ui/core';
import SearchIcon from '@material-ui/icons/Search';
import { useLocation } from 'react-router-dom';
import useDebounce from 'react-use/esm/useDebounce';
import { monitorApiRef } from '../../api';
import { useLiveRead } from '../../hooks/useLiveRead';
import { monitorTranslationRef } from '../../translation';
import { useStayWithinPages } from '../common/paging';
import { JobTable } from '../JobTable';
import { ReportingHelp } from '../ReportingHelp';
import { HealthSummary } from './HealthSummary';
import { OwnerFilter } from './OwnerFilter';
import { JobSort, useJobQueryState } from './useJobQueryState';

/**
 * The Python監視 section: the counts per health, the filters, and the job
 * table. Reloads when jobs change (live with signals, else by polling).
 */
export function JobsOverview() {
  const api = useApi(monitorApiRef);
  const catalogApi = useApiHolder().get(catalogApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const [state, update] = useJobQueryState();
  const location = useLocation();

  // Typing reloads once the typing pauses.
  const [text, setText] = useState(state.q);
  useEffect(() => setText(state.q), [state.q]);
  useDebounce(() => text !== state.q && update({ q: text }), 300, [text]);

  const summary = useLiveRead(() => api.getSummary(), [api]);
  // An owner's jobs (those of the entities it owns, and its own) are worked
  // out by the backend through the catalog.
  const jobs = useLiveRead(
    async () =>
      api.listJobs({
        attention: state.attention || undefined,
        health: state.health.length ? state.health : undefined,
        q: state.q || undefined,
        sort: state.sort,
        order: state.sort === 'finishedAt' ? 'desc' : 'asc',
        limit: state.pageSize,
        offset: state.page * state.pageSize,
        owner: state.owner,
      }),
    [api, state],
  );

  useStayWithinPages({
    totalCount: jobs.value?.totalCount,
    page: state.page,
    pageSize: state.pageSize,
    goToPage: useCallback((page: number) => update({ page }), [update]),
  });

  if (summary.error) {
    return <ResponseErrorPanel error={summary.error} />;
  }
  if (!summary.value) {
    return <Progress />;
  }
  if (summary.value.totalCount === 0) {
    return (
      <>
        <ContentHeader title={t('pythonSection.title')} />
        <ReportingHelp />
      </>
    );
  }

  return (
    <>
      <ContentHeader title={t('pythonSection.title')} />
      <Box mb={2}>
        <HealthSummary
          summary={summary.value}
          selected={state.health}
          attention={state.attention}
          onChange={update}
        />
      </Box>
      <Box display="flex" flexWrap="wrap" mb={2} style={{ gap: 16 }}>
        <TextField
          id="monitor-job-search"
          size="small"
          variant="outlined"
          label={t('filters.search')}
          value={text}
          inputProps={{ maxLength: 200 }}
          onChange={event => setText(event.target.value)}
          InputProps={{
            startAdornment: (
              <InputAdornment position="start">
                <SearchIcon fontSize="small" />
              </InputAdornment>
            ),
          }}
          style={{ minWidth: 280 }}
        />
        {catalogApi && (
          <OwnerFilter
            value={state.owner}
            onChange={owner => update({ owner })}
          />
        )}
        <TextField
          id="monitor-job-sort"
          select
          size="small"
          variant="outlined"
          label={t('filters.sort')}
          value={state.sort}
          onChange={event => update({ sort: event.target.value as JobSort })}
          style={{ minWidth: 200 }}
        >
          <MenuItem value="finishedAt">{t('filters.sortFinishedAt')}</MenuItem>
          <MenuItem value="health">{t('filters.sortHealth')}</MenuItem>
          <MenuItem value="name">{t('filters.sortName')}</MenuItem>
        </TextField>
      </Box>
      {jobs.error && (
        <Box mb={2}>
          <ResponseErrorPanel error={jobs.error} />
        </Box>
      )}
      <JobTable
        jobs={jobs.value?.items ?? []}
        totalCount={jobs.value?.totalCount ?? 0}
        loading={jobs.loading && !jobs.value}
        page={state.page}
        pageSize={state.pageSize}
        onPageChange={(page, pageSize) => update({ page, pageSize })}
        listSearch={location.search}
      />
    </>
  );
}
