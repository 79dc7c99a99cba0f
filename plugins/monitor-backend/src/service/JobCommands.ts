import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  Job,
  MONITOR_JOB_RESOURCE_TYPE,
  monitorJobAcknowledgePermission,
  monitorJobDeletePermission,
  monitorJobMutePermission,
} from '@tc-portal/plugin-monitor-common';
import { InputError, NotFoundError } from '@backstage/errors';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { Request } from 'express';
import { JsonObject } from '@backstage/types';
import { randomUUID } from 'node:crypto';
import { AttentionStore } from '../database/AttentionStore';
import { JobRecord } from '../health/types';
import { actorOf, JobAccess } from './access';
import { Clock } from './clock';
import { JobAnnouncer } from './JobAnnouncer';

/** Who asks: their credentials, and the HTTP request when there is one. */
export type Caller = {
  credentials: BackstageCredentials;
  request?: Request;
};

/**
 * What people (and assistants, through actions) do to jobs: each is allowed
 * by the portal's permission policy for that job, done on the attention
 * store, told to open pages, and written to the audit trail with who did
 * it, whether it went through or not.
 */
export class JobCommands {
  constructor(
    private readonly options: {
      attention: AttentionStore;
      access: JobAccess;
      auditor: AuditorService;
      announcer: JobAnnouncer;
      clock: Clock;
      /** A job as the read API shows it. */
      view: (job: JobRecord, now: Date) => Job;
      /**
       * Judges the job at once, as the check of jobs does: what a change of
       * its maintenance windows means is the decision core's.
       */
      judge: (jobKey: string, now: Date) => Promise<JobRecord | undefined>;
    },
  ) {}

  /** The job as it is now, changed; 404 when there is no such job. */
  private changed(job: JobRecord | undefined, jobKey: string, now: Date) {
    if (!job) {
      throw new NotFoundError(`No job with the key '${jobKey}'`);
    }
    this.options.announcer.jobsChanged();
    return this.options.view(job, now);
  }

  /**
   * Does `work` as `actor` once the policy allows `permission` on the job,
   * and writes the audit event, succeeded or failed.
   */
  private async command<T>(
    caller: Caller,
    event: { id: string; meta: JsonObject },
    permission: ResourcePermission<typeof MONITOR_JOB_RESOURCE_TYPE>,
    jobKey: string,
    work: (actor: string) => Promise<T>,
  ): Promise<T> {
    const audit = await this.options.auditor.createEvent({
      eventId: event.id,
      severityLevel: event.id === 'job-delete' ? 'high' : 'medium',
      request: caller.request,
      meta: { jobKey, ...event.meta, actor: actorOf(caller.credentials) },
    });
    try {
      const result = await work(
        await this.options.access.act(caller.credentials, permission, jobKey),
      );
      await audit.success();
      return result;
    } catch (error) {
      await audit.fail({ error: error as Error });
      throw error;
    }
  }

  /** Refused (409) unless the job is failing when the store writes it. */
  acknowledge(caller: Caller, jobKey: string, comment: string): Promise<Job> {
    return this.command(
      caller,
      { id: 'job-acknowledge', meta: { comment } },
      monitorJobAcknowledgePermission,
      jobKey,
      async by => {
        const now = this.options.clock.now();
        const job = await this.options.attention.acknowledge(
          jobKey,
          { by, comment },
          now,
        );
        return this.changed(job, jobKey, now);
      },
    );
  }

  clearAcknowledgement(caller: Caller, jobKey: string): Promise<Job> {
    return this.command(
      caller,
      { id: 'job-unacknowledge', meta: {} },
      monitorJobAcknowledgePermission,
      jobKey,
      async by => {
        const now = this.options.clock.now();
        const job = await this.options.attention.clearAcknowledgement(
          jobKey,
          by,
          now,
        );
        return this.changed(job, jobKey, now);
      },
    );
  }

  mute(
    caller: Caller,
    jobKey: string,
    until: Date,
    reason: string,
  ): Promise<Job> {
    return this.command(
      caller,
      { id: 'job-mute', meta: { until: until.toISOString(), reason } },
      monitorJobMutePermission,
      jobKey,
      async by => {
        const now = this.options.clock.now();
        if (until <= now) {
          throw new InputError('Invalid mute: until must be in the future');
        }
        const job = await this.options.attention.mute(
          jobKey,
          { by, until, reason },
          now,
        );
        return this.changed(job, jobKey, now);
      },
    );
  }

  unmute(caller: Caller, jobKey: string): Promise<Job> {
    return this.command(
      caller,
      { id: 'job-unmute', meta: {} },
      monitorJobMutePermission,
      jobKey,
      async by => {
        const now = this.options.clock.now();
        const job = await this.options.attention.unmute(jobKey, by, now);
        return this.changed(job, jobKey, now);
      },
    );
  }

  /**
   * Adds a one-off maintenance window to the job, from `start` (now when
   * not given) to `end`, and judges the job with it.
   */
  addMaintenanceWindow(
    caller: Caller,
    jobKey: string,
    window: { start?: Date; end: Date; reason: string },
  ): Promise<Job> {
    return this.command(
      caller,
      {
        id: 'job-maintenance-add',
        meta: {
          start: window.start?.toISOString() ?? null,
          end: window.end.toISOString(),
          reason: window.reason,
        },
      },
      monitorJobMutePermission,
      jobKey,
      async by => {
        const now = this.options.clock.now();
        const start = window.start ?? now;
        if (window.end <= now || window.end <= start) {
          throw new InputError(
            'Invalid maintenance window: end must be in the future and after start',
          );
        }
        const added = await this.options.attention.addMaintenanceWindow(
          jobKey,
          {
            id: randomUUID(),
            start,
            end: window.end,
            reason: window.reason,
            by,
          },
          now,
        );
        return this.judged(added, jobKey, now);
      },
    );
  }

  /** Ends one of the job's one-off maintenance windows now. */
  endMaintenanceWindow(
    caller: Caller,
    jobKey: string,
    windowId: string,
  ): Promise<Job> {
    return this.command(
      caller,
      { id: 'job-maintenance-end', meta: { windowId } },
      monitorJobMutePermission,
      jobKey,
      async by => {
        const now = this.options.clock.now();
        const ended = await this.options.attention.endMaintenanceWindow(
          jobKey,
          windowId,
          by,
          now,
        );
        return this.judged(ended, jobKey, now);
      },
    );
  }

  /** The job judged again after a change of its windows. */
  private async judged(job: JobRecord | undefined, jobKey: string, now: Date) {
    const judged = job && (await this.options.judge(jobKey, now));
    return this.changed(judged ?? job, jobKey, now);
  }

  deleteJob(caller: Caller, jobKey: string): Promise<void> {
    return this.command(
      caller,
      { id: 'job-delete', meta: {} },
      monitorJobDeletePermission,
      jobKey,
      async by => {
        const now = this.options.clock.now();
        if (!(await this.options.attention.deleteJob(jobKey, by, now))) {
          throw new NotFoundError(`No job with the key '${jobKey}'`);
        }
        this.options.announcer.jobsChanged();
      },
    );
  }
}
