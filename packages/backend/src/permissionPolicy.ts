/*
 * The demo portal's permission policy: everyone may do everything, except
 * acting on a monitored job (acknowledge, mute, delete), which only the
 * owners of the job's catalog entity may do.
 */
import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createMonitorJobConditionalDecision,
  monitorJobConditions,
} from '@tc-portal/plugin-monitor-backend';
import { MONITOR_JOB_RESOURCE_TYPE } from '@tc-portal/plugin-monitor-common';

class OwnersActOnTheirJobsPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (isResourcePermission(request.permission, MONITOR_JOB_RESOURCE_TYPE)) {
      return createMonitorJobConditionalDecision(
        request.permission,
        monitorJobConditions.isJobOwner({
          claims: user?.info.ownershipEntityRefs ?? [],
        }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new OwnersActOnTheirJobsPolicy());
      },
    });
  },
});
