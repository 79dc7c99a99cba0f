import { stringifyEntityRef } from '@backstage/catalog-model';
import { ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  FactRetriever,
  TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import {
  EntityStats,
  entityStatsResponseSchema,
} from '@tc-portal/plugin-monitor-common';
import { DateTime } from 'luxon';

/**
 * The id of the monitor's fact retriever: the key of its config
 * (`techInsights.factRetrievers.monitorJobFactRetriever.cadence`) and the
 * `factIds` of the checks that use its facts.
 *
 * @public
 */
export const MONITOR_FACT_RETRIEVER_ID = 'monitorJobFactRetriever';

/** The days that the success rate and the time to acknowledge look back. */
const WINDOW_DAYS = 30;

const HOUR = 3_600_000;

/** The entities that get facts, unless the retriever is given others. */
const DEFAULT_ENTITY_FILTER = [{ kind: ['component', 'system', 'resource'] }];

/**
 * What each entity's facts say, as the checks name them.
 *
 * @public
 */
export type MonitorJobFacts = {
  hasMonitoredJobs: boolean;
  monitoredJobs: number;
  jobsNeedingAttention: number;
  failingJobs: number;
  longestFailureHours: number;
  runs30Days: number;
  successRate30Days: number;
  acknowledgements30Days: number;
  meanTimeToAcknowledgeMinutes: number;
};

/** One decimal place. */
const round = (value: number) => Math.round(value * 10) / 10;

/**
 * An entity's facts from the monitor's stats of its jobs (none: an entity
 * without monitored jobs). Where there is nothing to measure, the number
 * says so without failing a check on it: a success rate of 100 with no
 * finished run, a time to acknowledge of 0 with no acknowledgement; the
 * counts beside them tell.
 *
 * @public
 */
export function monitorJobFacts(
  stats: EntityStats | undefined,
  now: Date,
): MonitorJobFacts {
  const runs = (stats?.runs.succeeded ?? 0) + (stats?.runs.failed ?? 0);
  const meanMs = stats?.acknowledgements.meanTimeToAcknowledgeMs ?? null;
  return {
    hasMonitoredJobs: (stats?.jobCount ?? 0) > 0,
    monitoredJobs: stats?.jobCount ?? 0,
    jobsNeedingAttention: stats?.attentionCount ?? 0,
    failingJobs: stats?.failingCount ?? 0,
    longestFailureHours: stats?.failingSince
      ? round(
          Math.max(0, now.getTime() - Date.parse(stats.failingSince)) / HOUR,
        )
      : 0,
    runs30Days: runs,
    successRate30Days:
      runs === 0 ? 100 : round((100 * (stats?.runs.succeeded ?? 0)) / runs),
    acknowledgements30Days: stats?.acknowledgements.count ?? 0,
    meanTimeToAcknowledgeMinutes: meanMs === null ? 0 : round(meanMs / 60_000),
  };
}

/**
 * The Tech Insights fact retriever of monitored jobs: for each entity of
 * the catalog (components, systems and resources, unless its
 * `entityFilter` says otherwise), whether it has monitored jobs, how many
 * need attention or fail and for how long, and over the last 30 days the
 * share of runs that succeeded and the mean time to acknowledge a failure.
 * It reads the monitor's `GET /entity-stats` with the plugin's service
 * credentials.
 *
 * @public
 */
export function createMonitorJobFactRetriever(options: {
  catalog: CatalogService;
  /** The time now (a test's clock). */
  now?: () => Date;
}): FactRetriever {
  const now = options.now ?? (() => new Date());
  return {
    id: MONITOR_FACT_RETRIEVER_ID,
    version: '0.1.0',
    title: 'Monitored jobs',
    description:
      "The entity's monitored jobs: attention, failures, and over 30 days their success rate and the time to acknowledge a failure.",
    entityFilter: DEFAULT_ENTITY_FILTER,
    schema: {
      hasMonitoredJobs: {
        type: 'boolean',
        description: 'Whether any monitored job is linked to the entity',
      },
      monitoredJobs: {
        type: 'integer',
        description: 'How many monitored jobs are linked to the entity',
      },
      jobsNeedingAttention: {
        type: 'integer',
        description:
          'How many of its jobs fail with nobody acknowledging, muting or maintaining them (what the 障害 badge counts)',
      },
      failingJobs: {
        type: 'integer',
        description: 'How many of its jobs fail, acknowledged or not',
      },
      longestFailureHours: {
        type: 'float',
        description:
          'Hours since the longest current failure among its jobs began; 0 when none fails',
      },
      runs30Days: {
        type: 'integer',
        description: 'Runs of its jobs that finished in the last 30 days',
      },
      successRate30Days: {
        type: 'float',
        description:
          'Percent of those runs that succeeded; 100 when none finished',
      },
      acknowledgements30Days: {
        type: 'integer',
        description: 'Failures of its jobs acknowledged in the last 30 days',
      },
      meanTimeToAcknowledgeMinutes: {
        type: 'float',
        description:
          'Minutes from the start of a failure to its acknowledgement, on average over the last 30 days; 0 with none',
      },
    },
    async handler({ auth, discovery, entityFilter, logger }) {
      const at = now();
      const credentials = await auth.getOwnServiceCredentials();
      const { items: entities } = await options.catalog.getEntities(
        {
          filter: entityFilter ?? DEFAULT_ENTITY_FILTER,
          fields: ['kind', 'metadata.name', 'metadata.namespace'],
        },
        { credentials },
      );
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: 'monitor',
      });
      const since = new Date(at.getTime() - WINDOW_DAYS * 24 * HOUR);
      const response = await fetch(
        `${await discovery.getBaseUrl(
          'monitor',
        )}/entity-stats?${new URLSearchParams({
          since: since.toISOString(),
        })}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      if (!response.ok) {
        throw await ResponseError.fromResponse(response);
      }
      const stats = new Map(
        entityStatsResponseSchema
          .parse(await response.json())
          .items.map(item => [item.entityRef, item]),
      );
      const timestamp = DateTime.fromJSDate(at);
      const facts = entities.map(
        (entity): TechInsightFact => ({
          entity: {
            kind: entity.kind,
            namespace: entity.metadata.namespace ?? 'default',
            name: entity.metadata.name,
          },
          facts: monitorJobFacts(stats.get(stringifyEntityRef(entity)), at),
          timestamp,
        }),
      );
      logger.info(
        `Monitored-job facts of ${facts.length} entities, ${stats.size} entities with jobs in the monitor`,
      );
      return facts;
    },
  };
}
