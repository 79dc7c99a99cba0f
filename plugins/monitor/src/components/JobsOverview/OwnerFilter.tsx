import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  catalogApiRef,
  humanizeEntityRef,
} from '@backstage/plugin-catalog-react';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { MenuItem, TextField } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { monitorTranslationRef } from '../../translation';

/** Picks a team (a catalog group) whose jobs to show. */
export function OwnerFilter(props: {
  value: string | undefined;
  onChange: (ownerRef: string | undefined) => void;
}) {
  const catalogApi = useApi(catalogApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const { value: groups = [] } = useAsync(async () => {
    const { items } = await catalogApi.getEntities({
      filter: { kind: 'Group' },
      fields: ['kind', 'metadata.name', 'metadata.namespace', 'metadata.title'],
    });
    return items.map(group => ({
      ref: stringifyEntityRef(group),
      label: group.metadata.title ?? humanizeEntityRef(group),
    }));
  }, [catalogApi]);

  return (
    <TextField
      id="monitor-owner-filter"
      select
      size="small"
      variant="outlined"
      label={t('filters.owner')}
      value={props.value ?? ''}
      onChange={event => props.onChange(event.target.value || undefined)}
      style={{ minWidth: 200 }}
    >
      <MenuItem value="">{t('filters.anyOwner')}</MenuItem>
      {props.value && !groups.some(g => g.ref === props.value) && (
        <MenuItem value={props.value}>{props.value}</MenuItem>
      )}
      {groups.map(group => (
        <MenuItem key={group.ref} value={group.ref}>
          {group.label}
        </MenuItem>
      ))}
    </TextField>
  );
}
