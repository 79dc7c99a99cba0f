import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  parseEntityRef,
  RELATION_CHILD_OF,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import {
  getDeclaredMonitorJobs,
  getMonitorJobKeys,
  JobExpectation,
  MONITOR_JOB_KEYS_ANNOTATION,
  MONITOR_JOBS_ANNOTATION,
} from '@tc-portal/plugin-monitor-common';
import { ownersOfJob } from '../health/entityLink';

const PAGE = 500;

/**
 * The jobs entities name in their annotations: each job's entity (the
 * first by ref, should two name it), and what the entity declares of it.
 */
export type CatalogJobs = {
  links: Map<string, string>;
  declared: Map<string, JobExpectation>;
};

/** What an entity's annotation links: its ref, and the annotation. */
const LINK_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
];

/**
 * Who owns which jobs, as the catalog says. A job belongs to one entity
 * (../health/entityLink: by config, an entity's annotation, or its
 * reports), and its owners are that entity's owners; the jobs linked to no
 * entity are the default owner's (`monitor.defaultOwner`).
 */
export class JobOwnership {
  constructor(
    private readonly options: {
      catalog: CatalogService;
      auth: AuthService;
      defaultOwner?: string;
      /** The time zone of a declared cron schedule that names none. */
      defaultTimezone: string;
      logger: LoggerService;
    },
  ) {}

  /** Who owns the jobs linked to no entity, if anyone. */
  get defaultOwner(): string | undefined {
    return this.options.defaultOwner;
  }

  private async credentials() {
    return { credentials: await this.options.auth.getOwnServiceCredentials() };
  }

  /** The owners of each entity that exists, by its ref. */
  async ownersOf(entityRefs: string[]): Promise<Map<string, string[]>> {
    return this.relatedTo(entityRefs, RELATION_OWNED_BY);
  }

  /**
   * What each entity that exists depends on (its `dependsOn` relations),
   * by its ref: the jobs of those entities are upstream of its jobs.
   */
  async dependenciesOf(entityRefs: string[]): Promise<Map<string, string[]>> {
    return this.relatedTo(entityRefs, RELATION_DEPENDS_ON);
  }

  /** The targets of each entity's relations of a type, by its ref. */
  private async relatedTo(
    entityRefs: string[],
    type: string,
  ): Promise<Map<string, string[]>> {
    const related = new Map<string, string[]>();
    if (entityRefs.length === 0) {
      return related;
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
        related.set(
          entityRefs[index],
          (entity.relations ?? [])
            .filter(relation => relation.type === type)
            .map(relation => relation.targetRef),
        );
      }
    });
    return related;
  }

  /**
   * The parent group of whoever owns `entityRef`: of the entity itself when
   * it is a group (a default owner), else of the group that owns it.
   * Undefined when the catalog knows none.
   */
  async parentGroupOf(entityRef: string): Promise<string | undefined> {
    const group =
      parseEntityRef(entityRef).kind.toLowerCase() === 'group'
        ? entityRef
        : (await this.ownersOf([entityRef]))
            .get(entityRef)
            ?.find(
              owner => parseEntityRef(owner).kind.toLowerCase() === 'group',
            );
    if (!group) {
      return undefined;
    }
    const [entity] = (
      await this.options.catalog.getEntitiesByRefs(
        { entityRefs: [group], fields: ['relations'] },
        await this.credentials(),
      )
    ).items;
    return entity?.relations?.find(r => r.type === RELATION_CHILD_OF)
      ?.targetRef;
  }

  /**
   * The owners of each job, by its key: one catalog request for them all.
   */
  async ownersOfJobs(
    jobs: Array<{ jobKey: string; entityRef: string | null }>,
  ): Promise<Map<string, string[]>> {
    const entityOwners = await this.ownersOf([
      ...new Set(jobs.flatMap(job => job.entityRef ?? [])),
    ]);
    return new Map(
      jobs.map(job => [
        job.jobKey,
        ownersOfJob(job.entityRef, entityOwners, this.options.defaultOwner),
      ]),
    );
  }

  /**
   * What an owner's jobs are linked to: the refs of the entities it owns
   * and its own, and (for the default owner) no entity at all. Every page
   * of the catalog's answer is read: there is no cap.
   */
  async linksOf(owner: string): Promise<{
    entityRef: string[];
    unlinked: boolean;
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
      entityRef.push(...page.items.map(entity => stringifyEntityRef(entity)));
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return { entityRef, unlinked: ownerRef === this.options.defaultOwner };
  }

  /**
   * The jobs that catalog entities name in their annotations
   * (`tc-portal.io/monitor-job-keys`, `tc-portal.io/monitor-jobs`), each
   * with its entity, and what that entity declares of it. A job two
   * entities name is the first one's, by ref, so that every replica and
   * every reading agrees. A declaration it cannot read is logged and left
   * out.
   */
  async annotatedJobs(): Promise<CatalogJobs> {
    const links = new Map<string, string>();
    const declared = new Map<string, JobExpectation>();
    let cursor: string | undefined;
    do {
      const page = await this.options.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE, fields: LINK_FIELDS }
          : {
              filter: [
                MONITOR_JOB_KEYS_ANNOTATION,
                MONITOR_JOBS_ANNOTATION,
              ].map(annotation => ({
                [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
              })),
              fields: LINK_FIELDS,
              limit: PAGE,
            },
        await this.credentials(),
      );
      for (const entity of page.items) {
        const ref = stringifyEntityRef(entity);
        const declaration = getDeclaredMonitorJobs(
          entity,
          this.options.defaultTimezone,
        );
        for (const problem of declaration.problems) {
          this.options.logger.warn(
            `${ref}: annotation ${MONITOR_JOBS_ANNOTATION} ${problem}`,
          );
        }
        for (const jobKey of getMonitorJobKeys(entity, declaration)) {
          const earlier = links.get(jobKey);
          if (earlier === undefined || ref < earlier) {
            links.set(jobKey, ref);
            const expectation = declaration.jobs.get(jobKey);
            if (expectation) {
              declared.set(jobKey, expectation);
            } else {
              declared.delete(jobKey);
            }
          }
        }
      }
      cursor = page.pageInfo.nextCursor;
    } while (cursor);
    return { links, declared };
  }
}
