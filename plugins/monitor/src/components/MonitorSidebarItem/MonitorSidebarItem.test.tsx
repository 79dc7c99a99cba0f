import { act, screen, waitFor } from '@testing-library/react';
import { MONITOR_SIGNAL_CHANNEL } from '@tc-portal/plugin-monitor-common';
import { aJob, InMemoryMonitorApi } from '../../__testUtils__/fakeMonitorApi';
import {
  renderMonitor,
  TestSignalApi,
} from '../../__testUtils__/renderMonitor';
import { MonitorSidebarItem } from './MonitorSidebarItem';

function failing(count: number) {
  return Array.from({ length: count }, (_, i) =>
    aJob({ jobKey: `job-${i}`, latestOutcome: 'error' }),
  );
}

const HOUR = 60 * 60 * 1000;

describe('MonitorSidebarItem', () => {
  it('links 障害 to the list of the jobs it counts', async () => {
    await renderMonitor(new InMemoryMonitorApi([]), <MonitorSidebarItem />);
    expect(screen.getByRole('link', { name: '障害' })).toHaveAttribute(
      'href',
      '/monitor?attention=true',
    );
  });

  it('shows a red badge with the count the monitor gives, not one of its own', async () => {
    // The backend leaves out acknowledged and muted jobs (and counts a mute
    // again once it ends): monitor-backend's attention.test.ts, over HTTP.
    // The badge shows its count as it is.
    const api = new InMemoryMonitorApi(failing(5));
    const summary = await api.getSummary();
    jest.spyOn(api, 'getSummary').mockResolvedValue({
      ...summary,
      attentionCount: 3,
    });
    await renderMonitor(api, <MonitorSidebarItem />);
    const badge = await screen.findByRole('status');
    expect(badge).toHaveTextContent(/^3$/);
    expect(badge).toHaveAccessibleName('対応が必要なジョブ: 3 件');
  });

  it('shows no badge while no job fails', async () => {
    const api = new InMemoryMonitorApi([aJob()]);
    const getSummary = jest.spyOn(api, 'getSummary');
    await renderMonitor(api, <MonitorSidebarItem />);
    await waitFor(() => expect(getSummary).toHaveBeenCalled());
    // Once the count of 0 has been rendered:
    await act(async () => {
      await getSummary.mock.results[0].value;
    });
    expect(screen.queryByRole('status')).not.toBeInTheDocument();
  });

  it('caps the badge at 99+', async () => {
    await renderMonitor(
      new InMemoryMonitorApi(failing(120)),
      <MonitorSidebarItem />,
    );
    expect(await screen.findByRole('status')).toHaveTextContent(/^99\+$/);
    expect(screen.getByRole('status')).toHaveAccessibleName(
      '対応が必要なジョブ: 120 件',
    );
  });

  it("follows the monitor's signal live, without polling", async () => {
    const api = new InMemoryMonitorApi([aJob()]);
    const signals = new TestSignalApi();
    await renderMonitor(api, <MonitorSidebarItem pollIntervalMs={HOUR} />, {
      signals,
    });

    api.jobs = failing(2);
    signals.send(MONITOR_SIGNAL_CHANNEL, { changed: true });
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(/^2$/),
    );

    // A second change within a second is taken in a second later.
    api.jobs = [aJob()];
    signals.send(MONITOR_SIGNAL_CHANNEL, { changed: true });
    await waitFor(
      () => expect(screen.queryByRole('status')).not.toBeInTheDocument(),
      { timeout: 3000 },
    );
  });

  it('reloads nothing on a signal of the version it already shows', async () => {
    const api = new InMemoryMonitorApi(failing(1));
    const getSummary = jest.spyOn(api, 'getSummary');
    const signals = new TestSignalApi();
    await renderMonitor(api, <MonitorSidebarItem pollIntervalMs={HOUR} />, {
      signals,
    });
    expect(await screen.findByRole('status')).toHaveTextContent(/^1$/);
    const shown = (await getSummary.mock.results[0].value).version;
    expect(getSummary).toHaveBeenCalledTimes(1);

    act(() =>
      signals.send(MONITOR_SIGNAL_CHANNEL, { changed: true, version: shown }),
    );
    await act(() => new Promise(r => setTimeout(r, 50)));
    expect(getSummary).toHaveBeenCalledTimes(1);
    api.jobs = failing(2);
    act(() =>
      signals.send(MONITOR_SIGNAL_CHANNEL, {
        changed: true,
        version: `${shown}+1`,
      }),
    );
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(/^2$/),
    );
    expect(getSummary).toHaveBeenCalledTimes(2);
  });

  it('polls when the portal has no signals', async () => {
    const api = new InMemoryMonitorApi([aJob()]);
    await renderMonitor(api, <MonitorSidebarItem pollIntervalMs={20} />);

    api.jobs = failing(2);
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(/^2$/),
    );
  });
});
