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
  acknowledgeRequestSchema,
  JOB_REPORT_LIMITS,
  JOB_REPORT_PATH,
  JOB_REPORT_SECRET_HEADER,
  jobDetailQuerySchema,
  JobReportAcceptedResponse,
  jobListQuerySchema,
  monitorJobAcknowledgePermission,
  monitorJobDeletePermission,
  monitorJobMutePermission,
  muteRequestSchema,
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

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { config, httpAuth, permissions, monitor, maxBodySize } = options;
  const router = Router();

  // The webhook: authenticated by a shared secret alone (its auth policy is
  // 'unauthenticated'). A secret for all jobs is checked before the body is
  // read; a job's own secret can only be checked once its key is read.
  router.post(
    JOB_REPORT_PATH,
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
    async (req, res) => {
      if (res.locals.secretScope === 'job') {
        const jobKey = (req.body as { job_key?: unknown } | undefined)?.job_key;
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
      const { id, jobKey } = await monitor.report(req.body);
      const response: JobReportAcceptedResponse = {
        success: true,
        id,
        job_key: jobKey,
      };
      res.json(response);
    },
  );

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

  router.get('/jobs', async (req, res) => {
    await readers(req);
    res.json(
      await monitor.listJobs(parse(jobListQuerySchema, req.query, 'query')),
    );
  });

  router.get('/jobs/:jobKey', async (req, res) => {
    await readers(req);
    const query = parse(jobDetailQuerySchema, req.query, 'query');
    res.json(
      await monitor.getJob(req.params.jobKey, {
        limit: query.runsLimit,
        offset: query.runsOffset,
      }),
    );
  });

  router.get('/summary', async (req, res) => {
    await readers(req);
    res.json(await monitor.summary());
  });

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

  router.post('/jobs/:jobKey/acknowledgement', jsonBody, async (req, res) => {
    const by = await authorized(req, monitorJobAcknowledgePermission);
    const { comment } = parse(
      acknowledgeRequestSchema,
      req.body,
      'acknowledgement',
    );
    res.json({
      job: await monitor.acknowledge(req.params.jobKey, by, comment),
    });
  });

  router.delete('/jobs/:jobKey/acknowledgement', async (req, res) => {
    await authorized(req, monitorJobAcknowledgePermission);
    res.json({ job: await monitor.clearAcknowledgement(req.params.jobKey) });
  });

  router.post('/jobs/:jobKey/mute', jsonBody, async (req, res) => {
    const by = await authorized(req, monitorJobMutePermission);
    const { until, reason } = parse(muteRequestSchema, req.body, 'mute');
    res.json({
      job: await monitor.mute(req.params.jobKey, by, new Date(until), reason),
    });
  });

  router.delete('/jobs/:jobKey/mute', async (req, res) => {
    await authorized(req, monitorJobMutePermission);
    res.json({ job: await monitor.unmute(req.params.jobKey) });
  });

  router.delete('/jobs/:jobKey', async (req, res) => {
    const by = await authorized(req, monitorJobDeletePermission);
    await monitor.deleteJob(req.params.jobKey, by);
    res.status(204).end();
  });

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
