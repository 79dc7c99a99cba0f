import { useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import {
  ContentHeader,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
  Table,
  TableColumn,
  EmptyState,
} from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import { Box, Grid, Typography } from '@material-ui/core';
import ArrowBackIcon from '@material-ui/icons/ArrowBack';
import { Job, JobRun, JobStatusChange } from '@tc-portal/plugin-monitor-common';
import useAsync from 'react-use/esm/useAsync';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { monitorApiRef } from '../../api';
import { useFormatters } from '../../hooks/useFormatters';
import { useJobChanges } from '../../hooks/useJobChanges';
import { useReasonText } from '../../hooks/useReasonText';
import { rootRouteRef } from '../../routes';
import { monitorTranslationRef } from '../../translation';
import { DateTimeText } from '../common/DateTimeText';
import { HealthChip } from '../common/HealthChip';
import { listLinkFrom } from '../common/listLink';
import { MessageText } from '../common/MessageText';
import { DEFAULT_PAGE_SIZE, PAGE_SIZES } from '../common/paging';
import { JobActions } from './JobActions';
import { RunChart } from './RunChart';

/** How many of the latest runs the chart shows. */
const CHART_RUNS = 50;

function useScheduleText(job: Job): string {
  const { t } = useTranslationRef(monitorTranslationRef);
  const format = useFormatters();
  const schedule = job.schedule;
  if (!schedule) {
    return t('detail.noSchedule');
  }
  const rhythm = schedule.cron
    ? t('detail.cron', {
        cron: schedule.cron,
        timezone: schedule.timezone ?? '',
      })
    : t('detail.every', { every: format.isoDuration(schedule.every ?? '') });
  const source =
    schedule.source === 'config'
      ? t('detail.scheduleFromConfig')
      : t('detail.scheduleFromReport');
  return `${rhythm} (${source})`;
}

function JobSummaryCard(props: {
  job: Job;
  onChanged: () => void;
  onDeleted: () => void;
}) {
  const { job } = props;
  const { t } = useTranslationRef(monitorTranslationRef);
  const format = useFormatters();
  const scheduleText = useScheduleText(job);
  const reasonText = useReasonText();
  const metadata: Record<string, any> = {
    [t('jobTable.columns.jobKey')]: job.jobKey,
    [t('detail.reason')]: reasonText(job.healthReasonDetail, job.healthReason),
    [t('detail.entity')]: job.entityRef ? (
      <EntityRefLink entityRef={job.entityRef} defaultKind="component" />
    ) : (
      '—'
    ),
    [t('detail.schedule')]: scheduleText,
  };
  if (job.schedule) {
    metadata[t('detail.grace')] = format.isoDuration(job.schedule.grace);
    metadata[t('detail.maxRuntime')] = format.isoDuration(
      job.schedule.maxRuntime,
    );
  }
  if (job.nextExpectedAt) {
    metadata[t('detail.nextExpected')] = format.dateTime(job.nextExpectedAt);
  }
  return (
    <InfoCard title={t('detail.health')}>
      <Box display="flex" alignItems="center" mb={2} style={{ gap: 12 }}>
        <HealthChip health={job.health} />
        <Typography variant="body2" color="textSecondary">
          {t('detail.since', { time: format.dateTime(job.healthSince) })}
        </Typography>
      </Box>
      {job.acknowledgement && (
        <Typography variant="body2" paragraph>
          {t('detail.acknowledgedBy', {
            by: job.acknowledgement.by,
            comment: job.acknowledgement.comment,
          })}
        </Typography>
      )}
      {job.mute && (
        <Typography variant="body2" paragraph>
          {t('detail.mutedUntil', {
            until: format.dateTime(job.mute.until),
            by: job.mute.by,
            reason: job.mute.reason,
          })}
        </Typography>
      )}
      <StructuredMetadataTable metadata={metadata} />
      <Box mt={2}>
        <JobActions
          job={job}
          onChanged={props.onChanged}
          onDeleted={props.onDeleted}
        />
      </Box>
    </InfoCard>
  );
}

/**
 * One job: its health and why, its schedule, the actions on it, a chart of
 * its latest runs, its run history and its changes of health.
 */
export function JobDetailPage() {
  const { jobKey = '' } = useParams();
  const api = useApi(monitorApiRef);
  const rootLink = useRouteRef(rootRouteRef);
  const navigate = useNavigate();
  // Back to the list as it was, filters and all, when opened from it.
  const listLink = listLinkFrom(rootLink(), useLocation().state);
  const { t } = useTranslationRef(monitorTranslationRef);
  const format = useFormatters();
  const reasonText = useReasonText();
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
  // The chart shows the latest runs, whichever page of the table is open.
  const latest = useAsync(
    async () => (await api.getJob(jobKey, { runsLimit: CHART_RUNS })).runs,
    [api, jobKey, changes],
  );

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
  const { job, runs, runsTotalCount, statusChanges } = detail.value;

  const runColumns: TableColumn<JobRun>[] = [
    {
      title: t('detail.runColumns.outcome'),
      field: 'status',
      render: run => t(`outcome.${run.status}`),
    },
    {
      title: t('detail.runColumns.startedAt'),
      field: 'startedAt',
      render: run => run.startedAt && format.dateTime(run.startedAt),
    },
    {
      title: t('detail.runColumns.finishedAt'),
      field: 'finishedAt',
      render: run => <DateTimeText iso={run.finishedAt} />,
    },
    {
      title: t('detail.runColumns.duration'),
      field: 'durationMs',
      render: run =>
        run.durationMs !== null ? format.duration(run.durationMs) : null,
    },
    { title: t('detail.runColumns.exitCode'), field: 'exitCode' },
    { title: t('detail.runColumns.host'), field: 'host' },
    {
      title: t('detail.runColumns.message'),
      field: 'message',
      cellStyle: { minWidth: 360 },
      render: run => <MessageText message={run.message} full />,
    },
  ];

  const changeColumns: TableColumn<JobStatusChange>[] = [
    {
      title: t('detail.changeColumns.changedAt'),
      field: 'changedAt',
      render: change => format.dateTime(change.changedAt),
    },
    {
      title: t('detail.changeColumns.change'),
      field: 'to',
      render: change => (
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          {change.from && <HealthChip health={change.from} />}
          {change.from && '→'}
          <HealthChip health={change.to} />
        </Box>
      ),
    },
    {
      title: t('detail.changeColumns.reason'),
      field: 'reason',
      render: change => reasonText(change.reasonDetail, change.reason),
    },
  ];

  return (
    <>
      {back}
      <ContentHeader title={job.title} />
      <Grid container spacing={3}>
        <Grid item xs={12} md={6}>
          <JobSummaryCard
            job={job}
            onChanged={detail.retry}
            onDeleted={() => navigate(listLink)}
          />
        </Grid>
        <Grid item xs={12} md={6}>
          <InfoCard title={t('detail.chart')}>
            {latest.value?.length ? (
              <RunChart runs={latest.value} />
            ) : (
              <Typography variant="body2">{t('detail.noRuns')}</Typography>
            )}
          </InfoCard>
        </Grid>
        <Grid item xs={12}>
          <Table<JobRun>
            title={t('detail.runs')}
            columns={runColumns}
            data={runs}
            page={paging.page}
            totalCount={runsTotalCount}
            onPageChange={(page, pageSize) => setPaging({ page, pageSize })}
            onRowsPerPageChange={pageSize => setPaging({ page: 0, pageSize })}
            options={{
              paging: true,
              pageSize: paging.pageSize,
              pageSizeOptions: PAGE_SIZES,
              search: false,
              sorting: false,
              padding: 'dense',
            }}
            emptyContent={
              <Typography style={{ padding: 16 }}>
                {t('detail.noRuns')}
              </Typography>
            }
          />
        </Grid>
        <Grid item xs={12}>
          <Table<JobStatusChange>
            title={t('detail.statusChanges')}
            columns={changeColumns}
            data={statusChanges}
            options={{
              paging: false,
              search: false,
              sorting: false,
              padding: 'dense',
            }}
            emptyContent={
              <Typography style={{ padding: 16 }}>
                {t('detail.noStatusChanges')}
              </Typography>
            }
          />
        </Grid>
      </Grid>
    </>
  );
}
