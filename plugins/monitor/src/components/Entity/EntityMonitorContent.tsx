import { useEffect, useState } from 'react';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { MONITOR_JOB_KEYS_ANNOTATION } from '@tc-portal/plugin-monitor-common';
import { monitorTranslationRef } from '../../translation';
import { JobTable } from '../JobTable';
import { ReportingHelp } from '../ReportingHelp';
import { useEntityJobs } from './useEntityJobs';

/**
 * The full job table of the entity, for an entity page tab.
 *
 * @public
 */
export function EntityMonitorContent() {
  const { t } = useTranslationRef(monitorTranslationRef);
  const [paging, setPaging] = useState({ page: 0, pageSize: 20 });
  const { entity, value, loading, error, annotated } = useEntityJobs(paging);

  // A page beyond the last (jobs were deleted): the last one.
  const totalCount = value?.totalCount;
  useEffect(() => {
    if (
      totalCount !== undefined &&
      paging.page > 0 &&
      paging.page * paging.pageSize >= totalCount
    ) {
      setPaging({
        page: Math.max(0, Math.ceil(totalCount / paging.pageSize) - 1),
        pageSize: paging.pageSize,
      });
    }
  }, [totalCount, paging]);

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
  );
}
