export { MonitorJobSearchResultListItem } from './MonitorJobSearchResultListItem';
export type { MonitorJobSearchResultListItemProps } from './MonitorJobSearchResultListItem';
