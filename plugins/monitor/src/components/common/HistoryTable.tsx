import { Table, TableColumn } from '@backstage/core-components';
import { Typography } from '@material-ui/core';

/** A short history on a job's page: newest first, unpaged, unsorted. */
export function HistoryTable<T extends object>(props: {
  title: string;
  columns: TableColumn<T>[];
  data: T[];
  /** What to say while there is nothing. */
  empty: string;
}) {
  return (
    <Table<T>
      title={props.title}
      columns={props.columns}
      data={props.data}
      options={{
        paging: false,
        search: false,
        sorting: false,
        padding: 'dense',
      }}
      emptyContent={
        <Typography style={{ padding: 16 }}>{props.empty}</Typography>
      }
    />
  );
}
