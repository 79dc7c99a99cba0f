/**
 * The backend of the TC Portal job monitor.
 *
 * @packageDocumentation
 */

export { monitorPlugin as default } from './plugin';
