import { registerMswTestHooks } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { MonitorClient } from './MonitorClient';

const server = setupServer();
registerMswTestHooks(server);

const baseUrl = 'http://backstage.test/api/monitor';

function client() {
  return new MonitorClient({
    discoveryApi: { getBaseUrl: async () => baseUrl },
    fetchApi: { fetch: (input, init) => fetch(input, init) },
  });
}

describe('MonitorClient', () => {
  it('lists jobs with the query it was given', async () => {
    let url: URL | undefined;
    server.use(
      http.get(`${baseUrl}/jobs`, ({ request }) => {
        url = new URL(request.url);
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
    );

    await expect(
      client().listJobs({
        latestOutcome: 'error',
        health: ['error', 'missed'],
        limit: 20,
        offset: 40,
      }),
    ).resolves.toEqual({ items: [], totalCount: 0 });
    expect(url?.searchParams.get('latestOutcome')).toBe('error');
    expect(url?.searchParams.get('health')).toBe('error,missed');
    expect(url?.searchParams.get('limit')).toBe('20');
    expect(url?.searchParams.get('offset')).toBe('40');
  });

  it('encodes the job key in the path', async () => {
    let path: string | undefined;
    server.use(
      http.get(`${baseUrl}/jobs/:jobKey`, ({ request }) => {
        path = new URL(request.url).pathname;
        return HttpResponse.json({ job: {}, runs: [] });
      }),
    );
    await client().getJob('価格 同期/夜間');
    expect(path).toBe(
      '/api/monitor/jobs/%E4%BE%A1%E6%A0%BC%20%E5%90%8C%E6%9C%9F%2F%E5%A4%9C%E9%96%93',
    );
  });

  it('sends each action to its route, with its body', async () => {
    const calls: string[] = [];
    const job = { jobKey: 'a/b' };
    server.use(
      http.all(`${baseUrl}/*`, async ({ request }) => {
        const body = request.body ? await request.text() : '';
        calls.push(
          `${request.method} ${new URL(request.url).pathname} ${body}`.trim(),
        );
        return request.method === 'DELETE' &&
          new URL(request.url).pathname.endsWith('/a%2Fb')
          ? new HttpResponse(null, { status: 204 })
          : HttpResponse.json({ job });
      }),
    );
    const api = client();
    await expect(api.acknowledge('a/b', 'known')).resolves.toEqual(job);
    await expect(api.clearAcknowledgement('a/b')).resolves.toEqual(job);
    await expect(
      api.mute('a/b', new Date('2030-01-01T00:00:00Z'), 'upgrade'),
    ).resolves.toEqual(job);
    await expect(api.unmute('a/b')).resolves.toEqual(job);
    await expect(api.deleteJob('a/b')).resolves.toBeUndefined();
    expect(calls).toEqual([
      'POST /api/monitor/jobs/a%2Fb/acknowledgement {"comment":"known"}',
      'DELETE /api/monitor/jobs/a%2Fb/acknowledgement',
      'POST /api/monitor/jobs/a%2Fb/mute {"until":"2030-01-01T00:00:00.000Z","reason":"upgrade"}',
      'DELETE /api/monitor/jobs/a%2Fb/mute',
      'DELETE /api/monitor/jobs/a%2Fb',
    ]);
  });

  it("throws the backend's error", async () => {
    server.use(
      http.get(`${baseUrl}/jobs/:jobKey`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: "No job with the key 'x'",
            },
            request: { method: 'GET', url: '/jobs/x' },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const error = await client()
      .getJob('x')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(404);
    expect(error.body.error.message).toBe("No job with the key 'x'");
  });
});
