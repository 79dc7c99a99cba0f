import { useLocation, useNavigate, useParams } from 'react-router-dom';
import {
  ContentHeader,
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { ResponseError } from '@backstage/errors';
import { Box, Grid, Typography } from '@material-ui/core';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import { rootRouteRef } from '../../routes';
import { monitorTranslationRef } from '../../translation';
import { listLinkFrom } from '../common/listLink';
import { AttentionChangesTable } from './AttentionChangesTable';
import { HealthChangesTable } from './HealthChangesTable';
import { JobSummaryCard } from './JobSummaryCard';
import { RunChart } from './RunChart';
import { RunHistoryTable } from './RunHistoryTable';
import { useJobDetail } from './useJobDetail';

/**
 * One job: its health and why, its schedule, the actions on it, a chart and
 * a table of its runs (the same page of them), and its changes of health.
 */
export function JobDetailPage() {
  const { jobKey = '' } = useParams();
  const rootLink = useRouteRef(rootRouteRef);
  const navigate = useNavigate();
  // Back to the list as it was, filters and all, when opened from it.
  const listLink = listLinkFrom(rootLink(), useLocation().state);
  const { t } = useTranslationRef(monitorTranslationRef);
  const { detail, paging, setPaging } = useJobDetail(jobKey);

  const back = (
    <Link to={listLink}>
      <Box display="inline-flex" alignItems="center" style={{ gap: 4 }}>
        <ArrowBackIcon fontSize="small" />
        {t('detail.back')}
      </Box>
    </Link>
  );

  if (detail.error) {
    if (
      detail.error instanceof ResponseError &&
      detail.error.statusCode === 404
    ) {
      return (
        <>
          {back}
          <EmptyState missing="data" title={t('detail.notFound', { jobKey })} />
        </>
      );
    }
    return <ResponseErrorPanel error={detail.error} />;
  }
  if (!detail.value) {
    return <Progress />;
  }
  const {
    job,
    owners,
    runs,
    runsTotalCount,
    baseline,
    healthChanges,
    attentionChanges,
  } = detail.value;

  return (
    <>
      {back}
      <ContentHeader title={job.title} />
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <JobSummaryCard
            job={job}
            owners={owners}
            onChanged={detail.retry}
            onDeleted={() => navigate(listLink)}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title={t('detail.chart')}>
            {runs.length ? (
              <RunChart runs={runs} baseline={baseline} />
            ) : (
              <Typography variant="body2">{t('detail.noRuns')}</Typography>
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <RunHistoryTable
            runs={runs}
            totalCount={runsTotalCount}
            page={paging.page}
            pageSize={paging.pageSize}
            onPageChange={(page, pageSize) => setPaging({ page, pageSize })}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <HealthChangesTable changes={healthChanges} />
        </Grid>
        <Grid item xs={12} md={6}>
          <AttentionChangesTable changes={attentionChanges} />
        </Grid>
      </Grid>
    </>
  );
}
