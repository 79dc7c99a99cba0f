import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Typography } from '@material-ui/core';
import { Job } from '@tc-portal/plugin-monitor-common';
import { monitorApiRef } from '../../api';
import { monitorTranslationRef } from '../../translation';
import { formatDateTime } from './formatDateTime';
import { JobStatusChip } from './JobStatusChip';

/**
 * Every job with its latest run, latest finished first, paged on the server.
 */
export function JobTable() {
  const api = useApi(monitorApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);

  const columns: TableColumn<Job>[] = [
    {
      title: t('jobTable.columns.status'),
      field: 'status',
      width: '8em',
      render: job => job.status && <JobStatusChip status={job.status} />,
    },
    { title: t('jobTable.columns.title'), field: 'title' },
    { title: t('jobTable.columns.jobKey'), field: 'jobKey' },
    {
      title: t('jobTable.columns.finishedAt'),
      field: 'finishedAt',
      render: job =>
        job.finishedAt && (
          <time dateTime={job.finishedAt}>
            {formatDateTime(job.finishedAt)}
          </time>
        ),
    },
    {
      title: t('jobTable.columns.message'),
      field: 'message',
      render: job => (
        <Typography variant="body2" style={{ whiteSpace: 'pre-wrap' }}>
          {job.message}
        </Typography>
      ),
    },
  ];

  const [paging, setPaging] = useState({ page: 0, pageSize: 20 });
  const { value, loading, error } = useAsync(
    () =>
      api.listJobs({
        limit: paging.pageSize,
        offset: paging.page * paging.pageSize,
      }),
    [api, paging],
  );

  if (error) {
    return <ResponseErrorPanel error={error} />;
  }

  return (
    <Table<Job>
      columns={columns}
      data={value?.items ?? []}
      isLoading={loading}
      page={paging.page}
      totalCount={value?.totalCount ?? 0}
      onPageChange={(page, pageSize) => setPaging({ page, pageSize })}
      onRowsPerPageChange={pageSize => setPaging({ page: 0, pageSize })}
      options={{
        paging: true,
        pageSize: paging.pageSize,
        pageSizeOptions: [20, 50, 100],
        search: false,
        sorting: false,
        toolbar: false,
        padding: 'dense',
      }}
      emptyContent={
        <Typography variant="body1" style={{ padding: 16 }}>
          {t('pythonSection.empty')}
        </Typography>
      }
    />
  );
}
