import { Box, Chip, makeStyles } from '@material-ui/core';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  JobHealth,
  JobSummaryResponse,
} from '@tc-portal/plugin-monitor-common';
import { useFormatters } from '../../hooks/useFormatters';
import { monitorTranslationRef } from '../../translation';
import { useHealthStyles } from '../common/HealthChip';

/** The order the counts are shown in: most urgent first. */
export const SUMMARY_HEALTHS: JobHealth[] = [
  'error',
  'timeout',
  'missed',
  'late',
  'running',
  'ok',
];

const useStyles = makeStyles(theme => ({
  row: { display: 'flex', flexWrap: 'wrap', gap: theme.spacing(1) },
  inactive: {
    backgroundColor: theme.palette.background.paper,
    color: theme.palette.text.primary,
  },
}));

/**
 * The count of jobs per health, each a filter: pressing one shows those
 * jobs alone, pressing it again shows all. Beside them, the count of the
 * jobs that need attention (the badge's), a filter of its own that the
 * health filters narrow.
 */
export function HealthSummary(props: {
  summary: JobSummaryResponse;
  selected: JobHealth[];
  attention: boolean;
  onChange: (filter: { health?: JobHealth[]; attention?: boolean }) => void;
}) {
  const classes = useStyles();
  const healthClasses = useHealthStyles();
  const format = useFormatters();
  const { t } = useTranslationRef(monitorTranslationRef);
  const { summary, selected } = props;

  return (
    <Box
      className={classes.row}
      role="group"
      aria-label={t('jobTable.columns.health')}
    >
      <Chip
        clickable
        label={t('summary.count', {
          label: t('summary.attention'),
          n: format.number(summary.attentionCount),
        })}
        color={props.attention ? 'secondary' : 'default'}
        variant={props.attention ? 'default' : 'outlined'}
        title={t('summary.attentionTitle')}
        aria-pressed={props.attention}
        data-testid="monitor-attention-filter"
        onClick={() => props.onChange({ attention: !props.attention })}
      />
      <Chip
        clickable
        label={t('summary.count', {
          label: t('summary.all'),
          n: format.number(summary.totalCount),
        })}
        color={
          selected.length === 0 && !props.attention ? 'primary' : 'default'
        }
        aria-pressed={selected.length === 0 && !props.attention}
        onClick={() => props.onChange({ health: [], attention: false })}
      />
      {SUMMARY_HEALTHS.map(health => {
        const active = selected.includes(health);
        const label = t(`health.${health}`);
        return (
          <Chip
            key={health}
            clickable
            variant={active ? 'default' : 'outlined'}
            className={active ? healthClasses[health] : classes.inactive}
            label={t('summary.count', {
              label,
              n: format.number(summary.byHealth[health]),
            })}
            title={t('summary.filterBy', { label })}
            aria-pressed={active}
            data-health={health}
            onClick={() => props.onChange({ health: active ? [] : [health] })}
          />
        );
      })}
    </Box>
  );
}
