import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Button } from '@material-ui/core';
import {
  FAILING_HEALTHS,
  Job,
  monitorJobAcknowledgePermission,
  monitorJobDeletePermission,
  monitorJobMutePermission,
} from '@tc-portal/plugin-monitor-common';
import { monitorApiRef } from '../../api';
import { monitorTranslationRef } from '../../translation';
import { AcknowledgeDialog } from './actions/AcknowledgeDialog';
import { DeleteDialog } from './actions/DeleteDialog';
import { MuteDialog } from './actions/MuteDialog';
import { useJobAction } from './actions/useJobAction';

type DialogName = 'acknowledge' | 'mute' | 'delete';

/**
 * Acknowledge, mute and delete, for the users the permission policy allows
 * (the others do not see them). One action at a time: while one is under
 * way, every button waits.
 */
export function JobActions(props: {
  job: Job;
  onChanged: () => void;
  onDeleted: () => void;
}) {
  const { job } = props;
  const api = useApi(monitorApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const canAcknowledge = usePermission({
    permission: monitorJobAcknowledgePermission,
    resourceRef: job.jobKey,
  }).allowed;
  const canMute = usePermission({
    permission: monitorJobMutePermission,
    resourceRef: job.jobKey,
  }).allowed;
  const canDelete = usePermission({
    permission: monitorJobDeletePermission,
    resourceRef: job.jobKey,
  }).allowed;
  const action = useJobAction();
  // A dialog is rendered only while open, so each opens afresh.
  const [open, setOpen] = useState<DialogName>();
  const close = () => setOpen(undefined);
  const done = (after: () => void) => () => {
    close();
    after();
  };
  const button = (label: string, onClick: () => void, danger = false) => (
    <Button
      variant="outlined"
      color={danger ? 'secondary' : 'default'}
      disabled={action.busy}
      onClick={onClick}
    >
      {label}
    </Button>
  );
  const runNow = async (act: () => Promise<unknown>) => {
    if (await action.run(act)) {
      props.onChanged();
    }
  };

  const failing = FAILING_HEALTHS.includes(job.health);
  const dialogProps = { job, action, onClose: close };
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      {canAcknowledge &&
        failing &&
        !job.acknowledgement &&
        button(t('actions.acknowledge'), () => setOpen('acknowledge'))}
      {canAcknowledge &&
        job.acknowledgement &&
        button(t('actions.unacknowledge'), () =>
          runNow(() => api.clearAcknowledgement(job.jobKey)),
        )}
      {canMute && !job.mute && button(t('actions.mute'), () => setOpen('mute'))}
      {canMute &&
        job.mute &&
        button(t('actions.unmute'), () => runNow(() => api.unmute(job.jobKey)))}
      {canDelete && button(t('actions.delete'), () => setOpen('delete'), true)}

      {open === 'acknowledge' && (
        <AcknowledgeDialog {...dialogProps} onDone={done(props.onChanged)} />
      )}
      {open === 'mute' && (
        <MuteDialog {...dialogProps} onDone={done(props.onChanged)} />
      )}
      {open === 'delete' && (
        <DeleteDialog {...dialogProps} onDone={done(props.onDeleted)} />
      )}
    </Box>
  );
}
