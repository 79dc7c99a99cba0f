import { HttpAuthService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
  AuthenticationError,
} from '@backstage/errors';
import {
  JOB_REPORT_PATH,
  JOB_REPORT_SECRET_HEADER,
  JobDetailResponse,
  JobReportAcceptedResponse,
  jobListQuerySchema,
} from '@tc-portal/plugin-monitor-common';
import express from 'express';
import Router from 'express-promise-router';
import { JobStore } from '../database/JobStore';
import { runFromReport } from '../report/runFromReport';
import { PayloadTooLargeError } from './errors';
import { isAcceptedSecret, readWebhookSecrets } from './webhookSecret';

/** The largest report body accepted. */
export const REPORT_BODY_LIMIT = '1mb';

/** How many recent runs `GET /jobs/:jobKey` returns. */
export const RECENT_RUNS_LIMIT = 50;

export type RouterOptions = {
  config: Config;
  httpAuth: HttpAuthService;
  store: JobStore;
};

function requireWebhookSecret(config: Config): express.RequestHandler {
  return (req, _res, next) => {
    const accepted = readWebhookSecrets(config);
    if (accepted.length === 0) {
      throw new ServiceUnavailableError(
        'The job-report webhook is disabled: monitor.webhookSecret is not configured on the portal',
      );
    }
    if (!isAcceptedSecret(req.get(JOB_REPORT_SECRET_HEADER), accepted)) {
      throw new AuthenticationError(
        `Missing or wrong ${JOB_REPORT_SECRET_HEADER} header`,
      );
    }
    next();
  };
}

function parseJsonBody(limit: string): express.RequestHandler {
  const parse = express.json({ limit });
  return (req, res, next) =>
    parse(req, res, (error?: any) => {
      if (error?.type === 'entity.too.large') {
        next(
          new PayloadTooLargeError(
            `The report is larger than the limit of ${limit}; nothing was stored`,
          ),
        );
      } else if (error?.type === 'entity.parse.failed') {
        next(new InputError(`The body is not valid JSON: ${error.message}`));
      } else {
        next(error);
      }
    });
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { config, httpAuth, store } = options;
  const router = Router();

  // The webhook: authenticated by the shared secret alone (its auth policy
  // is 'unauthenticated'). The secret is checked before the body is read.
  router.post(
    JOB_REPORT_PATH,
    requireWebhookSecret(config),
    parseJsonBody(REPORT_BODY_LIMIT),
    async (req, res) => {
      const result = runFromReport(req.body, new Date());
      if ('problems' in result) {
        throw new InputError(
          `Invalid job report: ${result.problems
            .map(p => `${p.field} ${p.message}`)
            .join('; ')}`,
        );
      }
      const { id } = await store.recordRun(result.run);
      const response: JobReportAcceptedResponse = {
        success: true,
        id,
        job_key: result.run.jobKey,
      };
      res.json(response);
    },
  );

  router.get('/jobs', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const query = jobListQuerySchema.safeParse(req.query);
    if (!query.success) {
      throw new InputError(
        `Invalid query: ${query.error.issues
          .map(i => `${i.path.join('.')} ${i.message}`)
          .join('; ')}`,
      );
    }
    res.json(await store.listJobs(query.data));
  });

  router.get('/jobs/:jobKey', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const { jobKey } = req.params;
    const job = await store.getJob(jobKey);
    if (!job) {
      throw new NotFoundError(`No job with the key '${jobKey}'`);
    }
    const runs = await store.listRuns(jobKey, { limit: RECENT_RUNS_LIMIT });
    const response: JobDetailResponse = { job, runs };
    res.json(response);
  });

  router.get('/summary', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    res.json(await store.summary());
  });

  return router;
}
