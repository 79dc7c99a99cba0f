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

const jobs = () =>
  new InMemoryMonitorApi([
    aJob({ jobKey: 'daily-price-sync', title: '価格同期処理' }),
    aJob({
      jobKey: 'by-ref',
      title: '報告で紐づくジョブ',
      latestOutcome: 'error',
      entityRef: 'component:default/price-service',
    }),
    aJob({ jobKey: 'unrelated', title: '無関係のジョブ' }),
  ]);

describe('EntityMonitorJobsCard', () => {
  it("lists the entity's jobs, by annotation and by report, linking to them", async () => {
    await renderMonitor(
      jobs(),
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
    expect(screen.queryByText('無関係のジョブ')).not.toBeInTheDocument();
    expect(screen.getByText('障害ページで見る')).toBeInTheDocument();
  });

  it('shows in the new frontend system where reports name the entity', async () => {
    await renderMonitor(
      jobs(),
      <EntityProvider entity={component()}>
        <LinkedEntityMonitorJobsCard />
      </EntityProvider>,
    );
    expect(await screen.findByText('報告で紐づくジョブ')).toBeInTheDocument();
  });

  it('shows nothing in the new frontend system where no job is linked', async () => {
    const api = new InMemoryMonitorApi([aJob()]);
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
      new InMemoryMonitorApi([aJob()]),
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
  it("shows the entity's jobs in the full table", async () => {
    await renderMonitor(
      jobs(),
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
    expect(screen.queryByText('unrelated')).not.toBeInTheDocument();
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

  it('is true when reports name the entity', async () => {
    await expect(isMonitorAvailable(component(), apis(jobs()))).resolves.toBe(
      true,
    );
  });

  it('is false when nothing links jobs to it', async () => {
    await expect(
      isMonitorAvailable(component(), apis(new InMemoryMonitorApi([aJob()]))),
    ).resolves.toBe(false);
    await expect(isMonitorAvailable(component())).resolves.toBe(false);
  });
});
