import { Chip, makeStyles } from '@material-ui/core';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { JobRunOutcome } from '@tc-portal/plugin-monitor-common';
import { monitorTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  success: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  error: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  timeout: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
}));

/** A job's status, in colour and in words. */
export function JobStatusChip(props: { status: JobRunOutcome }) {
  const classes = useStyles();
  const { t } = useTranslationRef(monitorTranslationRef);
  return (
    <Chip
      size="small"
      label={t(`status.${props.status}`)}
      className={classes[props.status]}
      data-status={props.status}
    />
  );
}
