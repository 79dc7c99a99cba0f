import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { MonitorClient, monitorApiRef } from './api';
import { rootRouteRef } from './routes';

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
  },
});

/**
 * The 障害 page, with the Python監視 section.
 *
 * @public
 */
export const MonitorPage = monitorPlugin.provide(
  createRoutableExtension({
    name: 'MonitorPage',
    component: () =>
      import('./components/MonitorPage').then(m => m.MonitorPage),
    mountPoint: rootRouteRef,
  }),
);
