import { Chip, makeStyles, Theme } from '@material-ui/core';
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

/** The colour of a job's health, for a chip or a graph's node. */
export function healthColor(theme: Theme, health: JobHealth): string {
  return {
    ok: theme.palette.success.main,
    running: theme.palette.info.main,
    late: theme.palette.warning.main,
    error: theme.palette.error.main,
    missed: theme.palette.error.dark,
    timeout: theme.palette.error.dark,
  }[health];
}

export const useHealthStyles = makeStyles(theme => ({
  ok: {
    backgroundColor: healthColor(theme, 'ok'),
    color: theme.palette.success.contrastText,
  },
  running: {
    backgroundColor: healthColor(theme, 'running'),
    color: theme.palette.info.contrastText,
  },
  late: {
    backgroundColor: healthColor(theme, 'late'),
    color: theme.palette.warning.contrastText,
  },
  error: {
    backgroundColor: healthColor(theme, 'error'),
    color: theme.palette.error.contrastText,
  },
  missed: {
    backgroundColor: healthColor(theme, 'missed'),
    color: theme.palette.error.contrastText,
  },
  timeout: {
    backgroundColor: healthColor(theme, 'timeout'),
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
