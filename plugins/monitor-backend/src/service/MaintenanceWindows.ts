import { JobOwnership } from '../catalog/JobOwnership';
import { MaintenanceWindow } from '../health/maintenance';
import { ConfiguredMaintenance } from '../maintenanceConfig';

/**
 * The maintenance windows of config, with the owners they name worked out
 * into the entities they own through the catalog (and, for the default
 * owner, the jobs linked to none), read again with the catalog's links.
 * Until the catalog is first read, an owner names no job.
 */
export class MaintenanceWindows {
  private resolved: MaintenanceWindow[];

  constructor(
    private readonly configured: ConfiguredMaintenance[],
    private readonly ownership: Pick<JobOwnership, 'linksOf'>,
  ) {
    // An owner's window covers nothing it names until the catalog says
    // what the owner owns (and never every job).
    this.resolved = configured.map(window =>
      window.owners?.length
        ? {
            ...window,
            scope: {
              ...window.scope,
              entityRefs: window.scope.entityRefs ?? [],
            },
          }
        : window,
    );
  }

  /** The windows as they stand now. */
  readonly current = (): MaintenanceWindow[] => this.resolved;

  /** Works the owners out again; whether any window's jobs changed. */
  async resolve(): Promise<boolean> {
    const resolved = await Promise.all(
      this.configured.map(async window => {
        if (!window.owners?.length) {
          return window;
        }
        const links = await Promise.all(
          window.owners.map(owner => this.ownership.linksOf(owner)),
        );
        return {
          ...window,
          scope: {
            ...window.scope,
            entityRefs: [
              ...(window.scope.entityRefs ?? []),
              ...links.flatMap(link => link.entityRef),
            ],
            unlinked: links.some(link => link.unlinked),
          },
        };
      }),
    );
    const changed = JSON.stringify(resolved) !== JSON.stringify(this.resolved);
    this.resolved = resolved;
    return changed;
  }
}
