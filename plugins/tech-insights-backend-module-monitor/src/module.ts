import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { techInsightsFactRetrieversExtensionPoint } from '@backstage-community/plugin-tech-insights-node';
import {
  createMonitorJobFactRetriever,
  MONITOR_FACT_RETRIEVER_ID,
} from './monitorJobFactRetriever';

/**
 * Tech Insights' fact retriever of monitored jobs
 * (`monitorJobFactRetriever`). Like every retriever, it runs only once its
 * cadence is configured: `techInsights.factRetrievers.monitorJobFactRetriever.cadence`.
 *
 * @public
 */
export const techInsightsModuleMonitorFacts = createBackendModule({
  pluginId: 'tech-insights',
  moduleId: 'monitor-facts',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogServiceRef,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        retrievers: techInsightsFactRetrieversExtensionPoint,
      },
      async init({ catalog, config, logger, retrievers }) {
        if (
          !config.has(
            `techInsights.factRetrievers.${MONITOR_FACT_RETRIEVER_ID}`,
          )
        ) {
          logger.warn(
            `The monitored-job facts are not retrieved: set techInsights.factRetrievers.${MONITOR_FACT_RETRIEVER_ID}.cadence`,
          );
        }
        retrievers.addFactRetrievers({
          [MONITOR_FACT_RETRIEVER_ID]: createMonitorJobFactRetriever({
            catalog,
          }),
        });
      },
    });
  },
});
