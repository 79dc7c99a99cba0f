import { useState } from 'react';
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
  const [until, setUntil] = useState(() =>
    DateTime.now().plus({ hours: 4 }).toFormat("yyyy-MM-dd'T'HH:mm"),
  );
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<unknown>, after: () => void) => {
    setBusy(true);
    try {
      await action();
      setOpen(undefined);
      after();
    } catch (error) {
      alertApi.post({ message: String(error), severity: 'error' });
    } finally {
      setBusy(false);
    }
  };

  const failing = FAILING_HEALTHS.includes(job.health);
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      {canAcknowledge && failing && !job.acknowledgement && (
        <Button variant="outlined" onClick={() => setOpen('acknowledge')}>
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
        <Button variant="outlined" onClick={() => setOpen('mute')}>
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
          onClick={() => setOpen('delete')}
        >
          {t('actions.delete')}
        </Button>
      )}

      <Dialog
        open={open === 'acknowledge'}
        onClose={() => setOpen(undefined)}
        aria-labelledby="monitor-acknowledge-title"
      >
        <DialogTitle id="monitor-acknowledge-title">
          {t('actions.acknowledge')}
        </DialogTitle>
        <DialogContent>
          <TextField
            id="monitor-acknowledge-comment"
            fullWidth
            multiline
            label={t('actions.comment')}
            value={comment}
            onChange={event => setComment(event.target.value)}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(undefined)}>
            {t('actions.cancel')}
          </Button>
          <Button
            color="primary"
            disabled={busy || !comment.trim()}
            onClick={() =>
              run(() => api.acknowledge(job.jobKey, comment), props.onChanged)
            }
          >
            {t('actions.submit')}
          </Button>
        </DialogActions>
      </Dialog>

      <Dialog
        open={open === 'mute'}
        onClose={() => setOpen(undefined)}
        aria-labelledby="monitor-mute-title"
      >
        <DialogTitle id="monitor-mute-title">{t('actions.mute')}</DialogTitle>
        <DialogContent>
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
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(undefined)}>
            {t('actions.cancel')}
          </Button>
          <Button
            color="primary"
            disabled={busy || !reason.trim() || !until}
            onClick={() =>
              run(
                () =>
                  api.mute(
                    job.jobKey,
                    // The picker's time is the viewer's local time.
                    DateTime.fromISO(until).toJSDate(),
                    reason,
                  ),
                props.onChanged,
              )
            }
          >
            {t('actions.submit')}
          </Button>
        </DialogActions>
      </Dialog>

      <Dialog
        open={open === 'delete'}
        onClose={() => setOpen(undefined)}
        aria-labelledby="monitor-delete-title"
      >
        <DialogTitle id="monitor-delete-title">
          {t('actions.delete')}
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            {t('actions.deleteConfirm', { jobKey: job.jobKey })}
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(undefined)}>
            {t('actions.cancel')}
          </Button>
          <Button
            color="secondary"
            disabled={busy}
            onClick={() =>
              run(() => api.deleteJob(job.jobKey), props.onDeleted)
            }
          >
            {t('actions.delete')}
          </Button>
        </DialogActions>
      </Dialog>
    </Box>
  );
}
