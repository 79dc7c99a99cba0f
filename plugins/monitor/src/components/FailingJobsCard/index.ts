export { FailingJobsCardContent } from './FailingJobsCardContent';
