import { TableColumn } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { AttentionChange } from '@tc-portal/plugin-monitor-common';
import { useFormatters } from '../../hooks/useFormatters';
import { monitorTranslationRef } from '../../translation';
import { HistoryTable } from '../common/HistoryTable';

/**
 * Who acknowledged or muted the job, or took it back, and when: newest
 * first.
 */
export function AttentionChangesTable(props: { changes: AttentionChange[] }) {
  const { t } = useTranslationRef(monitorTranslationRef);
  const format = useFormatters();
  const columns: TableColumn<AttentionChange>[] = [
    {
      title: t('detail.attentionColumns.at'),
      field: 'at',
      render: change => format.dateTime(change.at),
    },
    {
      title: t('detail.attentionColumns.by'),
      field: 'by',
      render: change =>
        change.by.startsWith('user:') ? (
          <EntityRefLink entityRef={change.by} />
        ) : (
          change.by
        ),
    },
    {
      title: t('detail.attentionColumns.kind'),
      field: 'kind',
      render: change => t(`detail.attentionKinds.${change.kind}`),
    },
    {
      title: t('detail.attentionColumns.note'),
      field: 'note',
      render: change => change.note ?? '',
    },
    {
      title: t('detail.attentionColumns.until'),
      field: 'until',
      render: change => (change.until ? format.dateTime(change.until) : ''),
    },
  ];

  return (
    <HistoryTable<AttentionChange>
      title={t('detail.attentionChanges')}
      columns={columns}
      data={props.changes}
      empty={t('detail.noAttentionChanges')}
    />
  );
}
