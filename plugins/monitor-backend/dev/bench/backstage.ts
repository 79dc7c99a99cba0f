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
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

// BENCH_CPU_PROFILE=<folder>: a CPU profile of the backend's thread, from its
// start to the SIGTERM that stops it, written there (open it in Chrome's
// DevTools). Written at the signal: the shutdown that follows may outlast
// the benchmark's patience.
const profileFolder = process.env.BENCH_CPU_PROFILE;
if (profileFolder) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.prependOnceListener('SIGTERM', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) {
        writeFileSync(
          join(profileFolder, `backstage-${process.pid}.cpuprofile`),
          JSON.stringify(result.profile),
        );
      }
    });
  });
}

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
