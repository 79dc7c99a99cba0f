import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e-tests/chromium';

/**
 * Browser tests of both demo portals in Debian's Chromium (/usr/bin/chromium;
 * Playwright never downloads a browser here), against one real backend on
 * the embedded in-memory SQLite, with reports sent over HTTP. Servers are
 * started fresh: the legacy app on :3000, packages/app-next on :3001, the
 * backend on :7007.
 *
 * The apps are production builds, served as a portal's web server serves
 * them (e2e-tests/serveApp.mjs), not the development servers: a page of the
 * development bundle costs Chromium about three times the CPU (measured
 * 2026-12-05: 5.5 s against 1.6 s for the monitor page), and on a machine
 * of two cores that time is taken from every other test of the run. They
 * are built before the backend starts (Playwright starts its web servers one
 * after the other), whose app-backend reads packages/app/dist when it starts.
 */
process.env.TC_PORTAL_WEBHOOK_SECRET ??= 'e2e-webhook-secret';

const reuse = process.env.E2E_REUSE_SERVERS === '1';

export default defineConfig({
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [
    ['list'],
    ['json', { outputFile: 'e2e-test-report/results.json' }],
  ],
  outputDir: 'e2e-test-report/artifacts',

  webServer: [
    {
      command:
        'yarn workspace app build && node e2e-tests/serveApp.mjs packages/app/dist 3000',
      url: 'http://localhost:3000',
      reuseExistingServer: reuse,
      timeout: 300_000,
    },
    {
      command:
        'yarn workspace app-next build --config ../../app-config.yaml --config ../../app-config.app-next.yaml && node e2e-tests/serveApp.mjs packages/app-next/dist 3001',
      url: 'http://localhost:3001',
      reuseExistingServer: reuse,
      timeout: 300_000,
    },
    {
      command: 'yarn start backend',
      // Jobs indexed for search every 2 s, not the demo's 5 minutes: a test
      // finds the job it has just reported.
      env: {
        APP_CONFIG_search_collators_monitor_schedule: JSON.stringify({
          frequency: { seconds: 2 },
          timeout: { seconds: 30 },
          initialDelay: { seconds: 1 },
        }),
      },
      url: 'http://localhost:7007/.backstage/health/v1/readiness',
      reuseExistingServer: reuse,
      timeout: 180_000,
    },
  ],

  use: {
    // A viewer in Japan.
    locale: 'ja-JP',
    timezoneId: 'Asia/Tokyo',
    viewport: { width: 1400, height: 900 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions,
  },

  testDir: 'e2e-tests',
  projects: [
    {
      name: 'app',
      testMatch: 'app.test.ts',
      use: { baseURL: 'http://localhost:3000' },
    },
    {
      name: 'app-next',
      testMatch: 'app-next.test.ts',
      use: { baseURL: 'http://localhost:3001' },
    },
  ],
});
