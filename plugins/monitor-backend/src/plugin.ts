import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  JOB_REPORT_PATH,
  monitorPermissions,
} from '@tc-portal/plugin-monitor-common';
import { readMonitorSettings } from './config';
import { DatabaseJobStore } from './database/DatabaseJobStore';
import { monitorClockServiceRef } from './service/clock';
import { JobAnnouncer } from './service/JobAnnouncer';
import { JobMonitor } from './service/JobMonitor';
import { createRouter } from './service/router';
import { hasJobSecrets, readWebhookSecrets } from './service/webhookSecret';

/**
 * The job monitor: receives job reports on `/api/monitor/job-report`, judges
 * the health of every job as reports arrive and as time passes, tells the
 * owners, and serves jobs and their history to the portal.
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
        lifecycle: coreServices.lifecycle,
        logger: coreServices.logger,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        notifications: notificationService,
        signals: signalsServiceRef,
        clock: monitorClockServiceRef,
      },
      async init(deps) {
        const { config, httpRouter, logger, scheduler } = deps;
        const settings = readMonitorSettings(config);
        const store = await DatabaseJobStore.create({
          database: deps.database,
        });
        const announcer = new JobAnnouncer({
          notifications: deps.notifications,
          signals: deps.signals,
          logger,
          notify: settings.notifications.enabled,
          defaultRecipient: settings.notifications.defaultRecipient,
          pagePath: settings.notifications.pagePath,
        });
        // The last changes still reach open pages.
        deps.lifecycle.addShutdownHook(() => announcer.sendSignal());
        const monitor = new JobMonitor({
          store,
          settings,
          clock: deps.clock,
          logger,
          announcer,
        });
        await monitor.start();

        if (readWebhookSecrets(config).length === 0 && !hasJobSecrets(config)) {
          logger.warn(
            `monitor.webhookSecret is not configured: ${JOB_REPORT_PATH} refuses every report until it is`,
          );
        }

        deps.permissionsRegistry.addPermissions(monitorPermissions);

        await scheduler.scheduleTask({
          id: 'monitor-check-jobs',
          scope: 'global',
          frequency: settings.checkFrequency,
          timeout: { minutes: 5 },
          fn: async () => {
            await monitor.checkJobs();
          },
        });
        await scheduler.scheduleTask({
          id: 'monitor-prune-history',
          scope: 'global',
          frequency: settings.pruneFrequency,
          timeout: { minutes: 30 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            await monitor.pruneHistory();
          },
        });

        httpRouter.use(
          await createRouter({
            config,
            httpAuth: deps.httpAuth,
            permissions: deps.permissions,
            monitor,
            maxBodySize: settings.limits.maxBodySize,
          }),
        );
        httpRouter.addAuthPolicy({
          path: JOB_REPORT_PATH,
          allow: 'unauthenticated',
        });
      },
    });
  },
});
