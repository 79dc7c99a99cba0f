import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createCardExtension } from '@backstage/plugin-home-react';
import { createSearchResultListItemExtension } from '@backstage/plugin-search-react';
import { MONITOR_JOB_SEARCH_TYPE } from '@tc-portal/plugin-monitor-common';
import type { MonitorJobSearchResultListItemProps } from './components/Search';
import { MonitorClient, monitorApiRef } from './api';
import { jobRouteRef, rootRouteRef } from './routes';
import { HOME_CARD_TITLE } from './translation';

/**
 * The job monitor's frontend plugin (legacy frontend system).
 *
 * @public
 */
export const monitorPlugin = createPlugin({
  id: 'monitor',
  apis: [
    createApiFactory({
      api: monitorApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MonitorClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
    job: jobRouteRef,
  },
});

/**
 * The 障害 page, with the Python監視 section and each job's detail.
 *
 * @public
 */
export const MonitorPage: () => JSX.Element = monitorPlugin.provide(
  createRoutableExtension({
    name: 'MonitorPage',
    component: () =>
      import('./components/MonitorPage').then(m => m.MonitorPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * A card of the jobs linked to the entity, for an entity page.
 *
 * @public
 */
export const EntityMonitorJobsCard: () => JSX.Element = monitorPlugin.provide(
  createComponentExtension({
    name: 'EntityMonitorJobsCard',
    component: {
      lazy: () =>
        import('./components/Entity').then(m => m.EntityMonitorJobsCard),
    },
  }),
);

/**
 * The table of the jobs linked to the entity, for an entity page tab.
 *
 * @public
 */
export const EntityMonitorContent: () => JSX.Element = monitorPlugin.provide(
  createComponentExtension({
    name: 'EntityMonitorContent',
    component: {
      lazy: () =>
        import('./components/Entity').then(m => m.EntityMonitorContent),
    },
  }),
);

/**
 * A card of the jobs that fail with nobody on them, for the home page: the
 * badge's count, the first few jobs, and a link to the page.
 *
 * @public
 */
export const MonitorFailingJobsCard = monitorPlugin.provide(
  createCardExtension<{}>({
    name: 'MonitorFailingJobsCard',
    title: HOME_CARD_TITLE,
    components: () =>
      import('./components/FailingJobsCard').then(m => ({
        Content: m.FailingJobsCardContent,
      })),
  }),
);

/**
 * A monitored job among the portal's search results (documents of type
 * `monitor-job`, from `@tc-portal/plugin-search-backend-module-monitor`),
 * for the children of the search page's `SearchResult`.
 *
 * @public
 */
export const MonitorJobSearchResultListItem: (
  props: MonitorJobSearchResultListItemProps,
) => JSX.Element | null = monitorPlugin.provide(
  createSearchResultListItemExtension({
    name: 'MonitorJobSearchResultListItem',
    component: () =>
      import('./components/Search').then(m => m.MonitorJobSearchResultListItem),
    predicate: result => result.type === MONITOR_JOB_SEARCH_TYPE,
  }),
);
