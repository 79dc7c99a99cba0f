/**
 * A search backend module that indexes the monitored jobs of the TC Portal
 * job monitor.
 *
 * @packageDocumentation
 */

export { searchModuleMonitorCollator as default } from './module';
export { MonitorJobCollatorFactory } from './MonitorJobCollatorFactory';
export type {
  MonitorJobCollatorFactoryOptions,
  MonitorJobIndexDocument,
} from './MonitorJobCollatorFactory';
