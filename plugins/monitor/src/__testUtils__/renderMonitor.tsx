import { ReactElement } from 'react';
import { Route, Routes } from 'react-router-dom';
import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { signalApiRef, SignalApi } from '@backstage/plugin-signals-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { monitorApiRef } from '../api';
import { MonitorRoutes } from '../components/MonitorPage';
import { rootRouteRef } from '../routes';
import { InMemoryMonitorApi } from './fakeMonitorApi';

/** A signal API whose messages the test sends. */
export class TestSignalApi implements SignalApi {
  private readonly subscribers = new Map<string, Set<(m: any) => void>>();
  subscribe(channel: string, onMessage: (message: any) => void) {
    const set = this.subscribers.get(channel) ?? new Set();
    set.add(onMessage);
    this.subscribers.set(channel, set);
    return { unsubscribe: () => set.delete(onMessage) };
  }
  send(channel: string, message: object) {
    this.subscribers.get(channel)?.forEach(s => s(message));
  }
}

export type RenderOptions = {
  /** Whether the permission policy allows the monitor's actions. */
  allow?: boolean;
  signals?: TestSignalApi;
  entities?: Entity[];
  path?: string;
};

/**
 * Renders an element of the monitor in a test app: the page's routes under
 * /monitor, entity pages under /catalog, and the given API and permissions.
 */
export async function renderMonitor(
  api: InMemoryMonitorApi,
  element: ReactElement = (
    <Routes>
      <Route path="/monitor/*" element={<MonitorRoutes />} />
    </Routes>
  ),
  options: RenderOptions = {},
) {
  const apis: Array<[any, any]> = [
    [monitorApiRef, api],
    [
      permissionApiRef,
      mockApis.permission({
        authorize: options.allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      }),
    ],
    [catalogApiRef, catalogApiMock({ entities: options.entities ?? [] })],
  ];
  if (options.signals) {
    apis.push([signalApiRef, options.signals]);
  }
  return renderInTestApp(
    <TestApiProvider apis={apis as any}>{element}</TestApiProvider>,
    {
      mountedRoutes: {
        '/monitor': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
      routeEntries: [options.path ?? '/monitor'],
    },
  );
}
