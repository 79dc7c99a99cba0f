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
 * How long a caller allowed to read jobs stays allowed without asking the
 * policy again. Every open page re-reads the badge and its list at each
 * change (up to once a second each), and asking is a request to the
 * permission backend, as costly as the read itself: hundreds of open pages
 * ask once each per this time instead. A policy that stops allowing a caller
 * takes effect on their reads within it; on their acts, at once.
 */
const READ_ALLOWED_FOR_MS = 10_000;

/** The most callers whose read is remembered. */
const READERS_KEPT = 10_000;

/** A caller, as a policy tells callers apart. */
function readerOf(credentials: BackstageCredentials): string {
  return `${actorOf(credentials)}\u0000${
    (credentials.principal as { actor?: { subject: string } }).actor?.subject ??
    ''
  }`;
}

/**
 * What a caller may do with jobs, as the portal's permission policy decides:
 * the same for the HTTP API and the actions.
 */
export class JobAccess {
  /** Callers allowed to read, by principal: until when. */
  private readonly readers = new Map<string, number>();

  constructor(
    private readonly permissions: PermissionsService,
    private readonly now: () => number = Date.now,
  ) {}

  /** Refuses a caller who may not see jobs. */
  async read(credentials: BackstageCredentials): Promise<void> {
    const reader = readerOf(credentials);
    if ((this.readers.get(reader) ?? 0) > this.now()) {
      return;
    }
    const [decision] = await this.permissions.authorize(
      [{ permission: monitorJobReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      this.readers.delete(reader);
      throw new NotAllowedError(
        `Not allowed: ${monitorJobReadPermission.name} is needed to do this`,
      );
    }
    this.readers.delete(reader);
    if (this.readers.size >= READERS_KEPT) {
      this.readers.delete(this.readers.keys().next().value!);
    }
    this.readers.set(reader, this.now() + READ_ALLOWED_FOR_MS);
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
