import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { screen, waitFor } from '@testing-library/react';
import { JobListQuery } from '@tc-portal/plugin-monitor-common';
import { aJob, InMemoryMonitorApi } from '../../__testUtils__/fakeMonitorApi';
import { renderMonitor } from '../../__testUtils__/renderMonitor';
import { EntityMonitorContent } from './EntityMonitorContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'price-service', namespace: 'default' },
  spec: { type: 'service', owner: 'pricing' },
};
const entityRef = 'component:default/price-service';

// The entity's job depends on an export that fails and on a job that never
// reported; a report depends on the entity's job.
const own = aJob({
  jobKey: 'daily-price-sync',
  title: '価格同期処理',
  entityRef,
  dependsOn: ['nightly-export', 'never-seen'],
});
const upstream = aJob({
  jobKey: 'nightly-export',
  title: '夜間エクスポート',
  latestOutcome: 'error',
  health: 'error',
  dependsOn: [],
});
const downstream = aJob({
  jobKey: 'weekly-price-report',
  title: '週次価格レポート',
  dependsOn: ['daily-price-sync'],
});

// jsdom lays nothing out: the graph measures each node with getBBox.
beforeAll(() => {
  (SVGElement.prototype as any).getBBox = () => ({
    x: 0,
    y: 0,
    width: 180,
    height: 44,
  });
});

/** Answers each read of the tab with the jobs that query names. */
function apiAnswering() {
  const api = new InMemoryMonitorApi([own, upstream, downstream]);
  const page = (items: ReturnType<typeof aJob>[]) => ({
    items,
    totalCount: items.length,
    version: 'v1',
  });
  const asked = jest
    .spyOn(api, 'listJobs')
    .mockImplementation(async (query: JobListQuery = {}) => {
      if (query.entityRef) return page([own]);
      if (query.dependsOn) return page([downstream]);
      if (query.jobKey) return page([upstream]);
      return page([]);
    });
  return { api, asked };
}

describe('JobDependencyGraph on the entity tab', () => {
  it("draws the entity's jobs between those they depend on and those that depend on them, each with its health", async () => {
    const { api, asked } = apiAnswering();
    await renderMonitor(
      api,
      <EntityProvider entity={entity}>
        <EntityMonitorContent />
      </EntityProvider>,
    );
    expect(await screen.findByText('ジョブの依存関係')).toBeInTheDocument();
    // It asks for the jobs the entity's jobs depend on, and for those that
    // depend on them.
    await waitFor(() =>
      expect(asked).toHaveBeenCalledWith(
        expect.objectContaining({
          jobKey: ['nightly-export', 'never-seen'],
        }),
      ),
    );
    expect(asked).toHaveBeenCalledWith(
      expect.objectContaining({ dependsOn: ['daily-price-sync'] }),
    );
    const graph = screen.getByTestId('job-dependency-graph');
    await waitFor(() =>
      expect(
        [...graph.querySelectorAll('[data-job-key]')]
          .map(
            node =>
              `${node.getAttribute('data-job-key')}:${node.getAttribute(
                'data-health',
              )}`,
          )
          .sort(),
      ).toEqual([
        'daily-price-sync:ok',
        'never-seen:none',
        'nightly-export:error',
        'weekly-price-report:ok',
      ]),
    );
    // Each job links to its page; one that never reported says so.
    const failing = graph.querySelector('[data-job-key="nightly-export"] a');
    expect(failing?.getAttribute('href')).toBe('/monitor/jobs/nightly-export');
    expect(
      graph.querySelector('[data-job-key="never-seen"]')?.textContent,
    ).toContain('未報告');
    // Three edges: two upstream, one downstream.
    expect(graph.querySelectorAll('path[marker-end]').length).toBe(3);
  });

  it('draws nothing when no job depends on another', async () => {
    const api = new InMemoryMonitorApi([
      aJob({ jobKey: 'alone', entityRef, dependsOn: [] }),
    ]);
    const asked = jest.spyOn(api, 'listJobs');
    await renderMonitor(
      api,
      <EntityProvider entity={entity}>
        <EntityMonitorContent />
      </EntityProvider>,
    );
    await waitFor(() =>
      expect(asked).toHaveBeenCalledWith(
        expect.objectContaining({ dependsOn: ['alone'] }),
      ),
    );
    expect(screen.queryByText('ジョブの依存関係')).not.toBeInTheDocument();
  });
});
