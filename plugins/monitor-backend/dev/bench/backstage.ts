/*
 * The real side of the ingest benchmark: Backstage's backend with the
 * monitor plugin, as dev/index.ts starts it, except that its live-update
 * signals go nowhere, as the ceiling's do. With BENCH_LIVE_UPDATES=1
 * (`yarn bench --live-updates`) they go where a portal's go: the signals
 * backend, and the events backend that carries them to other replicas.
 */
import { createBackend } from '@backstage/backend-defaults';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { signalsServiceRef } from '@backstage/plugin-signals-node';

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(mockServices.userInfo.factory());
if (process.env.BENCH_LIVE_UPDATES === '1') {
  backend.add(import('@backstage/plugin-events-backend'));
  backend.add(import('@backstage/plugin-signals-backend'));
} else {
  backend.add(
    createServiceFactory({
      service: signalsServiceRef,
      deps: {},
      factory: () => ({ publish: async () => {} }),
    }),
  );
}
backend.add(import('../../src'));

backend.start();
