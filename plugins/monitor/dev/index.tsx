import { createDevApp } from '@backstage/dev-utils';
import { monitorPlugin, MonitorPage } from '../src/plugin';

createDevApp()
  .registerPlugin(monitorPlugin)
  .addPage({
    element: <MonitorPage />,
    title: '障害',
    path: '/monitor',
  })
  .render();
