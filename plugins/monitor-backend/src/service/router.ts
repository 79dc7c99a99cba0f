import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  JOB_REPORT_LIMITS,
  JOB_REPORT_SECRET_HEADER,
  MONITOR_API,
  MonitorApiOperation,
  MonitorApiPathParams,
  MonitorApiSuccessBody,
  monitorJobAcknowledgePermission,
  monitorJobDeletePermission,
  monitorJobMutePermission,
} from '@tc-portal/plugin-monitor-common';
import { BasicPermission } from '@backstage/plugin-permission-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
  PayloadTooLargeError,
} from './errors';
import { JobMonitor } from './JobMonitor';
import {
  hasJobSecrets,
  isAcceptedSecret,
  readJobSecret,
  readWebhookSecrets,
} from './webhookSecret';

export type RouterOptions = {
  config: Config;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  monitor: JobMonitor;
  /** The largest report body accepted, as body-parser reads it ('1mb'). */
  maxBodySize: string;
};

function parseJsonBody(limit: string): express.RequestHandler {
  const parseJson = express.json({ limit });
  return (req, res, next) =>
    parseJson(req, res, (error?: any) => {
      if (error?.type === 'entity.too.large') {
        next(
          new PayloadTooLargeError(
            `The body is larger than the limit of ${limit}; nothing was stored`,
          ),
        );
      } else if (error?.type === 'entity.parse.failed') {
        next(new InputError(`The body is not valid JSON: ${error.message}`));
      } else {
        next(error);
      }
    });
}

function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string,
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new InputError(
      `Invalid ${what}: ${result.error.issues
        .map(i => `${i.path.join('.') || '(body)'} ${i.message}`)
        .join('; ')}`,
    );
  }
  return result.data;
}

/** Who did it, as written into acknowledgements, mutes and deletions. */
function actor(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? `${principal.type}:${principal.subject}`;
}

/** The handling of one route of the contract: what it answers on success. */
type Handler<K extends MonitorApiOperation> = (
  req: express.Request<
    Record<MonitorApiPathParams<(typeof MONITOR_API)[K]['path']>, string>
  >,
  res: express.Response,
) => Promise<MonitorApiSuccessBody<K>>;

/** A handler, with the middleware that runs before it where it has any. */
type RouteHandling<K extends MonitorApiOperation> =
  | Handler<K>
  | { before: express.RequestHandler[]; handle: Handler<K> };

/** `/jobs/{jobKey}` as Express writes it: `/jobs/:jobKey`. */
const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { config, httpAuth, permissions, monitor, maxBodySize } = options;
  const router = Router();

  // A job key that cannot be stored cannot be found either.
  router.param('jobKey', (_req, _res, next, jobKey: string) => {
    if (jobKey.length > JOB_REPORT_LIMITS.jobKey || jobKey.includes('\u0000')) {
      next(new InputError('Invalid job key in the path'));
    } else {
      next();
    }
  });

  const readers = async (req: express.Request) =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  /** The caller, when the permission framework allows them the action. */
  const authorized = async (
    req: express.Request,
    permission: BasicPermission,
  ) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize([{ permission }], {
      credentials,
    });
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `Not allowed: ${permission.name} is needed to do this`,
      );
    }
    return actor(credentials);
  };

  const jsonBody = parseJsonBody('64kb');

  // One handling per route of the contract, and no route besides them: the
  // type demands every operation of MONITOR_API, and the loop below is the
  // only place routes are added.
  const routes: { [K in MonitorApiOperation]: RouteHandling<K> } = {
    // The webhook: authenticated by a shared secret alone (its auth policy
    // is 'unauthenticated'). A secret for all jobs is checked before the
    // body is read; a job's own secret can only be checked once its key is
    // read.
    reportJob: {
      before: [
        (req, res, next) => {
          const accepted = readWebhookSecrets(config);
          const perJob = hasJobSecrets(config);
          if (accepted.length === 0 && !perJob) {
            throw new ServiceUnavailableError(
              'The job-report webhook is disabled: monitor.webhookSecret is not configured on the portal',
            );
          }
          const presented = req.get(JOB_REPORT_SECRET_HEADER);
          if (isAcceptedSecret(presented, accepted)) {
            res.locals.secretScope = 'all';
          } else if (perJob && presented !== undefined) {
            res.locals.secretScope = 'job';
          } else {
            throw new AuthenticationError(
              `Missing or wrong ${JOB_REPORT_SECRET_HEADER} header`,
            );
          }
          next();
        },
        parseJsonBody(maxBodySize),
      ],
      handle: async (req, res) => {
        if (res.locals.secretScope === 'job') {
          const jobKey = (req.body as { job_key?: unknown } | undefined)
            ?.job_key;
          const jobSecret =
            typeof jobKey === 'string'
              ? readJobSecret(config, jobKey)
              : undefined;
          if (
            !jobSecret ||
            !isAcceptedSecret(req.get(JOB_REPORT_SECRET_HEADER), [jobSecret])
          ) {
            throw new AuthenticationError(
              `Missing or wrong ${JOB_REPORT_SECRET_HEADER} header`,
            );
          }
        }
        // The report's own parser names every bad field (the wire contract).
        const { id, jobKey } = await monitor.report(req.body);
        return { success: true, id, job_key: jobKey };
      },
    },

    listJobs: async req => {
      await readers(req);
      return monitor.listJobs(
        parse(MONITOR_API.listJobs.query, req.query, 'query'),
      );
    },

    getJob: async req => {
      await readers(req);
      const query = parse(MONITOR_API.getJob.query, req.query, 'query');
      return monitor.getJob(req.params.jobKey, {
        limit: query.runsLimit,
        offset: query.runsOffset,
      });
    },

    getSummary: async req => {
      await readers(req);
      return monitor.summary();
    },

    acknowledgeJob: {
      before: [jsonBody],
      handle: async req => {
        const by = await authorized(req, monitorJobAcknowledgePermission);
        const { comment } = parse(
          MONITOR_API.acknowledgeJob.body,
          req.body,
          'acknowledgement',
        );
        return {
          job: await monitor.acknowledge(req.params.jobKey, by, comment),
        };
      },
    },

    clearAcknowledgement: async req => {
      await authorized(req, monitorJobAcknowledgePermission);
      return { job: await monitor.clearAcknowledgement(req.params.jobKey) };
    },

    muteJob: {
      before: [jsonBody],
      handle: async req => {
        const by = await authorized(req, monitorJobMutePermission);
        const { until, reason } = parse(
          MONITOR_API.muteJob.body,
          req.body,
          'mute',
        );
        return {
          job: await monitor.mute(
            req.params.jobKey,
            by,
            new Date(until),
            reason,
          ),
        };
      },
    },

    unmuteJob: async req => {
      await authorized(req, monitorJobMutePermission);
      return { job: await monitor.unmute(req.params.jobKey) };
    },

    deleteJob: async req => {
      const by = await authorized(req, monitorJobDeletePermission);
      await monitor.deleteJob(req.params.jobKey, by);
    },
  };

  for (const operation of Object.keys(MONITOR_API) as MonitorApiOperation[]) {
    const { method, path, success } = MONITOR_API[operation];
    const handling = routes[operation] as RouteHandling<MonitorApiOperation>;
    const { before, handle } =
      typeof handling === 'function'
        ? { before: [], handle: handling }
        : handling;
    router[method](expressPath(path), ...before, async (req, res) => {
      const body = await handle(req as express.Request<any>, res);
      if (success.status === 204) {
        res.status(204).end();
      } else {
        res.status(success.status).json(body);
      }
    });
  }

  // A database that cannot be reached is the portal's passing trouble, not
  // a fault of the request: 503 with Retry-After, so that reporters try
  // again. Nothing was stored (each report is one transaction).
  router.use(
    (
      error: unknown,
      _req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      if (!isDatabaseUnavailable(error)) {
        next(error);
        return;
      }
      res.set('Retry-After', String(DATABASE_RETRY_AFTER_SECONDS));
      next(
        new ServiceUnavailableError(
          'The monitor cannot reach its database right now; nothing was stored. Try again later.',
          error,
        ),
      );
    },
  );

  return router;
}
