import { expect, Page } from '@playwright/test';
// Helpers shared by the browser tests of both demo apps.

const BACKEND = 'http://localhost:7007';
const WEBHOOK = `${BACKEND}/api/monitor/job-report`;

export type Report = {
  job_key: string;
  title: string;
  status: 'success' | 'error' | 'start';
  message?: string | null;
  [field: string]: unknown;
};

/** Sends a report over HTTP, as a job would. */
export async function report(page: Page, body: Report) {
  const response = await page.request.post(WEBHOOK, {
    headers: {
      'X-TC-Portal-Webhook-Secret': process.env.TC_PORTAL_WEBHOOK_SECRET!,
    },
    data: {
      ...(body.status === 'start'
        ? {}
        : { finished_at: new Date().toISOString() }),
      ...body,
    },
  });
  expect(response.status()).toBe(200);
  return response.json();
}

/**
 * Signs in as the guest, and waits until the page listens to the monitor's
 * signals (a report sent before that would not be heard live).
 */
export async function signIn(page: Page) {
  // Any of the page's signals connections: on Backstage 1.55 the first one
  // is never answered, and the signals client connects again.
  const subscribed = new Promise<void>(done => {
    page.on('websocket', ws => {
      if (ws.url().endsWith('/api/signals')) {
        ws.on('framesent', frame => {
          if (String(frame.payload).includes('monitor:jobs')) {
            done();
          }
        });
      }
    });
  });
  await page.goto('/');
  // The dev server can show a blank page at first: wait for the sign-in.
  await page.getByRole('button', { name: 'Enter' }).click();
  await expect(monitorLink(page)).toBeVisible();
  await subscribed;
}

export function monitorLink(page: Page) {
  return page.getByRole('link', { name: '障害' });
}

export function badge(page: Page) {
  return monitorLink(page).getByRole('status');
}

/** What the badge counts once it has loaded (no badge: zero). */
export async function badgeCount(page: Page): Promise<number> {
  await page.waitForLoadState('networkidle');
  if ((await badge(page).count()) === 0) {
    return 0;
  }
  return Number(await badge(page).textContent());
}

export async function expectBadge(page: Page, count: number) {
  if (count === 0) {
    await expect(badge(page)).toHaveCount(0);
  } else {
    await expect(badge(page)).toHaveText(String(count));
    await expect(badge(page)).toHaveAttribute(
      'aria-label',
      `対応が必要なジョブ: ${count} 件`,
    );
  }
}

/**
 * The monitor's API as the signed-in guest calls it (the guest's token, as
 * the sign-in page gets it): for what a test does besides the page.
 */
export async function guestApi(page: Page) {
  const refresh = await page.request.get(`${BACKEND}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(refresh.status()).toBe(200);
  const token = (await refresh.json()).backstageIdentity.token;
  const headers = { Authorization: `Bearer ${token}` };
  return {
    post: async (path: string, data: object) => {
      const response = await page.request.post(
        `${BACKEND}/api/monitor${path}`,
        {
          headers,
          data,
        },
      );
      expect(response.status(), await response.text()).toBe(200);
    },
    get: async (path: string) => {
      const response = await page.request.get(`${BACKEND}/api/monitor${path}`, {
        headers,
      });
      expect(response.status()).toBe(200);
      return response.json();
    },
  };
}

export function unique(name: string) {
  return `e2e-${name}-${Date.now()}`;
}

export async function screenshot(page: Page, name: string) {
  await page.screenshot({
    path: `e2e-test-report/screenshots/${name}.png`,
    fullPage: true,
  });
}
