export { MonitorPage, MonitorRoutes } from './MonitorPage';
