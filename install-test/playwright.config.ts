import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e-tests/chromium';

/**
 * The browser part of the install test (install-test/run.mjs): one portal
 * made by create-app, started with its own `yarn start` (the app on :3100,
 * the backend on :7100), in Debian's Chromium.
 */
const portal = process.env.TC_PORTAL_INSTALL_TEST_PORTAL ?? '';
export const WEBHOOK_SECRET = 'dev-webhook-secret';
export const APP_URL = 'http://localhost:3100';
export const BACKEND_URL = 'http://localhost:7100';

// The portal's own dev config, as a team sets its ports: the app-config.yaml
// of the README's steps stays as it is.
const ports = [
  `--config`,
  `${portal}/app-config.yaml`,
  `--config`,
  `${__dirname}/ports.yaml`,
].join(' ');

export default defineConfig({
  timeout: 240_000,
  expect: { timeout: 30_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  outputDir: `${__dirname}/../e2e-test-report/install-test`,
  webServer: [
    {
      command: `yarn start ${ports}`,
      cwd: portal,
      url: `${BACKEND_URL}/.backstage/health/v1/readiness`,
      timeout: 300_000,
      env: {
        TC_PORTAL_WEBHOOK_SECRET: WEBHOOK_SECRET,
        BROWSER: 'none',
        // Jobs indexed for search every 2 s, not every 5 minutes: the test
        // finds the job it has just reported.
        APP_CONFIG_search_collators_monitor_schedule: JSON.stringify({
          frequency: { seconds: 2 },
          timeout: { seconds: 30 },
          initialDelay: { seconds: 1 },
        }),
      },
      stdout: 'pipe',
    },
  ],
  use: {
    baseURL: APP_URL,
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: { width: 1400, height: 900 },
    screenshot: 'only-on-failure',
    launchOptions: chromiumLaunchOptions,
  },
  testDir: __dirname,
  projects: [
    { name: 'legacy', testMatch: 'portal.spec.ts' },
    { name: 'next', testMatch: 'portal.spec.ts' },
  ],
});
