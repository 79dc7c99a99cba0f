/**
 * The contract of the TC Portal job monitor: the job report that scripts send
 * to the webhook, and the read API the frontend uses.
 *
 * @packageDocumentation
 */

export * from './report';
export * from './api';
