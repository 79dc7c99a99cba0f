export { monitorApiRef } from './MonitorApi';
export type { MonitorApi } from './MonitorApi';
export { MonitorClient } from './MonitorClient';
