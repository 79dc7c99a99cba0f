import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { TextField } from '@material-ui/core';
import { DateTime } from 'luxon';
import { monitorApiRef } from '../../../api';
import { monitorTranslationRef } from '../../../translation';
import { ActionDialog, JobDialogProps } from './ActionDialog';
import { DateTimeField } from './DateTimeField';

const PICKER_FORMAT = "yyyy-MM-dd'T'HH:mm";

/**
 * Asks from when (now to start with), until when (two hours later) and why,
 * then adds a one-off maintenance window to the job.
 */
export function MaintenanceDialog({ job, ...props }: JobDialogProps) {
  const api = useApi(monitorApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const [opened] = useState(() => DateTime.now().startOf('minute'));
  const [reason, setReason] = useState('');
  const [start, setStart] = useState(() => opened.toFormat(PICKER_FORMAT));
  const [end, setEnd] = useState(() =>
    opened.plus({ hours: 2 }).toFormat(PICKER_FORMAT),
  );
  // The pickers' times are the viewer's local time. A start left as it was
  // opened means now.
  const startDate = DateTime.fromISO(start);
  const endDate = DateTime.fromISO(end);
  const startsNow = startDate.isValid && startDate <= opened;
  return (
    <ActionDialog
      {...props}
      id="monitor-maintenance"
      title={t('actions.addMaintenance')}
      ready={
        reason.trim() !== '' &&
        startDate.isValid &&
        endDate.isValid &&
        endDate > startDate &&
        endDate > DateTime.now()
      }
      perform={() =>
        api.addMaintenanceWindow(job.jobKey, {
          start: startsNow ? undefined : startDate.toJSDate(),
          end: endDate.toJSDate(),
          reason,
        })
      }
    >
      <DateTimeField
        id="monitor-maintenance-start"
        label={t('actions.maintenanceStart')}
        value={start}
        onChange={setStart}
        first
      />
      <DateTimeField
        id="monitor-maintenance-end"
        label={t('actions.maintenanceEnd')}
        value={end}
        onChange={setEnd}
      />
      <TextField
        id="monitor-maintenance-reason"
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
