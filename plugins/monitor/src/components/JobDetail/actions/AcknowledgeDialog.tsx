import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { TextField } from '@material-ui/core';
import { monitorApiRef } from '../../../api';
import { monitorTranslationRef } from '../../../translation';
import { ActionDialog, JobDialogProps } from './ActionDialog';

/** Asks for a comment, then acknowledges the job. */
export function AcknowledgeDialog({ job, ...props }: JobDialogProps) {
  const api = useApi(monitorApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const [comment, setComment] = useState('');
  return (
    <ActionDialog
      {...props}
      id="monitor-acknowledge"
      title={t('actions.acknowledge')}
      ready={comment.trim() !== ''}
      perform={() => api.acknowledge(job.jobKey, comment)}
    >
      <TextField
        id="monitor-acknowledge-comment"
        fullWidth
        multiline
        label={t('actions.comment')}
        value={comment}
        onChange={event => setComment(event.target.value)}
      />
    </ActionDialog>
  );
}
