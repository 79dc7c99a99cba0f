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

/**
 * What the badge counts: the summary's attention count, read from the API
 * (the page's badge may not have loaded yet, and no badge reads as zero).
 * A test then expects the page's badge to show its own change of it.
 */
export async function badgeCount(page: Page): Promise<number> {
  const summary = await (await guestApi(page)).get('/summary');
  return summary.attentionCount;
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
    /** The guest's credentials, for the portal's other APIs. */
    headers,
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

/**
 * Reports a failing job with a Japanese title of its own, waits until the
 * portal's search index has it (the browser tests' backend indexes every
 * 2 s), then searches for that title on the search page and checks the
 * result: the job's health as the 障害 page shows it, and a link to its
 * page.
 */
export async function findJobBySearch(page: Page, name: string) {
  const jobKey = unique(name);
  // One word for the search engine: letters and digits, no separator.
  const title = `検索確認${Date.now()}`;
  await report(page, {
    job_key: jobKey,
    title,
    status: 'error',
    message: '検索で見つかるはず',
  });
  const { headers } = await guestApi(page);
  await expect(async () => {
    const found = await page.request.get(`${BACKEND}/api/search/query`, {
      headers,
      params: { term: title, 'types[0]': 'monitor-job' },
    });
    expect(JSON.stringify(await found.json())).toContain(jobKey);
  }).toPass({ timeout: 60_000 });

  await page.goto(`/search?query=${encodeURIComponent(title)}`);
  const result = page
    .getByTestId('monitor-job-result')
    .filter({ hasText: jobKey });
  await expect(result).toBeVisible();
  await screenshot(page, `${name}-result`);
  await expect(result).toContainText('エラー');
  await expect(result).toContainText('検索で見つかるはず');
  await result.getByRole('link', { name: title }).click();
  await expect(page).toHaveURL(new RegExp(`/monitor/jobs/${jobKey}$`));
  await expect(page.getByRole('heading', { name: '実行履歴' })).toBeVisible();
}
