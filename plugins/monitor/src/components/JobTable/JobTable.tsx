import { ReactNode } from 'react';
import { Link, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { Box, Chip, Typography } from '@material-ui/core';
import { Job } from '@tc-portal/plugin-monitor-common';
import { useFormatters } from '../../hooks/useFormatters';
import { jobRouteRef } from '../../routes';
import { monitorTranslationRef } from '../../translation';
import { DateTimeText } from '../common/DateTimeText';
import { HealthChip } from '../common/HealthChip';
import { UpstreamMark } from '../common/UpstreamMark';
import { JobLinkState } from '../common/listLink';
import { MessageText } from '../common/MessageText';
import { OutcomeStrip } from '../common/OutcomeStrip';
import { LatestWarningMarks } from '../common/RunWarningMarks';
import { serverPaging } from '../common/paging';

/** @public */
export type JobTableProps = {
  jobs: Job[];
  totalCount: number;
  loading?: boolean;
  page: number;
  pageSize: number;
  onPageChange: (page: number, pageSize: number) => void;
  emptyContent?: ReactNode;
  /** Whether to show the entity column (not on an entity's own page). */
  showEntity?: boolean;
  /** The list's filters (its URL search), for the job page's way back. */
  listSearch?: string;
  title?: string;
};

/**
 * A page of jobs: health, title, key, entity, last finished, duration, the
 * latest outcomes and the last message. Paged on the server.
 */
export function JobTable(props: JobTableProps) {
  const { t } = useTranslationRef(monitorTranslationRef);
  const jobLink = useRouteRef(jobRouteRef);
  const format = useFormatters();

  const columns: TableColumn<Job>[] = [
    {
      title: t('jobTable.columns.health'),
      field: 'health',
      width: '8em',
      render: job => (
        <Box display="flex" flexDirection="column" alignItems="flex-start">
          <HealthChip health={job.health} />
          <UpstreamMark upstream={job.upstream} />
          {job.acknowledgement && (
            <Chip
              size="small"
              variant="outlined"
              label={t('jobTable.acknowledged')}
              style={{ marginTop: 4 }}
            />
          )}
          {job.mute && (
            <Chip
              size="small"
              variant="outlined"
              label={t('jobTable.muted')}
              style={{ marginTop: 4 }}
            />
          )}
          {job.maintenance && (
            <Chip
              size="small"
              variant="outlined"
              label={t('jobTable.inMaintenance')}
              title={job.maintenance.reason}
              style={{ marginTop: 4 }}
            />
          )}
        </Box>
      ),
    },
    {
      // The key under the title: one column less, so that the table fits a
      // laptop's window.
      title: t('jobTable.columns.title'),
      field: 'title',
      render: job => (
        <>
          <Link
            to={jobLink({ jobKey: job.jobKey })}
            state={
              props.listSearch
                ? ({ listSearch: props.listSearch } satisfies JobLinkState)
                : undefined
            }
          >
            {job.title}
          </Link>
          <Typography
            variant="caption"
            color="textSecondary"
            component="div"
            style={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
          >
            {job.jobKey}
          </Typography>
        </>
      ),
    },
    ...(props.showEntity === false
      ? []
      : [
          {
            title: t('jobTable.columns.entity'),
            field: 'entityRef',
            width: '9em',
            render: (job: Job) =>
              job.entityRef && (
                <EntityRefLink
                  entityRef={job.entityRef}
                  defaultKind="component"
                />
              ),
          },
        ]),
    {
      title: t('jobTable.columns.finishedAt'),
      field: 'finishedAt',
      width: '10em',
      render: job =>
        job.finishedAt ? (
          <DateTimeText iso={job.finishedAt} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            {t('jobTable.neverRan')}
          </Typography>
        ),
    },
    {
      title: t('jobTable.columns.duration'),
      field: 'durationMs',
      width: '7em',
      cellStyle: { whiteSpace: 'nowrap' },
      render: job => (
        <>
          {job.durationMs !== null ? format.duration(job.durationMs) : null}
          <LatestWarningMarks kinds={job.latestWarnings} />
        </>
      ),
    },
    {
      title: t('jobTable.columns.recent'),
      field: 'recentOutcomes',
      width: '8em',
      render: job => <OutcomeStrip outcomes={job.recentOutcomes} />,
    },
    {
      // The width left, shared with the title; cut with an ellipsis.
      title: t('jobTable.columns.message'),
      field: 'message',
      render: job => <MessageText message={job.message} />,
    },
  ];

  const paging = serverPaging(props);
  return (
    <Table<Job>
      title={props.title}
      columns={columns}
      data={props.jobs}
      isLoading={props.loading}
      {...paging}
      // Fixed: the columns keep their widths whatever their text, so the
      // table fits its page and long messages end in an ellipsis.
      options={{
        ...paging.options,
        toolbar: Boolean(props.title),
        tableLayout: 'fixed',
      }}
      emptyContent={
        props.emptyContent ?? (
          <Typography variant="body1" style={{ padding: 16 }}>
            {t('jobTable.noMatch')}
          </Typography>
        )
      }
    />
  );
}
