export { JobDetailPage } from './JobDetailPage';
