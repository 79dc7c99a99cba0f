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
import { createMonitorStores } from './database/createStores';
import { ChangeNotifier } from './service/ChangeNotifier';
import { notificationWords } from './service/notificationWords';
import { monitorClockServiceRef } from './service/clock';
import { JobAnnouncer } from './service/JobAnnouncer';
import { JobMonitor, rulesFromSettings } from './service/JobMonitor';
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
        const stores = await createMonitorStores({
          database: deps.database,
          logger,
          clock: deps.clock,
          rulesFor: rulesFromSettings(settings),
          notify: settings.notifications.enabled,
          retention: settings.retention,
        });
        const announcer = new JobAnnouncer({ signals: deps.signals, logger });
        const notifier = new ChangeNotifier({
          outbox: stores.outbox,
          notifications: deps.notifications,
          logger,
          clock: deps.clock,
          defaultRecipient: settings.notifications.defaultRecipient,
          pagePath: settings.notifications.pagePath,
          words: notificationWords(
            settings.notifications.language,
            settings.defaultTimezone,
          ),
        });
        deps.lifecycle.addStartupHook(() => notifier.start());
        deps.lifecycle.addShutdownHook(async () => {
          await notifier.stop();
          // The last changes still reach open pages.
          await announcer.sendSignal();
        });
        const monitor = new JobMonitor({
          stores,
          settings,
          clock: deps.clock,
          logger,
          announcer,
          notifier,
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
        await stores.cleaner.schedule(scheduler, settings.pruneFrequency);

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
