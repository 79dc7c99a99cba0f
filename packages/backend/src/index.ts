/*
 * The demo portal's backend: the catalog with example entities, guest
 * sign-in for local use, notifications and signals, the job monitor, its
 * actions for MCP clients, search over its jobs, Tech Insights facts of
 * each entity's jobs, and a permission policy
 * that lets teams act on their own jobs only.
 */
// First: the metrics exporter, before any plugin asks for a meter.
import './instrumentation';
import { createBackend } from '@backstage/backend-defaults';
import {
  coreServices,
  createBackendFeatureLoader,
} from '@backstage/backend-plugin-api';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// auth: guest sign-in for local use
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// catalog with the example entities
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permissions: everything is allowed, except acting on another team's jobs
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));

backend.add(import('@backstage/plugin-user-settings-backend'));

// events bus, notifications and signals
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// notifications by email too, when SMTP settings are given
// (notifications.processors.email: see the README)
backend.add(
  createBackendFeatureLoader({
    deps: { config: coreServices.rootConfig },
    *loader({ config }) {
      if (config.has('notifications.processors.email')) {
        yield import('@backstage/plugin-notifications-backend-module-email');
      }
    },
  }),
);

// the job monitor: /api/monitor/job-report and the 障害 page's API
backend.add(import('@tc-portal/plugin-monitor-backend'));

// search: the jobs, found by title (Japanese too) and key, indexed at start
// and every 5 minutes
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('./searchEngine'));
backend.add(import('@tc-portal/plugin-search-backend-module-monitor'));

// Tech Insights: each entity's monitored-job facts, judged by the example
// checks of app-config.yaml (the entity page's scorecard)
backend.add(import('@backstage-community/plugin-tech-insights-backend'));
backend.add(
  import('@backstage-community/plugin-tech-insights-backend-module-jsonfc'),
);
backend.add(import('@tc-portal/plugin-tech-insights-backend-module-monitor'));

// the actions of the plugins named in backend.actions.pluginSources, as MCP
// tools at /api/mcp-actions/v1
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
