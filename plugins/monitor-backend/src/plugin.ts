import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  actionsRegistryServiceRef,
  metricsServiceRef,
} from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  JOB_REPORT_PATH,
  monitorJobActionPermissions,
  monitorJobReadPermission,
} from '@tc-portal/plugin-monitor-common';
import { createMonitorActions } from './actions/createMonitorActions';
import { JobOwnership } from './catalog/JobOwnership';
import {
  monitorJobPermissionResourceRef,
  monitorJobRules,
} from './permissions/rules';
import { monitorJobResourceLoader } from './permissions/resources';
import { JobAccess } from './service/access';
import { JobCommands } from './service/JobCommands';
import { MonitorMetrics } from './service/metrics';
import { jobConfigOf, readMonitorSettings } from './config';
import { jobViewer } from './service/jobView';
import { createMonitorStores } from './database/createStores';
import { ChangeNotifier } from './service/ChangeNotifier';
import { notificationWords } from './service/notificationWords';
import { monitorClockServiceRef } from './service/clock';
import { JobAnnouncer } from './service/JobAnnouncer';
import { JobMonitor } from './service/JobMonitor';
import { MaintenanceWindows } from './service/MaintenanceWindows';
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
        auditor: coreServices.auditor,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        metricsService: metricsServiceRef,
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
        const metrics = new MonitorMetrics(deps.metricsService);
        const ownership = new JobOwnership({
          catalog: deps.catalog,
          auth: deps.auth,
          defaultOwner: settings.defaultOwner,
          defaultTimezone: settings.defaultTimezone,
          logger: deps.logger,
        });
        const maintenance = new MaintenanceWindows(
          settings.maintenance,
          ownership,
        );
        const configOf = jobConfigOf(settings, maintenance.current);
        const stores = await createMonitorStores({
          database: deps.database,
          logger,
          configOf,
          retention: settings.retention,
          now: () => deps.clock.now(),
        });
        const announcer = new JobAnnouncer({
          signals: deps.signals,
          logger,
          version: () => stores.version.known(),
        });
        // What the other replicas wrote: learnt four times a second, so
        // that the summary served from memory and the ETags follow them.
        const versionPoll = setInterval(
          () =>
            void stores.version
              .refresh()
              .catch(error =>
                logger.debug(`Could not read the data version: ${error}`),
              ),
          250,
        );
        versionPoll.unref?.();
        const notifier = new ChangeNotifier({
          outbox: stores.outbox,
          notifications: deps.notifications,
          logger,
          clock: deps.clock,
          pagePath: settings.notifications.pagePath,
          words: notificationWords(
            settings.notifications.language,
            settings.defaultTimezone,
          ),
          parentGroupOf: entityRef => ownership.parentGroupOf(entityRef),
          downstreamOf: async jobKey =>
            (await stores.reader.downstreamOf(jobKey)).map(job => ({
              title: job.title,
              owner: job.entityRef ?? settings.defaultOwner,
            })),
          onSettled: (outcome, count) => metrics.noticesSettled(outcome, count),
        });
        deps.lifecycle.addShutdownHook(async () => {
          clearInterval(versionPoll);
          await notifier.stop();
          // The last changes still reach open pages.
          await announcer.sendSignal();
          await stores.stop();
        });
        const monitor = new JobMonitor({
          stores,
          settings,
          clock: deps.clock,
          logger,
          announcer,
          notifier,
          ownership,
          maintenance,
        });
        await monitor.start();

        if (readWebhookSecrets(config).length === 0 && !hasJobSecrets(config)) {
          logger.warn(
            `monitor.webhookSecret is not configured: ${JOB_REPORT_PATH} refuses every report until it is`,
          );
        }

        metrics.observe({
          jobsByHealth: async () => (await monitor.summary()).byHealth,
          pendingNotices: () => stores.outbox.pendingCount(),
        });

        const access = new JobAccess(deps.permissions);
        const commands = new JobCommands({
          attention: stores.attention,
          access,
          auditor: deps.auditor,
          announcer,
          clock: deps.clock,
          view: jobViewer(configOf),
          judge: (jobKey, now) => monitor.judge(jobKey, now),
        });

        deps.permissionsRegistry.addPermissions([monitorJobReadPermission]);
        deps.permissionsRegistry.addResourceType({
          resourceRef: monitorJobPermissionResourceRef,
          permissions: monitorJobActionPermissions,
          rules: Object.values(monitorJobRules),
          getResources: monitorJobResourceLoader({
            reader: stores.reader,
            ownership,
          }),
        });

        createMonitorActions({
          actionsRegistry: deps.actionsRegistry,
          monitor,
          access,
          commands,
        });

        await scheduler.scheduleTask({
          id: 'monitor-check-jobs',
          scope: 'global',
          frequency: settings.checkFrequency,
          timeout: { minutes: 5 },
          fn: async () => {
            await metrics.timeTask('check', () => monitor.checkJobs());
          },
        });
        // What is left unsent (a send that failed, a replica that died
        // between its commit and its send); each replica sends its own.
        await scheduler.scheduleTask({
          id: 'monitor-send-notices',
          scope: 'local',
          frequency: { seconds: 15 },
          timeout: { minutes: 5 },
          fn: () => notifier.sweep(),
        });
        await scheduler.scheduleTask({
          id: 'monitor-link-catalog',
          scope: 'global',
          frequency: settings.catalogRefreshFrequency,
          timeout: { minutes: 5 },
          fn: async () => {
            await metrics.timeTask('link-catalog', () =>
              monitor.linkCatalogJobs(),
            );
          },
        });
        await scheduler.scheduleTask({
          id: 'monitor-prune-history',
          scope: 'global',
          frequency: settings.pruneFrequency,
          timeout: { minutes: 30 },
          initialDelay: { minutes: 1 },
          fn: async () => {
            await metrics.timeTask('prune', () =>
              stores.cleaner.prune(deps.clock.now()),
            );
          },
        });

        httpRouter.use(
          await createRouter({
            config,
            httpAuth: deps.httpAuth,
            auditor: deps.auditor,
            monitor,
            access,
            commands,
            metrics,
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
