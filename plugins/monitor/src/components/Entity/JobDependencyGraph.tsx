import { useMemo } from 'react';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { useTranslationRef } from '@backstage/core-plugin-api/alpha';
import {
  DependencyGraph,
  DependencyGraphTypes,
  InfoCard,
} from '@backstage/core-components';
import { useNavigate } from 'react-router-dom';
import { Typography, useTheme } from '@material-ui/core';
import { Job, JOB_LIST_LIMITS } from '@tc-portal/plugin-monitor-common';
import { monitorApiRef } from '../../api';
import { useLiveRead } from '../../hooks/useLiveRead';
import { jobRouteRef } from '../../routes';
import { healthColor } from '../common/HealthChip';
import { monitorTranslationRef } from '../../translation';

/** A job on the graph; a job that never reported has no health. */
type JobNode = { id: string; title: string; health: Job['health'] | null };

/**
 * The chain of jobs around an entity's jobs: the jobs they depend on
 * (upstream) and the jobs that depend on them (downstream), one step each
 * way, each with its health.
 */
export function JobDependencyGraph(props: { jobs: Job[] }) {
  const { jobs } = props;
  const api = useApi(monitorApiRef);
  const own = useMemo(() => jobs.map(job => job.jobKey), [jobs]);
  const upstreamKeys = useMemo(
    () => [...new Set(jobs.flatMap(job => job.dependsOn))],
    [jobs],
  );
  const { value } = useLiveRead(async () => {
    const [upstream, downstream] = await Promise.all([
      upstreamKeys.length
        ? api.listJobs({
            jobKey: upstreamKeys,
            limit: JOB_LIST_LIMITS.maxLimit,
          })
        : undefined,
      api.listJobs({ dependsOn: own, limit: JOB_LIST_LIMITS.maxLimit }),
    ]);
    return {
      upstream: upstream?.items ?? [],
      downstream: downstream.items,
      version: downstream.version,
    };
  }, [api, own, upstreamKeys]);

  const graph = useMemo(() => {
    const nodes = new Map<string, JobNode>();
    const edges = new Map<string, DependencyGraphTypes.DependencyEdge>();
    const add = (job: Pick<Job, 'jobKey' | 'title' | 'health'>) =>
      nodes.set(job.jobKey, {
        id: job.jobKey,
        title: job.title,
        health: job.health,
      });
    const link = (from: string, to: string) =>
      edges.set(`${from}\u0000${to}`, { from, to });
    jobs.forEach(add);
    value?.upstream.forEach(add);
    value?.downstream.forEach(add);
    for (const job of [...jobs, ...(value?.downstream ?? [])]) {
      for (const key of job.dependsOn) {
        // A job it depends on that has never reported is drawn too.
        if (!nodes.has(key)) {
          nodes.set(key, { id: key, title: key, health: null });
        }
        if (own.includes(job.jobKey) || own.includes(key)) {
          link(key, job.jobKey);
        }
      }
    }
    return { nodes: [...nodes.values()], edges: [...edges.values()] };
  }, [jobs, own, value]);

  const { t } = useTranslationRef(monitorTranslationRef);
  if (graph.edges.length === 0) {
    return null;
  }
  return (
    <InfoCard title={t('entity.dependencies')}>
      <Typography variant="body2" color="textSecondary">
        {t('entity.dependenciesHelp')}
      </Typography>
      <DependencyGraph
        nodes={graph.nodes}
        edges={graph.edges}
        direction={DependencyGraphTypes.Direction.LEFT_RIGHT}
        renderNode={({ node }) => <JobGraphNode node={node} />}
        showArrowHeads
        fit="contain"
        zoom="enable-on-click"
        data-testid="job-dependency-graph"
      />
    </InfoCard>
  );
}

const NODE_WIDTH = 180;
const NODE_HEIGHT = 44;

/** A job on the graph: its title, its health's colour and word. */
function JobGraphNode(props: { node: JobNode }) {
  const { node } = props;
  const theme = useTheme();
  const navigate = useNavigate();
  const jobLink = useRouteRef(jobRouteRef);
  const { t } = useTranslationRef(monitorTranslationRef);
  const fill = node.health
    ? healthColor(theme, node.health)
    : theme.palette.grey[500];
  const word = node.health
    ? t(`health.${node.health}`)
    : t('entity.notReported');
  const title =
    node.title.length > 14 ? `${node.title.slice(0, 13)}…` : node.title;
  const href = jobLink({ jobKey: node.id });
  return (
    <g data-job-key={node.id} data-health={node.health ?? 'none'}>
      <title>{`${node.title} (${node.id}): ${word}`}</title>
      <a
        href={href}
        onClick={event => {
          event.preventDefault();
          navigate(href);
        }}
      >
        <rect
          width={NODE_WIDTH}
          height={NODE_HEIGHT}
          rx={8}
          fill={fill}
          stroke={theme.palette.divider}
        />
        <text x={10} y={18} fill="#fff" fontSize={13} fontWeight="bold">
          {title}
        </text>
        <text x={10} y={35} fill="#fff" fontSize={11}>
          {word}
        </text>
      </a>
    </g>
  );
}
