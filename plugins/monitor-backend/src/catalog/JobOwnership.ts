import { AuthService } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { linkedJobsQuery } from '@tc-portal/plugin-monitor-common';

const PAGE = 500;

/** What links an entity to jobs: its ref, and its annotation. */
const LINK_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
];

/**
 * Who owns which jobs, as the catalog says: a job belongs to an entity (by
 * config, its reports, or the entity's annotation), and the entity has
 * owners.
 */
export class JobOwnership {
  constructor(
    private readonly options: { catalog: CatalogService; auth: AuthService },
  ) {}

  private async credentials() {
    return { credentials: await this.options.auth.getOwnServiceCredentials() };
  }

  /** The owners of each entity that exists, by its ref. */
  async ownersOf(entityRefs: string[]): Promise<Map<string, string[]>> {
    const owners = new Map<string, string[]>();
    if (entityRefs.length === 0) {
      return owners;
    }
    const { items } = await this.options.catalog.getEntitiesByRefs(
      {
        entityRefs,
        fields: ['kind', 'metadata.namespace', 'metadata.name', 'relations'],
      },
      await this.credentials(),
    );
    items.forEach((entity, index) => {
      if (entity) {
        owners.set(
          entityRefs[index],
          (entity.relations ?? [])
            .filter(relation => relation.type === RELATION_OWNED_BY)
            .map(relation => relation.targetRef),
        );
      }
    });
    return owners;
  }

  /**
   * What links jobs to an owner: the refs of the entities it owns and its
   * own, and the job keys their annotations name. Every page of the
   * catalog's answer is read: there is no cap.
   */
  async linksOf(owner: string): Promise<{
    entityRef: string[];
    jobKey: string[];
  }> {
    let ownerRef: string;
    try {
      ownerRef = stringifyEntityRef(
        parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: 'default',
        }),
      );
    } catch {
      throw new InputError(
        `Invalid query: owner must be an entity reference, e.g. group:default/pricing-team`,
      );
    }
    const entityRef = [ownerRef];
    const jobKey = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE, fields: LINK_FIELDS }
          : {
              filter: { 'relations.ownedBy': ownerRef },
              fields: LINK_FIELDS,
              limit: PAGE,
            },
        await this.credentials(),
      );
      const linked = linkedJobsQuery(page.items);
      entityRef.push(...linked.entityRef);
      linked.jobKey.forEach(key => jobKey.add(key));
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return { entityRef, jobKey: [...jobKey] };
  }
}
