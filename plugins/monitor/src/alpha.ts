/**
 * The job monitor for Backstage's new frontend system.
 *
 * @packageDocumentation
 */

export {
  default,
  monitorApi,
  monitorPage,
  monitorEntityCard,
  monitorEntityContent,
  monitorSearchResultListItem,
  monitorSearchResultType,
  monitorEnglishTranslation,
} from './alpha/plugin';
export { MonitorSidebarItem } from './components/MonitorSidebarItem';
export type { MonitorSidebarItemProps } from './components/MonitorSidebarItem';
