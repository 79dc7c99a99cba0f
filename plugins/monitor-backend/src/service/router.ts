import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AuthenticationError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  JOB_REPORT_LIMITS,
  JOB_REPORT_SECRET_HEADER,
  MONITOR_API,
  MonitorApiOperation,
  MonitorApiRoute,
  monitorJobReadPermission,
  MonitorApiPathParams,
  MonitorApiSuccessBody,
} from '@tc-portal/plugin-monitor-common';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { JobAccess } from './access';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  isDatabaseUnavailable,
  JobGoneError,
  PayloadTooLargeError,
  WebhookDisabledError,
} from './errors';
import { JobCommands } from './JobCommands';
import { JobMonitor } from './JobMonitor';
import { ReadCache } from './readCache';
import { MonitorMetrics, ReportRefusal } from './metrics';
import {
  hasJobSecrets,
  isAcceptedSecret,
  readJobSecret,
  readWebhookSecrets,
} from './webhookSecret';

export type RouterOptions = {
  config: Config;
  httpAuth: HttpAuthService;
  auditor: AuditorService;
  monitor: JobMonitor;
  access: JobAccess;
  commands: JobCommands;
  metrics: MonitorMetrics;
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

/** Why the webhook refused a report, from the error it answered with. */
function refusalOf(error: unknown): ReportRefusal {
  if (error instanceof AuthenticationError) return 'secret';
  if (error instanceof InputError) return 'invalid';
  if (error instanceof PayloadTooLargeError) return 'too-large';
  if (error instanceof JobGoneError) return 'deleted';
  if (error instanceof WebhookDisabledError) return 'disabled';
  return 'unavailable';
}

type Route<K extends MonitorApiOperation> = (typeof MONITOR_API)[K];

/** What a route is handed, its query and body checked against the table. */
type RouteInput<K extends MonitorApiOperation> = {
  req: express.Request<Record<MonitorApiPathParams<Route<K>['path']>, string>>;
  res: express.Response;
  /** The caller, for the routes a Backstage token authenticates. */
  credentials: BackstageCredentials;
  query: Route<K> extends { query: z.ZodType }
    ? z.output<Route<K>['query']>
    : undefined;
  /** The webhook's body is left to the report's own parser. */
  body: K extends 'reportJob'
    ? unknown
    : Route<K> extends { body: z.ZodType }
    ? z.output<Route<K>['body']>
    : undefined;
};

/** The handling of one route of the contract: what it answers on success. */
type Handler<K extends MonitorApiOperation> = (
  input: RouteInput<K>,
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
  const {
    config,
    httpAuth,
    auditor,
    monitor,
    access,
    commands,
    metrics,
    maxBodySize,
  } = options;
  const router = Router();

  // A job key that cannot be stored cannot be found either.
  router.param('jobKey', (_req, _res, next, jobKey: string) => {
    if (jobKey.length > JOB_REPORT_LIMITS.jobKey || jobKey.includes('\u0000')) {
      next(new InputError('Invalid job key in the path'));
    } else {
      next();
    }
  });

  /** The caller of a command, as the commands check and audit them. */
  const caller = ({ credentials, req }: RouteInput<MonitorApiOperation>) => ({
    credentials,
    request: req,
  });

  const jsonBody = parseJsonBody('64kb');
  /** Answers shorter than this go uncompressed (as Backstage's own do). */
  const COMPRESS_FROM = 1024;
  const reads = new ReadCache();

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
          res.locals.receivedAt = process.hrtime.bigint();
          const accepted = readWebhookSecrets(config);
          const perJob = hasJobSecrets(config);
          if (accepted.length === 0 && !perJob) {
            throw new WebhookDisabledError(
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
      handle: async ({ req, res, body }) => {
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
        const { id, jobKey, retry } = await monitor.report(body);
        metrics.reportTaken(retry ? 'retry' : 'stored', res.locals.receivedAt);
        return { success: true, id, job_key: jobKey };
      },
    },

    listJobs: async ({ query }) => monitor.listJobs(query),

    getJob: async ({ req, query }) =>
      monitor.getJob(req.params.jobKey, {
        limit: query.runsLimit,
        offset: query.runsOffset,
      }),

    getSummary: async () => monitor.summary(),

    getEntityStats: async ({ query }) => monitor.entityStats(query),

    acknowledgeJob: {
      before: [jsonBody],
      handle: async input => ({
        job: await commands.acknowledge(
          caller(input),
          input.req.params.jobKey,
          input.body.comment,
        ),
      }),
    },

    clearAcknowledgement: async input => ({
      job: await commands.clearAcknowledgement(
        caller(input),
        input.req.params.jobKey,
      ),
    }),

    muteJob: {
      before: [jsonBody],
      handle: async input => ({
        job: await commands.mute(
          caller(input),
          input.req.params.jobKey,
          new Date(input.body.until),
          input.body.reason,
        ),
      }),
    },

    unmuteJob: async input => ({
      job: await commands.unmute(caller(input), input.req.params.jobKey),
    }),

    addMaintenanceWindow: {
      before: [jsonBody],
      handle: async input => ({
        job: await commands.addMaintenanceWindow(
          caller(input),
          input.req.params.jobKey,
          {
            start: input.body.start ? new Date(input.body.start) : undefined,
            end: new Date(input.body.end),
            reason: input.body.reason,
          },
        ),
      }),
    },

    endMaintenanceWindow: async input => ({
      job: await commands.endMaintenanceWindow(
        caller(input),
        input.req.params.jobKey,
        input.req.params.windowId,
      ),
    }),

    deleteJob: async input => {
      await commands.deleteJob(caller(input), input.req.params.jobKey);
    },
  };

  // The only place routes are added. Each is authenticated as the table
  // says, its read permission checked, and its query and body checked
  // against the table's schemas, before its handler runs.
  for (const operation of Object.keys(MONITOR_API) as MonitorApiOperation[]) {
    const route: MonitorApiRoute = MONITOR_API[operation];
    const handling = routes[operation] as RouteHandling<MonitorApiOperation>;
    const { before, handle } =
      typeof handling === 'function'
        ? { before: [], handle: handling }
        : handling;
    router[route.method](
      expressPath(route.path),
      ...before,
      async (req, res) => {
        const credentials =
          route.auth === 'backstage'
            ? await httpAuth.credentials(req, { allow: ['user', 'service'] })
            : (undefined as never);
        // A read is tagged with the data's version: an answer the caller
        // holds is still current while it stands, and is not read again.
        let etag: string | undefined;
        if (route.permission === monitorJobReadPermission.name) {
          await access.read(credentials);
          etag = `W/"${await monitor.etag()}"`;
          res.set('Cache-Control', 'private, no-cache');
          if (req.get('If-None-Match') === etag) {
            res.status(304).end();
            return;
          }
        }
        const read = () =>
          handle({
            req: req as express.Request<any>,
            res,
            credentials,
            query: route.query && parse(route.query, req.query, 'query'),
            body:
              route.body && operation !== 'reportJob'
                ? parse(route.body, req.body, 'body')
                : req.body,
          } as RouteInput<MonitorApiOperation>);
        if (etag) {
          // Many pages asking for the same read of the same data: one read,
          // serialized and compressed once.
          const shared = await reads.answer(req.originalUrl, etag, read);
          res.set('ETag', etag).type('json').vary('Accept-Encoding');
          if (
            shared.json.length >= COMPRESS_FROM &&
            req.acceptsEncodings('gzip') === 'gzip'
          ) {
            res.set('Content-Encoding', 'gzip');
            res.status(route.success.status).send(shared.gzip);
          } else {
            res.status(route.success.status).send(shared.json);
          }
          return;
        }
        const answer = await read();
        if (route.success.status === 204) {
          res.status(204).end();
        } else {
          res.status(route.success.status).json(answer);
        }
      },
    );
  }
  // Every refused report is counted, and those refused for what the caller
  // sent are written to the audit trail: where from, never the secret.
  router.use(
    expressPath(MONITOR_API.reportJob.path),
    async (
      error: unknown,
      req: express.Request,
      res: express.Response,
      next: express.NextFunction,
    ) => {
      const reason = refusalOf(error);
      metrics.reportRefused(
        reason,
        res.locals.receivedAt ?? process.hrtime.bigint(),
      );
      if (reason !== 'unavailable') {
        const jobKey = (req.body as { job_key?: unknown } | undefined)?.job_key;
        const event = await auditor.createEvent({
          eventId: 'job-report-refused',
          severityLevel: reason === 'secret' ? 'medium' : 'low',
          request: req,
          meta: {
            reason,
            sourceAddress: req.ip ?? null,
            ...(typeof jobKey === 'string' && { jobKey }),
          },
        });
        await event.fail({ error: error as Error });
      }
      next(error);
    },
  );

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
