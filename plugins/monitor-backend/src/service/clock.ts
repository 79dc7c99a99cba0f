import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/** Where the monitor reads the time: the one input of its rules from outside. */
export interface Clock {
  now(): Date;
}

/**
 * The monitor's clock: the system clock unless a test installs another.
 */
export const monitorClockServiceRef = createServiceRef<Clock>({
  id: 'monitor.clock',
  scope: 'root',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => ({ now: () => new Date() }),
    }),
});
