import { jobListQuerySchema } from '@tc-portal/plugin-monitor-common';
import { z } from 'zod';

/**
 * What to list: the API's query, where `unlinked` also lists the jobs linked
 * to no entity (the default owner's).
 */
export type JobListOptions = z.output<typeof jobListQuerySchema> & {
  unlinked?: boolean;
};
