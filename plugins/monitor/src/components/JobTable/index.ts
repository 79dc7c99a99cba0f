export { JobTable } from './JobTable';
export type { JobTableProps } from './JobTable';
