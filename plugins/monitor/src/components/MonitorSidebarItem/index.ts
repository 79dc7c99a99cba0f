export { MonitorSidebarItem } from './MonitorSidebarItem';
export type { MonitorSidebarItemProps } from './MonitorSidebarItem';
