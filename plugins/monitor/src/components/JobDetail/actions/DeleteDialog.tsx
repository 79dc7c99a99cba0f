import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { DialogContentText } from '@material-ui/core';
import { monitorApiRef } from '../../../api';
import { monitorTranslationRef } from '../../../translation';
import { ActionDialog, JobDialogProps } from './ActionDialog';

/** Asks to confirm, then deletes the job and its history. */
export function DeleteDialog({ job, ...props }: JobDialogProps) {
  const api = useApi(monitorApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  return (
    <ActionDialog
      {...props}
      id="monitor-delete"
      title={t('actions.delete')}
      submitLabel={t('actions.delete')}
      perform={() => api.deleteJob(job.jobKey)}
    >
      <DialogContentText>
        {t('actions.deleteConfirm', { jobKey: job.jobKey })}
      </DialogContentText>
    </ActionDialog>
  );
}
