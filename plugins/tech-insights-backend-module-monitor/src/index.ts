/**
 * A Tech Insights backend module with the facts of the TC Portal job
 * monitor: each entity's monitored jobs, their attention, success rate and
 * time to acknowledge.
 *
 * @packageDocumentation
 */

export { techInsightsModuleMonitorFacts as default } from './module';
export {
  createMonitorJobFactRetriever,
  MONITOR_FACT_RETRIEVER_ID,
  monitorJobFacts,
} from './monitorJobFactRetriever';
export type { MonitorJobFacts } from './monitorJobFactRetriever';
