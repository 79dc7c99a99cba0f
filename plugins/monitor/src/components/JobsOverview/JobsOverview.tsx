import { useCallback, useEffect, useState } from 'react';
import {
  ContentHeader,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useApi, useApiHolder } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  Box,
  InputAdornment,
  MenuItem,
  TextField,
  Typography,
} from '@material-ui/core';
import SearchIcon from '@material-ui/icons/Search';
import { linkedJobsQuery } from '@tc-portal/plugin-monitor-common';
import { useLocation } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { monitorApiRef } from '../../api';
import { useJobChanges } from '../../hooks/useJobChanges';
import { monitorTranslationRef } from '../../translation';
import { useStayWithinPages } from '../common/paging';
import { JobTable } from '../JobTable';
import { ReportingHelp } from '../ReportingHelp';
import { HealthSummary } from './HealthSummary';
import { OwnerFilter } from './OwnerFilter';
import { JobSort, useJobQueryState } from './useJobQueryState';

/** The most entities or job keys one owner filter sends. */
const MAX_LINKS = 100;

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
  const changes = useJobChanges();

  // Typing reloads once the typing pauses.
  const [text, setText] = useState(state.q);
  useEffect(() => setText(state.q), [state.q]);
  useDebounce(() => text !== state.q && update({ q: text }), 300, [text]);

  // An owner's jobs: those linked to the entities it owns, and to itself.
  const owned = useAsync(async () => {
    if (!state.owner || !catalogApi) {
      return undefined;
    }
    const { items } = await catalogApi.getEntities({
      filter: { 'relations.ownedBy': state.owner },
      fields: [
        'kind',
        'metadata.name',
        'metadata.namespace',
        'metadata.annotations',
      ],
    });
    const linked = linkedJobsQuery(items);
    // The read API takes up to 100 of each; a larger team's first ones.
    return {
      entityRef: [state.owner, ...linked.entityRef].slice(0, MAX_LINKS),
      jobKey: linked.jobKey.slice(0, MAX_LINKS),
      truncated:
        linked.entityRef.length + 1 > MAX_LINKS ||
        linked.jobKey.length > MAX_LINKS,
    };
  }, [catalogApi, state.owner]);

  const summary = useAsync(() => api.getSummary(), [api, changes]);
  const jobs = useAsync(async () => {
    if (owned.loading) {
      return undefined;
    }
    return api.listJobs({
      health: state.health.length ? state.health : undefined,
      q: state.q || undefined,
      sort: state.sort,
      order: state.sort === 'finishedAt' ? 'desc' : 'asc',
      limit: state.pageSize,
      offset: state.page * state.pageSize,
      entityRef: owned.value?.entityRef,
      jobKey: owned.value?.jobKey,
    });
  }, [api, changes, state, owned.loading, owned.value]);

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
          onSelect={health => update({ health })}
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
      {owned.value?.truncated && (
        <Box mb={2}>
          <Typography variant="body2" color="textSecondary">
            {t('filters.ownerTruncated')}
          </Typography>
        </Box>
      )}
      {(jobs.error ?? owned.error) && (
        <Box mb={2}>
          <ResponseErrorPanel error={(jobs.error ?? owned.error)!} />
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
