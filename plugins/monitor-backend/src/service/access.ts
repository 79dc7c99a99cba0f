import {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  MONITOR_JOB_RESOURCE_TYPE,
  monitorJobReadPermission,
} from '@tc-portal/plugin-monitor-common';

/** Who did it, as written into acknowledgements, mutes and deletions. */
export function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? `${principal.type}:${principal.subject}`;
}

/**
 * What a caller may do with jobs, as the portal's permission policy decides:
 * the same for the HTTP API and the actions.
 */
export class JobAccess {
  constructor(private readonly permissions: PermissionsService) {}

  /** Refuses a caller who may not see jobs. */
  async read(credentials: BackstageCredentials): Promise<void> {
    const [decision] = await this.permissions.authorize(
      [{ permission: monitorJobReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${monitorJobReadPermission.name} is needed to do this`,
      );
    }
  }

  /**
   * Refuses a caller who may not act on this job; else says who they are.
   * A policy can decide per job, for instance by its owner (`isJobOwner`).
   */
  async act(
    credentials: BackstageCredentials,
    permission: ResourcePermission<typeof MONITOR_JOB_RESOURCE_TYPE>,
    jobKey: string,
  ): Promise<string> {
    const [decision] = await this.permissions.authorize(
      [{ permission, resourceRef: jobKey }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} is needed to do this to the job '${jobKey}'`,
      );
    }
    return actorOf(credentials);
  }
}
