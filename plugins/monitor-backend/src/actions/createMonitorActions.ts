import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  FAILING_HEALTHS,
  isFailingHealth,
  Job,
  JOB_HEALTHS,
  JobRun,
  monitorJobReadPermission,
} from '@tc-portal/plugin-monitor-common';
import { JobAccess } from '../service/access';
import { JobCommands } from '../service/JobCommands';
import { JobMonitor } from '../service/JobMonitor';

/** A job as an assistant reads it: what it is, how it stands, and why. */
function jobSummary(job: Job) {
  return {
    jobKey: job.jobKey,
    title: job.title,
    health: job.health,
    failing: isFailingHealth(job.health),
    why: job.healthReason,
    healthSince: job.healthSince,
    entityRef: job.entityRef,
    latestOutcome: job.latestOutcome,
    finishedAt: job.finishedAt,
    message: job.message,
    acknowledgement: job.acknowledgement,
    mute: job.mute,
  };
}

function runSummary(run: JobRun) {
  return {
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: run.durationMs,
    exitCode: run.exitCode,
    host: run.host,
    message: run.message,
  };
}

/**
 * The monitor's actions, for assistants through Backstage's actions registry
 * (and MCP): find jobs, read one, acknowledge or mute one. Each checks the
 * same permissions as the HTTP API, with the caller's credentials.
 */
export function createMonitorActions(options: {
  actionsRegistry: ActionsRegistryService;
  monitor: JobMonitor;
  access: JobAccess;
  commands: JobCommands;
}) {
  const { actionsRegistry, monitor, access, commands } = options;

  actionsRegistry.register({
    name: 'list-jobs',
    title: 'List scheduled jobs',
    description: `Lists the scheduled jobs the portal monitors (Python scripts run by cron or Windows Task Scheduler that report each run), with each job's health and why. Healths: ${JOB_HEALTHS.join(
      ', ',
    )}; failing ones are ${FAILING_HEALTHS.join(
      ', ',
    )}. Use attention: true to answer "which jobs need someone now?" (the badge's jobs), failing: true for "which jobs are failing and why?". Filter by an owner (a group or user entity ref, through the catalog), by an entity, or by text in the job key or title.`,
    attributes: { readOnly: true, idempotent: true, destructive: false },
    visibilityPermission: monitorJobReadPermission,
    schema: {
      input: z =>
        z.object({
          attention: z
            .boolean()
            .optional()
            .describe(
              'true: only the jobs that need attention (failing, nobody acknowledged them, not muted): exactly what the 障害 badge counts',
            ),
          failing: z
            .boolean()
            .optional()
            .describe(
              'Only the failing jobs (error, missed, timeout), taken up or not',
            ),
          health: z
            .array(z.enum(JOB_HEALTHS))
            .optional()
            .describe('Only jobs in these healths'),
          owner: z
            .string()
            .optional()
            .describe(
              'An owner entity ref, e.g. group:default/pricing-team: the jobs of the entities it owns',
            ),
          entityRef: z
            .string()
            .optional()
            .describe(
              'A catalog entity ref, e.g. component:default/price-service',
            ),
          text: z
            .string()
            .max(200)
            .optional()
            .describe('Text to find in job keys and titles'),
          limit: z.number().int().min(1).max(500).default(50),
        }),
      output: z =>
        z.object({
          totalCount: z.number().describe('How many jobs match in all'),
          jobs: z.array(
            z.object({
              jobKey: z.string(),
              title: z.string(),
              health: z.string(),
              failing: z.boolean(),
              why: z.string().nullable(),
              healthSince: z.string(),
              entityRef: z.string().nullable(),
              latestOutcome: z.string().nullable(),
              finishedAt: z.string().nullable(),
              message: z.string().nullable(),
              acknowledgement: z
                .object({ by: z.string(), at: z.string(), comment: z.string() })
                .nullable(),
              mute: z
                .object({
                  by: z.string(),
                  at: z.string(),
                  until: z.string(),
                  reason: z.string(),
                })
                .nullable(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      await access.read(credentials);
      const health = input.failing ? [...FAILING_HEALTHS] : input.health;
      const { items, totalCount } = await monitor.listJobs({
        ...(health && { health }),
        ...(input.attention !== undefined && { attention: input.attention }),
        ...(input.owner && { owner: input.owner }),
        ...(input.entityRef && { entityRef: [input.entityRef] }),
        ...(input.text && { q: input.text }),
        sort: 'health',
        limit: input.limit,
        offset: 0,
      });
      return { output: { totalCount, jobs: items.map(jobSummary) } };
    },
  });

  actionsRegistry.register({
    name: 'get-job',
    title: 'Get a scheduled job',
    description:
      "Reads one monitored job by its key: its health and why, its schedule and when its next run is expected, and its recent runs with their messages (a failed run's message is usually the end of its traceback).",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    visibilityPermission: monitorJobReadPermission,
    schema: {
      input: z =>
        z.object({
          jobKey: z.string().describe('The job key, e.g. daily-price-sync'),
          runs: z
            .number()
            .int()
            .min(1)
            .max(50)
            .default(5)
            .describe('How many of the latest runs to return'),
        }),
      output: z =>
        z.object({
          job: z.object({}).passthrough(),
          schedule: z
            .object({
              every: z.string().optional(),
              cron: z.string().optional(),
              timezone: z.string().optional(),
              grace: z.string(),
              maxRuntime: z.string(),
              source: z.enum(['config', 'catalog', 'report']),
            })
            .nullable()
            .describe('Durations in ISO 8601; null for a job with no schedule'),
          nextExpectedAt: z.string().nullable(),
          recentRuns: z.array(z.object({}).passthrough()),
        }),
    },
    action: async ({ input, credentials }) => {
      await access.read(credentials);
      const detail = await monitor.getJob(input.jobKey, {
        limit: input.runs,
        offset: 0,
      });
      return {
        output: {
          job: jobSummary(detail.job),
          schedule: detail.job.schedule,
          nextExpectedAt: detail.job.nextExpectedAt,
          recentRuns: detail.runs.map(runSummary),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'acknowledge-job',
    title: 'Acknowledge a failing job',
    description:
      "Acknowledges a failing job with a comment: it stops counting on the portal's failure badge until its health changes again. Needs the permission monitor.job.acknowledge for that job.",
    attributes: { readOnly: false, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          jobKey: z.string(),
          comment: z
            .string()
            .min(1)
            .max(2000)
            .describe('Why the failure is known, and what is being done'),
        }),
      output: z =>
        z.object({
          jobKey: z.string(),
          health: z.string(),
          acknowledgement: z.object({
            by: z.string(),
            at: z.string(),
            comment: z.string(),
          }),
        }),
    },
    action: async ({ input, credentials }) => {
      const job = await commands.acknowledge(
        { credentials },
        input.jobKey,
        input.comment,
      );
      return {
        output: {
          jobKey: job.jobKey,
          health: job.health,
          acknowledgement: job.acknowledgement!,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'mute-job',
    title: 'Mute a job',
    description:
      'Mutes a job until a time, with a reason: it does not count on the failure badge while muted (for planned maintenance, say). Needs the permission monitor.job.mute for that job.',
    attributes: { readOnly: false, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          jobKey: z.string(),
          until: z
            .string()
            .datetime({ offset: true })
            .describe('ISO 8601 date-time with an offset, in the future'),
          reason: z.string().min(1).max(2000),
        }),
      output: z =>
        z.object({
          jobKey: z.string(),
          mute: z.object({
            by: z.string(),
            at: z.string(),
            until: z.string(),
            reason: z.string(),
          }),
        }),
    },
    action: async ({ input, credentials }) => {
      const job = await commands.mute(
        { credentials },
        input.jobKey,
        new Date(input.until),
        input.reason,
      );
      return { output: { jobKey: job.jobKey, mute: job.mute! } };
    },
  });

  actionsRegistry.register({
    name: 'add-job-maintenance-window',
    title: 'Add a maintenance window to a job',
    description:
      "Adds a one-off maintenance window to a job, from a start (now when not given) to an end, with a reason: while it lasts the job's failures and misses notify nobody and do not count on the failure badge, and when it ends the job's next run is expected from the end. Needs the permission monitor.job.mute for that job.",
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z =>
        z.object({
          jobKey: z.string(),
          start: z
            .string()
            .datetime({ offset: true })
            .optional()
            .describe('ISO 8601 date-time with an offset; now when not given'),
          end: z
            .string()
            .datetime({ offset: true })
            .describe('ISO 8601 date-time with an offset, in the future'),
          reason: z.string().min(1).max(2000),
        }),
      output: z =>
        z.object({
          jobKey: z.string(),
          maintenanceWindows: z.array(
            z.object({
              id: z.string(),
              start: z.string(),
              end: z.string(),
              reason: z.string(),
              by: z.string(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const job = await commands.addMaintenanceWindow(
        { credentials },
        input.jobKey,
        {
          start: input.start ? new Date(input.start) : undefined,
          end: new Date(input.end),
          reason: input.reason,
        },
      );
      return {
        output: {
          jobKey: job.jobKey,
          maintenanceWindows: job.maintenanceWindows,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'end-job-maintenance-window',
    title: "End a job's maintenance window",
    description:
      "Ends one of a job's one-off maintenance windows now, or drops it when it has not started (its id is in the job's maintenanceWindows). Needs the permission monitor.job.mute for that job.",
    attributes: { readOnly: false, idempotent: false, destructive: false },
    schema: {
      input: z => z.object({ jobKey: z.string(), windowId: z.string() }),
      output: z =>
        z.object({
          jobKey: z.string(),
          maintenance: z
            .object({ until: z.string(), reason: z.string() })
            .nullable(),
        }),
    },
    action: async ({ input, credentials }) => {
      const job = await commands.endMaintenanceWindow(
        { credentials },
        input.jobKey,
        input.windowId,
      );
      return {
        output: { jobKey: job.jobKey, maintenance: job.maintenance },
      };
    },
  });
}
