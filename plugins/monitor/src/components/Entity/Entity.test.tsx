import { Entity } from '@backstage/catalog-model';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { act, screen, waitFor } from '@testing-library/react';
import { TestApiRegistry } from '@backstage/test-utils';
import { aJob, InMemoryMonitorApi } from '../../__testUtils__/fakeMonitorApi';
import { renderMonitor } from '../../__testUtils__/renderMonitor';
import { monitorApiRef } from '../../api';
import { EntityMonitorContent } from './EntityMonitorContent';
import { EntityMonitorJobsCard } from './EntityMonitorJobsCard';
import { isMonitorAvailable } from './isMonitorAvailable';
import { LinkedEntityMonitorJobsCard } from './LinkedEntityMonitorJobsCard';

function component(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'price-service', namespace: 'default', annotations },
    spec: { type: 'service', owner: 'pricing' },
  };
}

const entityRef = 'component:default/price-service';

// What the monitor answers for the entity: the backend links each job to
// its one entity, by the entity's annotation or by the job's reports
// (monitor-backend's ownership.test.ts, over HTTP).
const linkedJobs = () =>
  new InMemoryMonitorApi([
    aJob({
      jobKey: 'daily-price-sync',
      title: '価格同期処理',
      entityRef,
      entitySource: 'catalog',
    }),
    aJob({
      jobKey: 'by-ref',
      title: '報告で紐づくジョブ',
      latestOutcome: 'error',
      entityRef,
    }),
  ]);

/** Nothing is linked to the entity. */
const noJobs = () => new InMemoryMonitorApi([]);

describe('EntityMonitorJobsCard', () => {
  it("asks for the entity's jobs, the most urgent first, and lists them, linking to each", async () => {
    const api = linkedJobs();
    const asked = jest.spyOn(api, 'listJobs');
    await renderMonitor(
      api,
      <EntityProvider
        entity={component({
          'tc-portal.io/monitor-job-keys': 'daily-price-sync, missing-job',
        })}
      >
        <EntityMonitorJobsCard />
      </EntityProvider>,
    );
    expect(await screen.findByText('ジョブ監視')).toBeInTheDocument();
    expect(screen.getByText('価格同期処理').closest('a')).toHaveAttribute(
      'href',
      '/monitor/jobs/daily-price-sync',
    );
    expect(screen.getByText('報告で紐づくジョブ')).toBeInTheDocument();
    expect(screen.getByText('エラー')).toBeInTheDocument();
    expect(screen.getByText('障害ページで見る')).toBeInTheDocument();
    expect(asked).toHaveBeenCalledWith({
      entityRef: [entityRef],
      sort: 'health',
      limit: 10,
      offset: 0,
    });
  });

  it('shows in the new frontend system where reports name the entity', async () => {
    const api = linkedJobs();
    const asked = jest.spyOn(api, 'listJobs');
    await renderMonitor(
      api,
      <EntityProvider entity={component()}>
        <LinkedEntityMonitorJobsCard />
      </EntityProvider>,
    );
    expect(await screen.findByText('報告で紐づくジョブ')).toBeInTheDocument();
    expect(asked).toHaveBeenCalledWith({ entityRef: [entityRef], limit: 1 });
  });

  it('shows nothing in the new frontend system where no job is linked', async () => {
    const api = noJobs();
    const asked = jest.spyOn(api, 'listJobs');
    await renderMonitor(
      api,
      <EntityProvider entity={component()}>
        <LinkedEntityMonitorJobsCard />
      </EntityProvider>,
    );
    await waitFor(() => expect(asked).toHaveBeenCalled());
    // Once the empty answer has been rendered:
    await act(async () => {
      await asked.mock.results[0].value;
    });
    expect(screen.queryByText('ジョブ監視')).not.toBeInTheDocument();
    expect(
      screen.queryByText(/tc-portal.io\/monitor-job-keys/),
    ).not.toBeInTheDocument();
  });

  it('asks for the annotation when nothing is linked', async () => {
    await renderMonitor(
      noJobs(),
      <EntityProvider entity={component()}>
        <EntityMonitorJobsCard />
      </EntityProvider>,
    );
    expect(
      await screen.findAllByText(/tc-portal\.io\/monitor-job-keys/),
    ).not.toHaveLength(0);
  });
});

describe('EntityMonitorContent', () => {
  it("asks for the entity's jobs a page at a time, and shows them in the full table", async () => {
    const api = linkedJobs();
    const asked = jest.spyOn(api, 'listJobs');
    await renderMonitor(
      api,
      <EntityProvider
        entity={component({
          'tc-portal.io/monitor-job-keys': 'daily-price-sync',
        })}
      >
        <EntityMonitorContent />
      </EntityProvider>,
    );
    expect(await screen.findByText('価格同期処理')).toBeInTheDocument();
    expect(screen.getByText('by-ref')).toBeInTheDocument();
    expect(asked).toHaveBeenCalledWith({
      entityRef: [entityRef],
      sort: 'health',
      limit: 20,
      offset: 0,
    });
  });
});

describe('isMonitorAvailable', () => {
  const apis = (api: InMemoryMonitorApi) => ({
    apis: TestApiRegistry.from([monitorApiRef, api]),
  });

  it('is true for an annotated entity', async () => {
    await expect(
      isMonitorAvailable(component({ 'tc-portal.io/monitor-job-keys': 'a' })),
    ).resolves.toBe(true);
  });

  it('is true when the monitor links jobs to it', async () => {
    const api = linkedJobs();
    const asked = jest.spyOn(api, 'listJobs');
    await expect(isMonitorAvailable(component(), apis(api))).resolves.toBe(
      true,
    );
    expect(asked).toHaveBeenCalledWith({ entityRef: [entityRef], limit: 1 });
  });

  it('is false when nothing links jobs to it', async () => {
    await expect(isMonitorAvailable(component(), apis(noJobs()))).resolves.toBe(
      false,
    );
    await expect(isMonitorAvailable(component())).resolves.toBe(false);
  });
});
