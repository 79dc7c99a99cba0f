import { expect, Page } from '@playwright/test';
// Helpers shared by the browser tests of both demo apps.

const WEBHOOK = 'http://localhost:7007/api/monitor/job-report';

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
      `失敗中のジョブ: ${count} 件`,
    );
  }
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
