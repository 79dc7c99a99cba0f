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
      client().listJobs({ status: 'error', limit: 20, offset: 40 }),
    ).resolves.toEqual({ items: [], totalCount: 0 });
    expect(url?.searchParams.get('status')).toBe('error');
    expect(url?.searchParams.get('limit')).toBe('20');
    expect(url?.searchParams.get('offset')).toBe('40');
  });

  it('encodes the job key in the path', async () => {
    server.use(
      http.get(`${baseUrl}/jobs/:jobKey`, ({ params }) =>
        HttpResponse.json({ job: { jobKey: params.jobKey }, runs: [] }),
      ),
    );
    const detail = await client().getJob('価格 同期/夜間');
    expect(detail.job.jobKey).toBe('価格 同期/夜間');
  });

  it('reads the summary', async () => {
    server.use(
      http.get(`${baseUrl}/summary`, () =>
        HttpResponse.json({ errorCount: 2, totalCount: 5 }),
      ),
    );
    await expect(client().getSummary()).resolves.toEqual({
      errorCount: 2,
      totalCount: 5,
    });
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
