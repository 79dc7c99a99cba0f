export { JobTable } from './JobTable';
export { JobStatusChip } from './JobStatusChip';
