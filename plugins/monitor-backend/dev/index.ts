import { createBackend } from '@backstage/backend-defaults';
import { mockServices } from '@backstage/backend-test-utils';

// A backend with the monitor alone, for working on the plugin:
// `yarn start` in this package. Auth is mocked so the read API answers
// without a token; the webhook uses monitor.webhookSecret from app-config.
const backend = createBackend();

backend.add(mockServices.auth.factory());
backend.add(mockServices.httpAuth.factory());
backend.add(import('../src'));

backend.start();
