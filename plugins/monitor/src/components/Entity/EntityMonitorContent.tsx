import { useCallback, useState } from 'react';
import { Grid } from '@material-ui/core';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { MONITOR_JOB_KEYS_ANNOTATION } from '@tc-portal/plugin-monitor-common';
import { monitorTranslationRef } from '../../translation';
import { DEFAULT_PAGE_SIZE, useStayWithinPages } from '../common/paging';
import { JobTable } from '../JobTable';
import { ReportingHelp } from '../ReportingHelp';
import { JobDependencyGraph } from './JobDependencyGraph';
import { useEntityJobs } from './useEntityJobs';

/**
 * The full job table of the entity, for an entity page tab.
 *
 * @public
 */
export function EntityMonitorContent() {
  const { t } = useTranslationRef(monitorTranslationRef);
  const [paging, setPaging] = useState({
    page: 0,
    pageSize: DEFAULT_PAGE_SIZE,
  });
  const { entity, value, loading, error, annotated } = useEntityJobs(paging);

  useStayWithinPages({
    totalCount: value?.totalCount,
    page: paging.page,
    pageSize: paging.pageSize,
    goToPage: useCallback(
      (page: number) => setPaging(current => ({ ...current, page })),
      [],
    ),
  });

  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (loading && !value) {
    return <Progress />;
  }
  if (value?.totalCount === 0) {
    return annotated ? (
      <ReportingHelp
        jobKey={entity.metadata.annotations?.[
          MONITOR_JOB_KEYS_ANNOTATION
        ]?.split(',')[0]?.trim()}
        title={entity.metadata.title ?? entity.metadata.name}
      />
    ) : (
      <MissingAnnotationEmptyState annotation={MONITOR_JOB_KEYS_ANNOTATION} />
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <JobTable
          title={t('entity.contentTitle')}
          jobs={value?.items ?? []}
          totalCount={value?.totalCount ?? 0}
          loading={loading}
          page={paging.page}
          pageSize={paging.pageSize}
          onPageChange={(page, pageSize) => setPaging({ page, pageSize })}
          showEntity={false}
        />
      </Grid>
      <Grid item xs={12}>
        <JobDependencyGraph jobs={value?.items ?? []} />
      </Grid>
    </Grid>
  );
}
