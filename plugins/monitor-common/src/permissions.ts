import { createPermission } from '@backstage/plugin-permission-common';

/**
 * The resource type of the monitor's job permissions: a job, named by its
 * key. Policies can decide on it with the monitor backend's rules
 * (`isJobOwner`).
 *
 * @public
 */
export const MONITOR_JOB_RESOURCE_TYPE = 'monitor-job';

/**
 * See the jobs and their history: the page, the badge, the entity cards and
 * the read actions. Allowed unless a portal's policy says otherwise.
 *
 * @public
 */
export const monitorJobReadPermission = createPermission({
  name: 'monitor.job.read',
  attributes: { action: 'read' },
});

/**
 * Acknowledge a failing job (until its next change of health).
 *
 * @public
 */
export const monitorJobAcknowledgePermission = createPermission({
  name: 'monitor.job.acknowledge',
  attributes: { action: 'update' },
  resourceType: MONITOR_JOB_RESOURCE_TYPE,
});

/**
 * Mute a job until a given time.
 *
 * @public
 */
export const monitorJobMutePermission = createPermission({
  name: 'monitor.job.mute',
  attributes: { action: 'update' },
  resourceType: MONITOR_JOB_RESOURCE_TYPE,
});

/**
 * Delete a job and its history.
 *
 * @public
 */
export const monitorJobDeletePermission = createPermission({
  name: 'monitor.job.delete',
  attributes: { action: 'delete' },
  resourceType: MONITOR_JOB_RESOURCE_TYPE,
});

/**
 * The permissions that act on one job, decided per job.
 *
 * @public
 */
export const monitorJobActionPermissions = [
  monitorJobAcknowledgePermission,
  monitorJobMutePermission,
  monitorJobDeletePermission,
];

/**
 * Every permission of the monitor.
 *
 * @public
 */
export const monitorPermissions = [
  monitorJobReadPermission,
  ...monitorJobActionPermissions,
];
