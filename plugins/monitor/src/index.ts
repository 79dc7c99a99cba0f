/**
 * The frontend of the TC Portal job monitor: the 障害 sidebar item, its page,
 * and the API client.
 *
 * @packageDocumentation
 */

export { monitorPlugin, MonitorPage } from './plugin';
export { MonitorSidebarItem } from './components/MonitorSidebarItem';
export type { MonitorSidebarItemProps } from './components/MonitorSidebarItem';
export { monitorApiRef, MonitorClient } from './api';
export type { MonitorApi } from './api';
export { monitorTranslationRef } from './translation';
