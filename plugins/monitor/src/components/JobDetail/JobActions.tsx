import { ReactNode, useState } from 'react';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  TextField,
} from '@material-ui/core';
import {
  FAILING_HEALTHS,
  Job,
  monitorJobAcknowledgePermission,
  monitorJobDeletePermission,
  monitorJobMutePermission,
} from '@tc-portal/plugin-monitor-common';
import { DateTime } from 'luxon';
import { monitorApiRef } from '../../api';
import { monitorTranslationRef } from '../../translation';

type Dialogs = 'acknowledge' | 'mute' | 'delete' | undefined;

/** A dialog that asks for what an action needs, then does it. */
function ActionDialog(props: {
  id: string;
  open: boolean;
  title: string;
  submitLabel?: string;
  submitDisabled: boolean;
  onCancel: () => void;
  onSubmit: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslationRef(monitorTranslationRef);
  return (
    <Dialog
      open={props.open}
      onClose={props.onCancel}
      aria-labelledby={`${props.id}-title`}
    >
      <DialogTitle id={`${props.id}-title`}>{props.title}</DialogTitle>
      <DialogContent>{props.children}</DialogContent>
      <DialogActions>
        <Button onClick={props.onCancel}>{t('actions.cancel')}</Button>
        <Button
          color={props.submitLabel ? 'secondary' : 'primary'}
          disabled={props.submitDisabled}
          onClick={props.onSubmit}
        >
          {props.submitLabel ?? t('actions.submit')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * Acknowledge, mute and delete, for the users the permission policy allows
 * (the others do not see them).
 */
export function JobActions(props: {
  job: Job;
  onChanged: () => void;
  onDeleted: () => void;
}) {
  const { job } = props;
  const api = useApi(monitorApiRef);
  const alertApi = useApi(alertApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const canAcknowledge = usePermission({
    permission: monitorJobAcknowledgePermission,
  }).allowed;
  const canMute = usePermission({
    permission: monitorJobMutePermission,
  }).allowed;
  const canDelete = usePermission({
    permission: monitorJobDeletePermission,
  }).allowed;
  const [open, setOpen] = useState<Dialogs>();
  const [comment, setComment] = useState('');
  const [reason, setReason] = useState('');
  const [until, setUntil] = useState('');
  const untilDate = DateTime.fromISO(until);
  const untilValid = untilDate.isValid && untilDate > DateTime.now();

  // Each dialog starts afresh, a mute four hours from now.
  const openDialog = (dialog: Exclude<Dialogs, undefined>) => {
    setComment('');
    setReason('');
    setUntil(DateTime.now().plus({ hours: 4 }).toFormat("yyyy-MM-dd'T'HH:mm"));
    setOpen(dialog);
  };
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<unknown>, after: () => void) => {
    setBusy(true);
    try {
      await action();
      setOpen(undefined);
      after();
    } catch (error) {
      alertApi.post({
        message: t('actions.failed', {
          // The backend's own words (a ResponseError carries them), else
          // the error's.
          message:
            (error as { body?: { error?: { message?: string } } }).body?.error
              ?.message ?? String((error as Error).message ?? error),
        }),
        severity: 'error',
      });
    } finally {
      setBusy(false);
    }
  };

  const failing = FAILING_HEALTHS.includes(job.health);
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      {canAcknowledge && failing && !job.acknowledgement && (
        <Button variant="outlined" onClick={() => openDialog('acknowledge')}>
          {t('actions.acknowledge')}
        </Button>
      )}
      {canAcknowledge && job.acknowledgement && (
        <Button
          variant="outlined"
          disabled={busy}
          onClick={() =>
            run(() => api.clearAcknowledgement(job.jobKey), props.onChanged)
          }
        >
          {t('actions.unacknowledge')}
        </Button>
      )}
      {canMute && !job.mute && (
        <Button variant="outlined" onClick={() => openDialog('mute')}>
          {t('actions.mute')}
        </Button>
      )}
      {canMute && job.mute && (
        <Button
          variant="outlined"
          disabled={busy}
          onClick={() => run(() => api.unmute(job.jobKey), props.onChanged)}
        >
          {t('actions.unmute')}
        </Button>
      )}
      {canDelete && (
        <Button
          variant="outlined"
          color="secondary"
          onClick={() => openDialog('delete')}
        >
          {t('actions.delete')}
        </Button>
      )}

      <ActionDialog
        id="monitor-acknowledge"
        open={open === 'acknowledge'}
        title={t('actions.acknowledge')}
        submitDisabled={busy || !comment.trim()}
        onCancel={() => setOpen(undefined)}
        onSubmit={() =>
          run(() => api.acknowledge(job.jobKey, comment), props.onChanged)
        }
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

      <ActionDialog
        id="monitor-mute"
        open={open === 'mute'}
        title={t('actions.mute')}
        submitDisabled={busy || !reason.trim() || !untilValid}
        onCancel={() => setOpen(undefined)}
        onSubmit={() =>
          run(
            () =>
              api.mute(
                job.jobKey,
                // The picker's time is the viewer's local time.
                untilDate.toJSDate(),
                reason,
              ),
            props.onChanged,
          )
        }
      >
        <TextField
          id="monitor-mute-until"
          fullWidth
          type="datetime-local"
          label={t('actions.muteUntil')}
          value={until}
          onChange={event => setUntil(event.target.value)}
          InputLabelProps={{ shrink: true }}
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

      <ActionDialog
        id="monitor-delete"
        open={open === 'delete'}
        title={t('actions.delete')}
        submitLabel={t('actions.delete')}
        submitDisabled={busy}
        onCancel={() => setOpen(undefined)}
        onSubmit={() => run(() => api.deleteJob(job.jobKey), props.onDeleted)}
      >
        <DialogContentText>
          {t('actions.deleteConfirm', { jobKey: job.jobKey })}
        </DialogContentText>
      </ActionDialog>
    </Box>
  );
}
