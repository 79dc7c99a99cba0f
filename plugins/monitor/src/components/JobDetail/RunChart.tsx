import { makeStyles, useTheme } from '@material-ui/core';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { JobRun } from '@tc-portal/plugin-monitor-common';
import { useFormatters } from '../../hooks/useFormatters';
import { monitorTranslationRef } from '../../translation';

const WIDTH = 600;
const HEIGHT = 120;

const useStyles = makeStyles({
  svg: { width: '100%', maxWidth: WIDTH, height: HEIGHT, display: 'block' },
});

/**
 * The latest runs over time, oldest on the left: a bar's height is the run's
 * duration and its colour its outcome. Each bar names itself on hover.
 */
export function RunChart(props: { runs: JobRun[] }) {
  const classes = useStyles();
  const theme = useTheme();
  const format = useFormatters();
  const { t } = useTranslationRef(monitorTranslationRef);
  const runs = props.runs
    .filter(run => run.status !== 'running')
    .slice()
    .reverse();
  if (runs.length === 0) {
    return null;
  }
  const colors: Record<string, string> = {
    success: theme.palette.success.main,
    error: theme.palette.error.main,
    timeout: theme.palette.error.dark,
  };
  const longest = Math.max(1, ...runs.map(run => run.durationMs ?? 0));
  const slot = WIDTH / runs.length;
  const barWidth = Math.max(2, Math.min(24, slot - 2));
  return (
    <svg
      className={classes.svg}
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      preserveAspectRatio="none"
      role="img"
      aria-label={t('detail.chartLabel', { n: String(runs.length) })}
    >
      <line
        x1={0}
        y1={HEIGHT - 0.5}
        x2={WIDTH}
        y2={HEIGHT - 0.5}
        stroke={theme.palette.divider}
      />
      {runs.map((run, i) => {
        // A run of unknown duration still shows its outcome, as a stub.
        const height = run.durationMs
          ? Math.max(4, ((HEIGHT - 8) * run.durationMs) / longest)
          : 4;
        return (
          <rect
            key={run.id}
            data-outcome={run.status}
            x={i * slot + (slot - barWidth) / 2}
            y={HEIGHT - height}
            width={barWidth}
            height={height}
            fill={colors[run.status]}
          >
            <title>
              {`${t(`outcome.${run.status}`)} · ${
                run.finishedAt ? format.dateTime(run.finishedAt) : ''
              }${
                run.durationMs !== null
                  ? ` · ${format.duration(run.durationMs)}`
                  : ''
              }`}
            </title>
          </rect>
        );
      })}
    </svg>
  );
}
