import { Chip, makeStyles } from '@material-ui/core';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import ErrorIcon from '@material-ui/icons/Error';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import PlayCircleFilledIcon from '@material-ui/icons/PlayCircleFilled';
import ScheduleIcon from '@material-ui/icons/Schedule';
import TimerOffIcon from '@material-ui/icons/TimerOff';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { JobHealth } from '@tc-portal/plugin-monitor-common';
import { monitorTranslationRef } from '../../translation';

const ICONS: Record<JobHealth, typeof ErrorIcon> = {
  ok: CheckCircleIcon,
  running: PlayCircleFilledIcon,
  late: HourglassEmptyIcon,
  error: ErrorIcon,
  missed: ScheduleIcon,
  timeout: TimerOffIcon,
};

export const useHealthStyles = makeStyles(theme => ({
  ok: {
    backgroundColor: theme.palette.success.main,
    color: theme.palette.success.contrastText,
  },
  running: {
    backgroundColor: theme.palette.info.main,
    color: theme.palette.info.contrastText,
  },
  late: {
    backgroundColor: theme.palette.warning.main,
    color: theme.palette.warning.contrastText,
  },
  error: {
    backgroundColor: theme.palette.error.main,
    color: theme.palette.error.contrastText,
  },
  missed: {
    backgroundColor: theme.palette.error.dark,
    color: theme.palette.error.contrastText,
  },
  timeout: {
    backgroundColor: theme.palette.error.dark,
    color: theme.palette.error.contrastText,
  },
  icon: { color: 'inherit' },
}));

/** A job's health: colour, icon and word, never colour alone. */
export function HealthChip(props: { health: JobHealth }) {
  const classes = useHealthStyles();
  const { t } = useTranslationRef(monitorTranslationRef);
  const Icon = ICONS[props.health];
  return (
    <Chip
      size="small"
      icon={<Icon fontSize="small" className={classes.icon} />}
      label={t(`health.${props.health}`)}
      className={classes[props.health]}
      data-health={props.health}
    />
  );
}
