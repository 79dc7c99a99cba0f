import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { TranslationBlueprint } from '@backstage/plugin-app-react';
import { HomePageWidgetBlueprint } from '@backstage/plugin-home-react/alpha';
import {
  SearchFilterResultTypeBlueprint,
  SearchResultListItemBlueprint,
} from '@backstage/plugin-search-react/alpha';
import { MONITOR_JOB_SEARCH_TYPE } from '@tc-portal/plugin-monitor-common';
import ReportProblemIcon from '@material-ui/icons/ReportProblem';
import { MonitorClient, monitorApiRef } from '../api';
import { jobRouteRef, rootRouteRef } from '../routes';
import {
  ENTITY_CONTENT_TITLE,
  HOME_CARD_TITLE,
  monitorTranslations,
} from '../translation';

/**
 * The job monitor's API client, for the app's API holder.
 *
 * @alpha
 */
export const monitorApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: monitorApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MonitorClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The 障害 page at /monitor. Its title and icon make the app's nav item;
 * the nav item with the live badge is `MonitorSidebarItem`, for an app's
 * own nav content.
 *
 * @alpha
 */
export const monitorPage = PageBlueprint.make({
  params: {
    path: '/monitor',
    routeRef: rootRouteRef,
    // A plain string: Backstage 1.55's PageBlueprint takes no translation
    // here. MonitorSidebarItem's label follows the language.
    title: '障害',
    icon: <ReportProblemIcon />,
    noHeader: true,
    loader: () =>
      import('../components/MonitorPage').then(m => <m.MonitorPage />),
  },
});

/**
 * The card of the entity's jobs, on the overview of entities that jobs are
 * linked to: by the job-keys annotation, or by reports that name the
 * entity (as `isMonitorAvailable` decides for the legacy entity page).
 *
 * @alpha
 */
export const monitorEntityCard = EntityCardBlueprint.make({
  name: 'jobs',
  params: {
    loader: () =>
      import('../components/Entity/LinkedEntityMonitorJobsCard').then(m => (
        <m.LinkedEntityMonitorJobsCard />
      )),
  },
});

/**
 * The tab of the entity's jobs, on components.
 *
 * @alpha
 */
export const monitorEntityContent = EntityContentBlueprint.make({
  name: 'jobs',
  params: {
    path: '/jobs',
    title: ENTITY_CONTENT_TITLE,
    filter: { kind: 'component' },
    loader: () =>
      import('../components/Entity').then(m => <m.EntityMonitorContent />),
  },
});

/**
 * The card of the jobs that need attention, for the home page.
 *
 * @alpha
 */
export const monitorHomePageWidget = HomePageWidgetBlueprint.make({
  name: 'failing-jobs',
  params: {
    name: 'MonitorFailingJobsCard',
    title: HOME_CARD_TITLE,
    description: 'The jobs that fail with nobody on them, live',
    components: () =>
      import('../components/FailingJobsCard').then(m => ({
        Content: m.FailingJobsCardContent,
      })),
  },
});

/**
 * Monitored jobs among the search page's results, with their health.
 *
 * @alpha
 */
export const monitorSearchResultListItem = SearchResultListItemBlueprint.make({
  params: {
    predicate: result => result.type === MONITOR_JOB_SEARCH_TYPE,
    component: () =>
      import('../components/Search').then(
        m => m.MonitorJobSearchResultListItem,
      ),
  },
});

/**
 * The search page's filter of results by type: ジョブ, the monitored jobs.
 *
 * @alpha
 */
export const monitorSearchResultType = SearchFilterResultTypeBlueprint.make({
  name: 'jobs',
  params: {
    value: MONITOR_JOB_SEARCH_TYPE,
    name: 'ジョブ',
    icon: <ReportProblemIcon />,
  },
});

/**
 * English beside the Japanese defaults.
 *
 * @alpha
 */
export const monitorEnglishTranslation = TranslationBlueprint.make({
  name: 'en',
  params: { resource: monitorTranslations },
});

/**
 * The job monitor for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'monitor',
  title: '障害',
  icon: <ReportProblemIcon />,
  info: { packageJson: () => import('../../package.json') },
  routes: {
    root: rootRouteRef,
    job: jobRouteRef,
  },
  extensions: [
    monitorApi,
    monitorPage,
    monitorEntityCard,
    monitorEntityContent,
    monitorHomePageWidget,
    monitorSearchResultListItem,
    monitorSearchResultType,
    monitorEnglishTranslation,
  ],
});
