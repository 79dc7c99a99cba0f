import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  search?: {
    collators?: {
      /** The collator of monitored jobs. */
      monitor?: {
        /**
         * When jobs are indexed: by default at the backend's start and every
         * 5 minutes after.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
