import { Table, TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Typography } from '@material-ui/core';
import { JobRun } from '@tc-portal/plugin-monitor-common';
import { useFormatters } from '../../hooks/useFormatters';
import { monitorTranslationRef } from '../../translation';
import { DateTimeText } from '../common/DateTimeText';
import { MessageText } from '../common/MessageText';
import { serverPaging } from '../common/paging';
import { RunWarningMarks } from '../common/RunWarningMarks';

/** A page of the job's runs, newest first, paged on the server. */
export function RunHistoryTable(props: {
  runs: JobRun[];
  totalCount: number;
  page: number;
  pageSize: number;
  onPageChange: (page: number, pageSize: number) => void;
}) {
  const { t } = useTranslationRef(monitorTranslationRef);
  const format = useFormatters();
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
      render: run => (
        <>
          {run.durationMs !== null ? format.duration(run.durationMs) : null}
          <RunWarningMarks warnings={run.warnings} />
        </>
      ),
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

  return (
    <Table<JobRun>
      title={t('detail.runs')}
      columns={runColumns}
      data={props.runs}
      {...serverPaging(props)}
      emptyContent={
        <Typography style={{ padding: 16 }}>{t('detail.noRuns')}</Typography>
      }
    />
  );
}
