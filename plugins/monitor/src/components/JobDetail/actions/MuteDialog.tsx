import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { TextField } from '@material-ui/core';
import { DateTime } from 'luxon';
import { monitorApiRef } from '../../../api';
import { monitorTranslationRef } from '../../../translation';
import { ActionDialog, JobDialogProps } from './ActionDialog';
import { DateTimeField } from './DateTimeField';

/** Asks until when and why (four hours from now to start with), then mutes. */
export function MuteDialog({ job, ...props }: JobDialogProps) {
  const api = useApi(monitorApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState(() =>
    DateTime.now().plus({ hours: 4 }).toFormat("yyyy-MM-dd'T'HH:mm"),
  );
  // The picker's time is the viewer's local time.
  const untilDate = DateTime.fromISO(until);
  return (
    <ActionDialog
      {...props}
      id="monitor-mute"
      title={t('actions.mute')}
      ready={
        reason.trim() !== '' && untilDate.isValid && untilDate > DateTime.now()
      }
      perform={() => api.mute(job.jobKey, untilDate.toJSDate(), reason)}
    >
      <DateTimeField
        id="monitor-mute-until"
        label={t('actions.muteUntil')}
        value={until}
        onChange={setUntil}
        first
      />
      <TextField
        id="monitor-mute-reason"
        fullWidth
        multiline
        label={t('actions.muteReason')}
        value={reason}
        onChange={event => setReason(event.target.value)}
        style={{ marginTop: 16 }}
      />
    </ActionDialog>
  );
}
