import { JobOwnership } from '../catalog/JobOwnership';
import { JobReader } from '../database/JobReader';
import { MonitorJobResource } from './rules';

/**
 * Reads the jobs a permission decision is about, with their owners, for the
 * `monitor-job` resource type: one query for the jobs and one catalog
 * request for the owners, however many jobs a page asks about.
 */
export function monitorJobResourceLoader(options: {
  reader: Pick<JobReader, 'getJobs'>;
  ownership: Pick<JobOwnership, 'ownersOfJobs'>;
}) {
  return async (
    jobKeys: string[],
  ): Promise<Array<MonitorJobResource | undefined>> => {
    const jobs = await options.reader.getJobs(jobKeys);
    const owners = await options.ownership.ownersOfJobs([...jobs.values()]);
    return jobKeys.map(key => {
      const job = jobs.get(key);
      return (
        job && {
          jobKey: job.jobKey,
          entityRef: job.entityRef,
          owners: owners.get(key) ?? [],
        }
      );
    });
  };
}
