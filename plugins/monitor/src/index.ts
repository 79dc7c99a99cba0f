/**
 * The frontend of the TC Portal job monitor: the 障害 sidebar item with its
 * badge, the page, the entity card and content, and the API client.
 *
 * @packageDocumentation
 */

export {
  monitorPlugin,
  MonitorPage,
  EntityMonitorJobsCard,
  EntityMonitorContent,
  MonitorFailingJobsCard,
  MonitorJobSearchResultListItem,
} from './plugin';
export type { MonitorJobSearchResultListItemProps } from './components/Search';
export { MonitorSidebarItem } from './components/MonitorSidebarItem';
export type { MonitorSidebarItemProps } from './components/MonitorSidebarItem';
export { isMonitorAvailable } from './components/Entity/isMonitorAvailable';
export { monitorApiRef, MonitorClient } from './api';
export type { MonitorApi } from './api';
export { monitorTranslationRef, monitorTranslations } from './translation';
