import { makeStyles, Tooltip } from '@material-ui/core';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { JobRunOutcome } from '@tc-portal/plugin-monitor-common';
import { monitorTranslationRef } from '../../translation';

const useStyles = makeStyles(theme => ({
  strip: { display: 'inline-flex', gap: 2, alignItems: 'flex-end' },
  // Shape as well as colour: a success is a short bar, a failure a tall one.
  cell: { width: 8, borderRadius: 2 },
  success: { height: 8, backgroundColor: theme.palette.success.main },
  error: { height: 16, backgroundColor: theme.palette.error.main },
  timeout: {
    height: 16,
    backgroundColor: theme.palette.error.dark,
    backgroundImage:
      'repeating-linear-gradient(45deg, transparent 0 2px, rgba(255,255,255,.5) 2px 4px)',
  },
}));

/**
 * The outcomes of a job's latest runs, oldest on the left. Its accessible
 * name lists them in words.
 */
export function OutcomeStrip(props: { outcomes: JobRunOutcome[] }) {
  const classes = useStyles();
  const { t } = useTranslationRef(monitorTranslationRef);
  if (props.outcomes.length === 0) {
    return null;
  }
  const label = t('jobTable.recentOutcomes', {
    outcomes: props.outcomes.map(o => t(`outcome.${o}`)).join(', '),
  });
  return (
    <Tooltip title={label}>
      <span className={classes.strip} role="img" aria-label={label}>
        {[...props.outcomes].reverse().map((outcome, i) => (
          <span key={i} className={`${classes.cell} ${classes[outcome]}`} />
        ))}
      </span>
    </Tooltip>
  );
}
