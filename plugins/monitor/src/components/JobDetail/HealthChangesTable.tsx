import { TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { Box } from '@material-ui/core';
import { HealthChange } from '@tc-portal/plugin-monitor-common';
import { useFormatters } from '../../hooks/useFormatters';
import { useReasonText } from '../../hooks/useReasonText';
import { monitorTranslationRef } from '../../translation';
import { HealthChip } from '../common/HealthChip';
import { HistoryTable } from '../common/HistoryTable';

/** The job's changes of health, newest first, each with its reason. */
export function HealthChangesTable(props: { changes: HealthChange[] }) {
  const { t } = useTranslationRef(monitorTranslationRef);
  const format = useFormatters();
  const reasonText = useReasonText();
  const changeColumns: TableColumn<HealthChange>[] = [
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
    <HistoryTable<HealthChange>
      title={t('detail.healthChanges')}
      columns={changeColumns}
      data={props.changes}
      empty={t('detail.noHealthChanges')}
    />
  );
}
