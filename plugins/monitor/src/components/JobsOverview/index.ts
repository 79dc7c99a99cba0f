export { JobsOverview } from './JobsOverview';
