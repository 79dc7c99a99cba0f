/**
 * The backend of the TC Portal job monitor.
 *
 * @packageDocumentation
 */

export { monitorPlugin as default } from './plugin';
export {
  createMonitorJobConditionalDecision,
  monitorJobConditions,
  monitorJobPermissionResourceRef,
  monitorJobRules,
} from './permissions/rules';
export type { MonitorJobQuery, MonitorJobResource } from './permissions/rules';
