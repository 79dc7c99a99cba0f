import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { MONITOR_JOB_RESOURCE_TYPE } from '@tc-portal/plugin-monitor-common';
import { z } from 'zod';

/**
 * A job as the permission rules see it: its entity and the entity's owners.
 *
 * @public
 */
export type MonitorJobResource = {
  jobKey: string;
  /**
   * The catalog entity the job belongs to: by config, an entity's
   * annotation, or its reports.
   */
  entityRef: string | null;
  /**
   * The job's owners: the owners of that entity in the catalog (its
   * `ownedBy` relations), or, for a job linked to no entity, the default
   * owner (`monitor.defaultOwner`).
   */
  owners: string[];
};

/**
 * The query a rule stands for: jobs whose entity one of these owns.
 *
 * @public
 */
export type MonitorJobQuery = { ownedBy: string[] };

/**
 * The permission resource of the monitor's job actions (`monitor-job`),
 * named by the job key.
 *
 * @public
 */
export const monitorJobPermissionResourceRef = createPermissionResourceRef<
  MonitorJobResource,
  MonitorJobQuery
>().with({ pluginId: 'monitor', resourceType: MONITOR_JOB_RESOURCE_TYPE });

const isJobOwner = createPermissionRule({
  name: 'IS_JOB_OWNER',
  description:
    "Allow jobs owned by one of the given refs, such as the user's ownership claims: the owners of the job's catalog entity, or the default owner of jobs linked to no entity",
  resourceRef: monitorJobPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Entity refs (user:…, group:…) of which one must own the entity of the job',
      ),
  }),
  apply: (job, { claims }) => job.owners.some(owner => claims.includes(owner)),
  toQuery: ({ claims }) => ({ ownedBy: claims }),
});

/**
 * The permission rules of the monitor's jobs.
 *
 * @public
 */
export const monitorJobRules = { isJobOwner };

const { conditions, createConditionalDecision } = createConditionExports({
  resourceRef: monitorJobPermissionResourceRef,
  rules: monitorJobRules,
});

/**
 * Conditions for a permission policy's decisions on the monitor's job
 * actions: `isJobOwner` with the user's ownership claims lets a team act on
 * its own jobs alone.
 *
 * @public
 */
export const monitorJobConditions = conditions;

/**
 * Makes a conditional decision of a permission policy on one of the
 * monitor's job actions.
 *
 * @public
 */
export const createMonitorJobConditionalDecision = createConditionalDecision;
