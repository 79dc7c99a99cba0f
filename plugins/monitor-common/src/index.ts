/**
 * The contract of the TC Portal job monitor: the job report that scripts send
 * to the webhook, the read API the frontend uses, schedules, and permissions.
 *
 * @packageDocumentation
 */

export * from './report';
export * from './schedule';
export * from './healths';
export * from './attention';
export * from './api';
export * from './permissions';
export * from './entity';
export * from './snippets';
export * from './reasons';
export * from './words';
export * from './search';
