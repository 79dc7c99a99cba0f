// The decision core: what a report or a check means for a job. Pure: no
// database, no clock, no Backstage service.
export {
  decideCheck,
  decideReport,
  newJob,
  outlivesDeletion,
  rulesOf,
} from './decide';
export { evaluateHealth } from './evaluateHealth';
export type { HealthRules, HealthVerdict, JobFacts } from './evaluateHealth';
export { isRecordedChange, notificationFor } from './changes';
export { linkJobToEntity, ownersOfJob } from './entityLink';
export { resolveRules } from './rules';
export type { ConfiguredJob, RuleDefaults } from './rules';
export type * from './types';
