export { EntityMonitorJobsCard } from './EntityMonitorJobsCard';
export { EntityMonitorContent } from './EntityMonitorContent';
export { isMonitorAvailable } from './isMonitorAvailable';
