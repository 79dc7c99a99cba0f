import {
  AuthService,
  DiscoveryService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { RELATION_OWNED_BY } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Permission } from '@backstage/plugin-permission-common';
import { DocumentCollatorFactory } from '@backstage/plugin-search-common';
import {
  Job,
  JOB_LIST_LIMITS,
  jobListResponseSchema,
  MONITOR_JOB_SEARCH_MESSAGE_LENGTH,
  MONITOR_JOB_SEARCH_TYPE,
  monitorJobReadPermission,
  MonitorJobSearchDocument,
} from '@tc-portal/plugin-monitor-common';
import { Readable } from 'node:stream';

/**
 * A monitored job's search document, with the resource it is read as: a
 * policy that answers `monitor.job.read` conditionally sees it per job.
 *
 * @public
 */
export type MonitorJobIndexDocument = MonitorJobSearchDocument & {
  authorization: { resourceRef: string };
};

/**
 * What the collator of monitored jobs reads through.
 *
 * @public
 */
export type MonitorJobCollatorFactoryOptions = {
  auth: AuthService;
  discovery: DiscoveryService;
  catalog: CatalogService;
  logger: LoggerService;
};

/** Cuts a text to a length, marking the cut. */
function cut(text: string, length: number): string {
  const characters = [...text];
  return characters.length <= length
    ? text
    : `${characters.slice(0, length - 1).join('')}…`;
}

/**
 * Collates the portal's monitored jobs into search documents, reading them
 * through the monitor's own read API with the search plugin's service
 * credentials, a page of 500 at a time; each job's owners are its entity's
 * owners in the catalog, else `monitor.defaultOwner`. Documents are shown to
 * those allowed `monitor.job.read`.
 *
 * @public
 */
export class MonitorJobCollatorFactory implements DocumentCollatorFactory {
  /** The type of its documents: `monitor-job`. */
  readonly type = MONITOR_JOB_SEARCH_TYPE;
  /** Who may find its documents: those allowed `monitor.job.read`. */
  readonly visibilityPermission: Permission = monitorJobReadPermission;

  /**
   * The collator, with the page path (`monitor.notifications.pagePath`)
   * and default owner (`monitor.defaultOwner`) of the monitor's config.
   */
  static fromConfig(
    config: Config,
    options: MonitorJobCollatorFactoryOptions,
  ): MonitorJobCollatorFactory {
    return new MonitorJobCollatorFactory({
      ...options,
      // Where the portal's 障害 page is: the monitor's notifications link
      // to it too.
      pagePath:
        config.getOptionalString('monitor.notifications.pagePath') ??
        '/monitor',
      defaultOwner: config.getOptionalString('monitor.defaultOwner'),
    });
  }

  private constructor(
    private readonly options: MonitorJobCollatorFactoryOptions & {
      pagePath: string;
      defaultOwner?: string;
    },
  ) {}

  /** A stream of every job's document. */
  async getCollator(): Promise<Readable> {
    return Readable.from(this.documents());
  }

  private async *documents(): AsyncGenerator<MonitorJobIndexDocument> {
    let offset = 0;
    let count = 0;
    for (;;) {
      const { items: jobs, totalCount } = await this.page(offset);
      const owners = await this.ownersOf(jobs);
      for (const job of jobs) {
        yield this.document(job, owners);
      }
      count += jobs.length;
      offset += JOB_LIST_LIMITS.maxLimit;
      if (jobs.length < JOB_LIST_LIMITS.maxLimit || offset >= totalCount) {
        break;
      }
    }
    this.options.logger.info(`Collated ${count} monitored jobs for search`);
  }

  /** One page of jobs, by title (the order the list's `name` sort gives). */
  private async page(offset: number) {
    const { auth, discovery } = this.options;
    const { token } = await auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'monitor',
    });
    const query = new URLSearchParams({
      sort: 'name',
      order: 'asc',
      limit: String(JOB_LIST_LIMITS.maxLimit),
      offset: String(offset),
    });
    const response = await fetch(
      `${await discovery.getBaseUrl('monitor')}/jobs?${query}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return jobListResponseSchema.parse(await response.json());
  }

  /** The owners of the entities of these jobs, by entity ref. */
  private async ownersOf(jobs: Job[]): Promise<Map<string, string>> {
    const entityRefs = [
      ...new Set(jobs.flatMap(job => (job.entityRef ? [job.entityRef] : []))),
    ];
    if (entityRefs.length === 0) {
      return new Map();
    }
    const { auth, catalog } = this.options;
    const { items } = await catalog.getEntitiesByRefs(
      { entityRefs, fields: ['relations'] },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const owners = new Map<string, string>();
    items.forEach((entity, index) => {
      const refs = (entity?.relations ?? [])
        .filter(relation => relation.type === RELATION_OWNED_BY)
        .map(relation => relation.targetRef);
      if (refs.length > 0) {
        owners.set(entityRefs[index], refs.join(', '));
      }
    });
    return owners;
  }

  private document(
    job: Job,
    owners: Map<string, string>,
  ): MonitorJobIndexDocument {
    const message = cut(job.message ?? '', MONITOR_JOB_SEARCH_MESSAGE_LENGTH);
    const owner =
      (job.entityRef ? owners.get(job.entityRef) : this.options.defaultOwner) ??
      '';
    return {
      title: job.title,
      text: [job.jobKey, job.healthReason, message]
        .filter(part => part)
        .join('\n'),
      location: `${this.options.pagePath}/jobs/${encodeURIComponent(
        job.jobKey,
      )}`,
      jobKey: job.jobKey,
      health: job.health,
      healthReason: job.healthReason ?? '',
      owner,
      entityRef: job.entityRef ?? '',
      message,
      authorization: { resourceRef: job.jobKey },
    };
  }
}
