import {
  coreServices,
  createBackendModule,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { searchIndexRegistryExtensionPoint } from '@backstage/plugin-search-backend-node/alpha';
import { MonitorJobCollatorFactory } from './MonitorJobCollatorFactory';

/** At the backend's start, and every 5 minutes after. */
const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { minutes: 5 },
  timeout: { minutes: 3 },
  initialDelay: { seconds: 3 },
};

function readSchedule(config: Config): SchedulerServiceTaskScheduleDefinition {
  const schedule = config.getOptionalConfig(
    'search.collators.monitor.schedule',
  );
  return schedule
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(schedule)
    : DEFAULT_SCHEDULE;
}

/**
 * The search backend's collator of monitored jobs: indexes every job of the
 * monitor plugin (`monitor-job` documents) at the backend's start and every
 * 5 minutes (`search.collators.monitor.schedule`).
 *
 * @public
 */
export const searchModuleMonitorCollator = createBackendModule({
  pluginId: 'search',
  moduleId: 'monitor-collator',
  register(env) {
    env.registerInit({
      deps: {
        auth: coreServices.auth,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
        catalog: catalogServiceRef,
        indexRegistry: searchIndexRegistryExtensionPoint,
      },
      async init({
        auth,
        config,
        discovery,
        logger,
        scheduler,
        catalog,
        indexRegistry,
      }) {
        indexRegistry.addCollator({
          schedule: scheduler.createScheduledTaskRunner(readSchedule(config)),
          factory: MonitorJobCollatorFactory.fromConfig(config, {
            auth,
            discovery,
            catalog,
            logger,
          }),
        });
      },
    });
  },
});
