import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { List, Typography } from '@material-ui/core';
import { MONITOR_JOB_KEYS_ANNOTATION } from '@tc-portal/plugin-monitor-common';
import { rootRouteRef } from '../../routes';
import { monitorTranslationRef } from '../../translation';
import { DateTimeText } from '../common/DateTimeText';
import { JobListItem } from '../common/JobListItem';
import { useEntityJobs } from './useEntityJobs';

const PAGING = { page: 0, pageSize: 10 };

/**
 * The jobs of the entity on its page: health and last run, the most urgent
 * first, each linking to its detail.
 *
 * @public
 */
export function EntityMonitorJobsCard() {
  const { t } = useTranslationRef(monitorTranslationRef);
  const rootLink = useRouteRef(rootRouteRef);
  const { value, loading, error, annotated } = useEntityJobs(PAGING);

  if (error) {
    return <ResponseErrorPanel error={error} />;
  }
  if (loading && !value) {
    return <Progress />;
  }
  if (!annotated && value?.totalCount === 0) {
    return (
      <MissingAnnotationEmptyState annotation={MONITOR_JOB_KEYS_ANNOTATION} />
    );
  }
  return (
    <InfoCard
      title={t('entity.cardTitle')}
      deepLink={{ title: t('entity.viewAll'), link: rootLink() }}
    >
      {value?.items.length ? (
        <List dense disablePadding>
          {value.items.map(job => (
            <JobListItem
              key={job.jobKey}
              job={job}
              secondary={job.jobKey}
              right={
                job.finishedAt ? (
                  <DateTimeText iso={job.finishedAt} />
                ) : (
                  <Typography variant="body2" color="textSecondary">
                    {t('jobTable.neverRan')}
                  </Typography>
                )
              }
            />
          ))}
        </List>
      ) : (
        <Typography variant="body2">{t('entity.noJobs')}</Typography>
      )}
    </InfoCard>
  );
}
