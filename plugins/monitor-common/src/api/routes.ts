import { z } from 'zod';
import {
  jobReportSchema,
  JOB_REPORT_PATH,
  JOB_REPORT_SECRET_HEADER,
} from '../report';
import {
  entityStatsResponseSchema,
  jobDetailResponseSchema,
  jobListResponseSchema,
  jobReportAcceptedResponseSchema,
  jobResponseSchema,
  jobSummaryResponseSchema,
} from './responses';
import {
  acknowledgeRequestSchema,
  entityStatsQuerySchema,
  jobDetailQuerySchema,
  jobListQuerySchema,
  muteRequestSchema,
  maintenanceWindowRequestSchema,
} from './requests';

/**
 * One route of the monitor's HTTP API, under the plugin's base URL
 * (`/api/monitor`). Paths are written as OpenAPI writes them
 * (`/jobs/{jobKey}`).
 *
 * @public
 */
export type MonitorApiRoute = {
  method: 'get' | 'post' | 'delete';
  path: `/${string}`;
  summary: string;
  /**
   * `webhookSecret`: the shared secret header alone (the webhook);
   * `backstage`: a Backstage user or service token.
   */
  auth: 'webhookSecret' | 'backstage';
  /** The permission the route checks, by name. */
  permission?: string;
  query?: z.ZodType;
  body?: z.ZodType;
  /** The answer when the route succeeds; no body for 204. */
  success: { status: 200 | 204; description: string; body?: z.ZodType };
  /** The error statuses the route answers with, in Backstage's error body. */
  errors: readonly number[];
};

/**
 * The monitor's HTTP API: the one description of its routes, from which the
 * backend's router, the frontend's client and the OpenAPI document are made.
 *
 * @public
 */
export const MONITOR_API = {
  reportJob: {
    method: 'post',
    path: JOB_REPORT_PATH,
    summary: `Report a job's run (the webhook), with the ${JOB_REPORT_SECRET_HEADER} header.`,
    auth: 'webhookSecret',
    body: jobReportSchema,
    success: {
      status: 200,
      description: 'Stored (or a retry of a stored run).',
      body: jobReportAcceptedResponseSchema,
    },
    errors: [400, 401, 410, 413, 500, 503],
  },
  listJobs: {
    method: 'get',
    path: '/jobs',
    summary: 'List jobs.',
    auth: 'backstage',
    permission: 'monitor.job.read',
    query: jobListQuerySchema,
    success: {
      status: 200,
      description: 'A page of jobs and the count of all that match.',
      body: jobListResponseSchema,
    },
    errors: [400, 401, 403],
  },
  getJob: {
    method: 'get',
    path: '/jobs/{jobKey}',
    summary: 'A job, a page of its runs, and its recent changes of health.',
    auth: 'backstage',
    permission: 'monitor.job.read',
    query: jobDetailQuerySchema,
    success: {
      status: 200,
      description: 'The job.',
      body: jobDetailResponseSchema,
    },
    errors: [400, 401, 403, 404],
  },
  getSummary: {
    method: 'get',
    path: '/summary',
    summary: 'Counts of jobs; attentionCount is what the sidebar badge shows.',
    auth: 'backstage',
    permission: 'monitor.job.read',
    success: {
      status: 200,
      description: 'The counts.',
      body: jobSummaryResponseSchema,
    },
    errors: [401, 403],
  },
  getEntityStats: {
    method: 'get',
    path: '/entity-stats',
    summary:
      "Per entity, its jobs' health now, and their runs and acknowledgements since a time: what scorecards are made of.",
    auth: 'backstage',
    permission: 'monitor.job.read',
    query: entityStatsQuerySchema,
    success: {
      status: 200,
      description:
        'The entities that have jobs (or those asked for that have).',
      body: entityStatsResponseSchema,
    },
    errors: [400, 401, 403],
  },
  acknowledgeJob: {
    method: 'post',
    path: '/jobs/{jobKey}/acknowledgement',
    summary: 'Acknowledge a failing job until its next change of health.',
    auth: 'backstage',
    permission: 'monitor.job.acknowledge',
    body: acknowledgeRequestSchema,
    success: {
      status: 200,
      description: 'The acknowledged job.',
      body: jobResponseSchema,
    },
    errors: [400, 401, 403, 404, 409],
  },
  clearAcknowledgement: {
    method: 'delete',
    path: '/jobs/{jobKey}/acknowledgement',
    summary: 'Take an acknowledgement back.',
    auth: 'backstage',
    permission: 'monitor.job.acknowledge',
    success: { status: 200, description: 'The job.', body: jobResponseSchema },
    errors: [400, 401, 403, 404],
  },
  muteJob: {
    method: 'post',
    path: '/jobs/{jobKey}/mute',
    summary: 'Mute a job until a time.',
    auth: 'backstage',
    permission: 'monitor.job.mute',
    body: muteRequestSchema,
    success: {
      status: 200,
      description: 'The muted job.',
      body: jobResponseSchema,
    },
    errors: [400, 401, 403, 404],
  },
  unmuteJob: {
    method: 'delete',
    path: '/jobs/{jobKey}/mute',
    summary: 'Unmute a job.',
    auth: 'backstage',
    permission: 'monitor.job.mute',
    success: { status: 200, description: 'The job.', body: jobResponseSchema },
    errors: [400, 401, 403, 404],
  },
  addMaintenanceWindow: {
    method: 'post',
    path: '/jobs/{jobKey}/maintenance',
    summary:
      'Add a one-off maintenance window to a job: its failures and misses notify nobody and do not count on the badge while it lasts.',
    auth: 'backstage',
    permission: 'monitor.job.mute',
    body: maintenanceWindowRequestSchema,
    success: {
      status: 200,
      description: 'The job, with the window.',
      body: jobResponseSchema,
    },
    errors: [400, 401, 403, 404],
  },
  endMaintenanceWindow: {
    method: 'delete',
    path: '/jobs/{jobKey}/maintenance/{windowId}',
    summary:
      "End one of a job's one-off maintenance windows now (or drop it, when it has not started).",
    auth: 'backstage',
    permission: 'monitor.job.mute',
    success: { status: 200, description: 'The job.', body: jobResponseSchema },
    errors: [400, 401, 403, 404],
  },
  deleteJob: {
    method: 'delete',
    path: '/jobs/{jobKey}',
    summary: 'Delete a job and its history.',
    auth: 'backstage',
    permission: 'monitor.job.delete',
    success: { status: 204, description: 'Deleted.' },
    errors: [400, 401, 403, 404],
  },
} as const satisfies Record<string, MonitorApiRoute>;

/**
 * The name of a route of the monitor's HTTP API.
 *
 * @public
 */
export type MonitorApiOperation = keyof typeof MONITOR_API;

/**
 * The names of a path's parameters: `jobKey` for `/jobs/{jobKey}`.
 *
 * @public
 */
export type MonitorApiPathParams<P extends string> =
  P extends `${string}{${infer Name}}${infer Rest}`
    ? Name | MonitorApiPathParams<Rest>
    : never;

/**
 * What a route answers when it succeeds (`void` for 204).
 *
 * @public
 */
export type MonitorApiSuccessBody<K extends MonitorApiOperation> =
  (typeof MONITOR_API)[K]['success'] extends { body: z.ZodType }
    ? z.output<(typeof MONITOR_API)[K]['success']['body']>
    : void;

/**
 * A route's path with its parameters filled in, each encoded.
 *
 * @public
 */
export function monitorApiPath<P extends string>(
  path: P,
  params: Record<MonitorApiPathParams<P>, string>,
): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent((params as Record<string, string>)[name]),
  );
}
