import { ReactNode } from 'react';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
} from '@material-ui/core';
import { Job } from '@tc-portal/plugin-monitor-common';
import { monitorTranslationRef } from '../../../translation';
import { JobAction } from './useJobAction';

/** What each of a job's action dialogs is given. */
export type JobDialogProps = {
  job: Job;
  action: JobAction;
  onClose: () => void;
  /** After the action succeeded. */
  onDone: () => void;
};

/**
 * A dialog that asks for what an action needs, then does it (`perform`)
 * through the job's one action at a time.
 */
export function ActionDialog(
  props: Omit<JobDialogProps, 'job'> & {
    id: string;
    title: string;
    /** A label for a destructive action; OK otherwise. */
    submitLabel?: string;
    /** Whether what the action needs is filled in. */
    ready?: boolean;
    perform: () => Promise<unknown>;
    children: ReactNode;
  },
) {
  const { t } = useTranslationRef(monitorTranslationRef);
  const { action, ready = true } = props;
  return (
    <Dialog open onClose={props.onClose} aria-labelledby={`${props.id}-title`}>
      <DialogTitle id={`${props.id}-title`}>{props.title}</DialogTitle>
      <DialogContent>{props.children}</DialogContent>
      <DialogActions>
        <Button onClick={props.onClose}>{t('actions.cancel')}</Button>
        <Button
          color={props.submitLabel ? 'secondary' : 'primary'}
          disabled={action.busy || !ready}
          onClick={async () => {
            if (await action.run(props.perform)) {
              props.onDone();
            }
          }}
        >
          {props.submitLabel ?? t('actions.submit')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
