import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The 障害 page. */
export const rootRouteRef = createRouteRef({
  id: 'monitor',
});

/** One job's detail, under the page. */
export const jobRouteRef = createSubRouteRef({
  id: 'monitor/job',
  parent: rootRouteRef,
  path: '/jobs/:jobKey',
});
