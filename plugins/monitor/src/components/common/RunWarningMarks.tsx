import { Chip, makeStyles, Tooltip } from '@material-ui/core';
import FileCopyIcon from '@material-ui/icons/FileCopy';
import FastForwardIcon from '@material-ui/icons/FastForward';
import SlowMotionVideoIcon from '@material-ui/icons/SlowMotionVideo';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { RunWarning } from '@tc-portal/plugin-monitor-common';
import { useFormatters } from '../../hooks/useFormatters';
import { monitorTranslationRef } from '../../translation';

const ICONS: Record<RunWarning['kind'], typeof SlowMotionVideoIcon> = {
  slow: SlowMotionVideoIcon,
  early: FastForwardIcon,
  duplicate: FileCopyIcon,
};

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

/** A warning's words: its name, and what it says of the run. */
function useWarningWords() {
  const format = useFormatters();
  const { t } = useTranslationRef(monitorTranslationRef);
  return {
    name: (kind: RunWarning['kind']) => t(`warning.${kind}`),
    detail: (warning: RunWarning) => {
      switch (warning.kind) {
        case 'slow':
          return t('warning.slowDetail', {
            duration: format.duration(warning.durationMs),
            p50: format.duration(warning.p50Ms),
            p95: format.duration(warning.p95Ms),
            factor: String(warning.slowFactor),
          });
        case 'early':
          return t('warning.earlyDetail', {
            by: format.duration(warning.earlyByMs),
            slot: format.dateTime(warning.slotAt),
          });
        default:
          return t('warning.duplicateDetail', {
            slot: format.dateTime(warning.slotAt),
          });
      }
    },
    latest: (kind: RunWarning['kind']) => t(`warning.${kind}Latest`),
  };
}

/**
 * What is worth a look about a run (slow, early, a duplicate), one mark
 * each, saying what it is on hover.
 */
export function RunWarningMarks(props: { warnings: RunWarning[] }) {
  const classes = useStyles();
  const words = useWarningWords();
  return (
    <>
      {props.warnings.map(warning => {
        const Icon = ICONS[warning.kind];
        const detail = words.detail(warning);
        return (
          <Tooltip key={warning.kind} title={detail}>
            <Chip
              size="small"
              variant="outlined"
              className={classes.chip}
              icon={<Icon className={classes.icon} />}
              label={words.name(warning.kind)}
              aria-label={`${words.name(warning.kind)}: ${detail}`}
              data-warning={warning.kind}
            />
          </Tooltip>
        );
      })}
    </>
  );
}

/** The marks of the latest run's warnings, as icons, for a narrow column. */
export function LatestWarningMarks(props: { kinds: RunWarning['kind'][] }) {
  const classes = useStyles();
  const words = useWarningWords();
  return (
    <>
      {props.kinds.map(kind => {
        const Icon = ICONS[kind];
        const title = words.latest(kind);
        return (
          <Tooltip key={kind} title={title}>
            <Icon
              className={classes.compact}
              role="img"
              aria-label={`${words.name(kind)}: ${title}`}
              data-warning={kind}
            />
          </Tooltip>
        );
      })}
    </>
  );
}
