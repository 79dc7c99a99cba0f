import { makeStyles, useTheme } from '@material-ui/core';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import { JobBaseline, JobRun } from '@tc-portal/plugin-monitor-common';
import { useFormatters } from '../../hooks/useFormatters';
import { monitorTranslationRef } from '../../translation';

const WIDTH = 600;
const HEIGHT = 120;

const useStyles = makeStyles({
  svg: { width: '100%', maxWidth: WIDTH, height: HEIGHT, display: 'block' },
});

/**
 * The latest runs over time, oldest on the left: a bar's height is the run's
 * duration and its colour its outcome. Each bar names itself on hover. Behind
 * them, the band of the job's usual durations (median to p95), once it has
 * a baseline.
 */
export function RunChart(props: {
  runs: JobRun[];
  baseline?: JobBaseline | null;
}) {
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
  const { baseline } = props;
  const longest = Math.max(
    1,
    baseline?.p95Ms ?? 0,
    ...runs.map(run => run.durationMs ?? 0),
  );
  const heightOf = (ms: number) => ((HEIGHT - 8) * ms) / longest;
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
      {baseline && (
        <rect
          data-testid="baseline-band"
          x={0}
          y={HEIGHT - heightOf(baseline.p95Ms)}
          width={WIDTH}
          height={Math.max(
            1,
            heightOf(baseline.p95Ms) - heightOf(baseline.p50Ms),
          )}
          fill={theme.palette.info.main}
          fillOpacity={0.15}
        >
          <title>
            {t('detail.baseline', {
              p50: format.duration(baseline.p50Ms),
              p95: format.duration(baseline.p95Ms),
              runs: String(baseline.runs),
            })}
          </title>
        </rect>
      )}
      {runs.map((run, i) => {
        // A run of unknown duration still shows its outcome, as a stub.
        const slow = run.warnings.some(w => w.kind === 'slow');
        const height = run.durationMs
          ? Math.max(4, heightOf(run.durationMs))
          : 4;
        return (
          <rect
            key={run.id}
            data-outcome={run.status}
            data-slow={slow ? 'true' : undefined}
            stroke={slow ? theme.palette.warning.dark : undefined}
            strokeWidth={slow ? 2 : undefined}
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
