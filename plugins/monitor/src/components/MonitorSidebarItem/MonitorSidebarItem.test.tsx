import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor } from '@testing-library/react';
import { monitorApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import { InMemoryMonitorApi, aJob } from '../../__testUtils__/fakeMonitorApi';
import { MonitorSidebarItem } from './MonitorSidebarItem';

function failing(count: number) {
  return Array.from({ length: count }, (_, i) =>
    aJob({ jobKey: `job-${i}`, status: 'error' }),
  );
}

async function renderItem(api: InMemoryMonitorApi, pollIntervalMs?: number) {
  return renderInTestApp(
    <TestApiProvider apis={[[monitorApiRef, api]]}>
      <MonitorSidebarItem pollIntervalMs={pollIntervalMs} />
    </TestApiProvider>,
    { mountedRoutes: { '/monitor': rootRouteRef } },
  );
}

describe('MonitorSidebarItem', () => {
  it('links 障害 to the page', async () => {
    await renderItem(new InMemoryMonitorApi([]));
    expect(screen.getByRole('link', { name: '障害' })).toHaveAttribute(
      'href',
      '/monitor',
    );
  });

  it('shows a red badge with the number of failing jobs', async () => {
    await renderItem(
      new InMemoryMonitorApi([...failing(3), aJob({ jobKey: 'fine' })]),
    );
    const badge = await screen.findByRole('status');
    expect(badge).toHaveTextContent(/^3$/);
    expect(badge).toHaveAccessibleName('失敗中のジョブ: 3 件');
  });

  it('shows no badge while no job fails', async () => {
    const api = new InMemoryMonitorApi([aJob()]);
    const getSummary = jest.spyOn(api, 'getSummary');
    await renderItem(api);
    await waitFor(() => expect(getSummary).toHaveBeenCalled());
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('caps the badge at 99+', async () => {
    await renderItem(new InMemoryMonitorApi(failing(120)));
    expect(await screen.findByRole('status')).toHaveTextContent(/^99\+$/);
    expect(screen.getByRole('status')).toHaveAccessibleName(
      '失敗中のジョブ: 120 件',
    );
  });

  it('follows the count as jobs fail and recover', async () => {
    const api = new InMemoryMonitorApi([aJob()]);
    await renderItem(api, 20);

    api.jobs = failing(2);
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(/^2$/),
    );

    api.jobs = [aJob()];
    await waitFor(() =>
      expect(screen.queryByRole('status')).not.toBeInTheDocument(),
    );
  });
});
