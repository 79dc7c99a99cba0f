import { Chip, makeStyles, Tooltip } from '@material-ui/core';
import SlowMotionVideoIcon from '@material-ui/icons/SlowMotionVideo';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { RunWarning } from '@tc-portal/plugin-monitor-common';
import { useFormatters } from '../../hooks/useFormatters';
import { monitorTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  chip: {
    marginLeft: theme.spacing(1),
    borderColor: theme.palette.warning.main,
    color: theme.palette.warning.dark,
  },
  icon: { color: theme.palette.warning.dark },
  compact: {
    color: theme.palette.warning.dark,
    fontSize: '1rem',
    marginLeft: theme.spacing(0.5),
    verticalAlign: 'text-bottom',
  },
}));

/**
 * The mark of a run slower than usual: on the run, what it took against
 * the usual it went over; on the list, that the latest run was slow.
 */
export function SlowMark(props: {
  warning?: Extract<RunWarning, { kind: 'slow' }>;
  /** An icon alone, for a narrow column. */
  compact?: boolean;
}) {
  const classes = useStyles();
  const format = useFormatters();
  const { t } = useTranslationRef(monitorTranslationRef);
  const { warning } = props;
  const title = warning
    ? t('warning.slowDetail', {
        duration: format.duration(warning.durationMs),
        p50: format.duration(warning.p50Ms),
        p95: format.duration(warning.p95Ms),
        factor: String(warning.slowFactor),
      })
    : t('warning.slowLatest');
  if (props.compact) {
    return (
      <Tooltip title={title}>
        <SlowMotionVideoIcon
          className={classes.compact}
          role="img"
          aria-label={`${t('warning.slow')}: ${title}`}
          data-warning="slow"
        />
      </Tooltip>
    );
  }
  return (
    <Tooltip title={title}>
      <Chip
        size="small"
        variant="outlined"
        className={classes.chip}
        icon={<SlowMotionVideoIcon className={classes.icon} />}
        label={t('warning.slow')}
        aria-label={`${t('warning.slow')}: ${title}`}
        data-warning="slow"
      />
    </Tooltip>
  );
}

/** A run's slow warning, if it has one. */
export function slowWarningOf(warnings: RunWarning[]) {
  return warnings.find(
    (w): w is Extract<RunWarning, { kind: 'slow' }> => w.kind === 'slow',
  );
}
