/*
 * The real side of the ingest benchmark: Backstage's backend with the
 * monitor plugin, as dev/index.ts starts it, except that its live-update
 * signals go nowhere, as the ceiling's do. (This backend has no events
 * backend to carry them; a portal's would store each one.)
 */
import { createBackend } from '@backstage/backend-defaults';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { signalsServiceRef } from '@backstage/plugin-signals-node';

const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(
  createServiceFactory({
    service: signalsServiceRef,
    deps: {},
    factory: () => ({ publish: async () => {} }),
  }),
);
backend.add(import('../../src'));

backend.start();
