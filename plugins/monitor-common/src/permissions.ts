import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Acknowledge a failing job (until its next change of health).
 *
 * @public
 */
export const monitorJobAcknowledgePermission = createPermission({
  name: 'monitor.job.acknowledge',
  attributes: { action: 'update' },
});

/**
 * Mute a job until a given time.
 *
 * @public
 */
export const monitorJobMutePermission = createPermission({
  name: 'monitor.job.mute',
  attributes: { action: 'update' },
});

/**
 * Delete a job and its history.
 *
 * @public
 */
export const monitorJobDeletePermission = createPermission({
  name: 'monitor.job.delete',
  attributes: { action: 'delete' },
});

/**
 * Every permission of the monitor.
 *
 * @public
 */
export const monitorPermissions = [
  monitorJobAcknowledgePermission,
  monitorJobMutePermission,
  monitorJobDeletePermission,
];
