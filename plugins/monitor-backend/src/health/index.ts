export { evaluateHealth, isFailingHealth } from './evaluateHealth';
export type { HealthRules, HealthVerdict, JobFacts } from './evaluateHealth';
export { isRecordedChange, notificationFor } from './changes';
export { resolveRules } from './rules';
export type { ConfiguredJob, RuleDefaults } from './rules';
