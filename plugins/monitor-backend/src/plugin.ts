import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { JOB_REPORT_PATH } from '@tc-portal/plugin-monitor-common';
import { DatabaseJobStore } from './database/DatabaseJobStore';
import { createRouter } from './service/router';
import { readWebhookSecrets } from './service/webhookSecret';

/**
 * The job monitor: receives job reports on `/api/monitor/job-report` and
 * serves jobs and their runs to the portal.
 *
 * @public
 */
export const monitorPlugin = createBackendPlugin({
  pluginId: 'monitor',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        database: coreServices.database,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ config, database, httpAuth, httpRouter, logger }) {
        const store = await DatabaseJobStore.create({ database });

        if (readWebhookSecrets(config).length === 0) {
          logger.warn(
            `monitor.webhookSecret is not configured: ${JOB_REPORT_PATH} refuses every report until it is`,
          );
        }

        httpRouter.use(await createRouter({ config, httpAuth, store }));
        httpRouter.addAuthPolicy({
          path: JOB_REPORT_PATH,
          allow: 'unauthenticated',
        });
      },
    });
  },
});
