import { ReactNode, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { usePermission } from '@backstage/plugin-permission-react';
import { Box, Button, Typography } from '@material-ui/core';
import {
  Job,
  monitorJobAcknowledgePermission,
  monitorJobDeletePermission,
  monitorJobMutePermission,
  mayBeAcknowledged,
} from '@tc-portal/plugin-monitor-common';
import { monitorApiRef } from '../../api';
import { monitorTranslationRef } from '../../translation';
import { AcknowledgeDialog } from './actions/AcknowledgeDialog';
import { DeleteDialog } from './actions/DeleteDialog';
import { MaintenanceDialog } from './actions/MaintenanceDialog';
import { MuteDialog } from './actions/MuteDialog';
import { useJobAction } from './actions/useJobAction';
import { EntityRefs } from '../common/EntityRefs';
import { useFormatters } from '../../hooks/useFormatters';

type DialogName = 'acknowledge' | 'mute' | 'maintenance' | 'delete';

/**
 * Why the person may not acknowledge or mute the job, and who may: its
 * owners (an owner policy lets them), or why nobody owns it.
 */
function NotAllowedNote(props: { job: Job; owners: string[] | null }) {
  const { t } = useTranslationRef(monitorTranslationRef);
  const { job, owners } = props;
  let text: ReactNode;
  if (owners === null) {
    text = t('actions.notAllowedOwnersUnknown');
  } else if (owners.length > 0) {
    text = (
      <>
        {t('actions.notAllowed')} <EntityRefs refs={owners} />
      </>
    );
  } else if (job.entityRef) {
    text = t('actions.notAllowedOwnerless', { entity: job.entityRef });
  } else {
    text = t('actions.notAllowedUnlinked');
  }
  return (
    <Typography
      variant="body2"
      color="textSecondary"
      data-testid="monitor-not-allowed"
      style={{ flexBasis: '100%' }}
    >
      {text}
    </Typography>
  );
}

/**
 * The job's own maintenance windows that have not ended, each with a button
 * that ends it for those who may mute the job.
 */
function MaintenanceWindows(props: {
  job: Job;
  canEnd: boolean;
  busy: boolean;
  onEnd: (windowId: string) => void;
}) {
  const { t } = useTranslationRef(monitorTranslationRef);
  const format = useFormatters();
  const { job } = props;
  if (job.maintenanceWindows.length === 0) {
    return null;
  }
  return (
    <Box flexBasis="100%" data-testid="monitor-maintenance-windows">
      <Typography variant="subtitle2">
        {t('detail.maintenanceWindows')}
      </Typography>
      {job.maintenanceWindows.map(window => (
        <Box
          key={window.id}
          display="flex"
          alignItems="center"
          style={{ gap: 8 }}
        >
          <Typography variant="body2">
            {t('detail.maintenanceWindow', {
              start: format.dateTime(window.start),
              end: format.dateTime(window.end),
              reason: window.reason,
              by: window.by,
            })}
          </Typography>
          {props.canEnd && (
            <Button
              size="small"
              disabled={props.busy}
              onClick={() => props.onEnd(window.id)}
            >
              {t('actions.endMaintenance')}
            </Button>
          )}
        </Box>
      ))}
    </Box>
  );
}

/**
 * Acknowledge, mute, plan maintenance and delete, for the users the
 * permission policy allows.
 * The others see why not, and who may. One action at a time: while one is
 * under way, every button waits.
 */
export function JobActions(props: {
  job: Job;
  owners: string[] | null;
  onChanged: () => void;
  onDeleted: () => void;
}) {
  const { job } = props;
  const api = useApi(monitorApiRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const acknowledgePermission = usePermission({
    permission: monitorJobAcknowledgePermission,
    resourceRef: job.jobKey,
  });
  const mutePermission = usePermission({
    permission: monitorJobMutePermission,
    resourceRef: job.jobKey,
  });
  const canAcknowledge = acknowledgePermission.allowed;
  const canMute = mutePermission.allowed;
  const decided = !acknowledgePermission.loading && !mutePermission.loading;
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

  const dialogProps = { job, action, onClose: close };
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      {canAcknowledge &&
        mayBeAcknowledged(job.health) &&
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
      {canMute &&
        button(t('actions.addMaintenance'), () => setOpen('maintenance'))}
      {canDelete && button(t('actions.delete'), () => setOpen('delete'), true)}
      {decided && !(canAcknowledge && canMute) && (
        <NotAllowedNote job={job} owners={props.owners} />
      )}
      <MaintenanceWindows
        job={job}
        canEnd={canMute}
        busy={action.busy}
        onEnd={windowId =>
          runNow(() => api.endMaintenanceWindow(job.jobKey, windowId))
        }
      />

      {open === 'acknowledge' && (
        <AcknowledgeDialog {...dialogProps} onDone={done(props.onChanged)} />
      )}
      {open === 'mute' && (
        <MuteDialog {...dialogProps} onDone={done(props.onChanged)} />
      )}
      {open === 'maintenance' && (
        <MaintenanceDialog {...dialogProps} onDone={done(props.onChanged)} />
      )}
      {open === 'delete' && (
        <DeleteDialog {...dialogProps} onDone={done(props.onDeleted)} />
      )}
    </Box>
  );
}
