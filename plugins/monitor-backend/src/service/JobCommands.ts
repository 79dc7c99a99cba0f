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
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { Request } from 'express';
import { JsonObject } from '@backstage/types';
import { actorOf, JobAccess } from './access';
import { JobMonitor } from './JobMonitor';

/** Who asks: their credentials, and the HTTP request when there is one. */
export type Caller = {
  credentials: BackstageCredentials;
  request?: Request;
};

/**
 * What people (and assistants, through actions) do to jobs: each is allowed
 * by the portal's permission policy for that job, done, and written to the
 * audit trail with who did it, whether it went through or not.
 */
export class JobCommands {
  constructor(
    private readonly options: {
      monitor: JobMonitor;
      access: JobAccess;
      auditor: AuditorService;
    },
  ) {}

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

  acknowledge(caller: Caller, jobKey: string, comment: string): Promise<Job> {
    return this.command(
      caller,
      { id: 'job-acknowledge', meta: { comment } },
      monitorJobAcknowledgePermission,
      jobKey,
      by => this.options.monitor.acknowledge(jobKey, by, comment),
    );
  }

  clearAcknowledgement(caller: Caller, jobKey: string): Promise<Job> {
    return this.command(
      caller,
      { id: 'job-unacknowledge', meta: {} },
      monitorJobAcknowledgePermission,
      jobKey,
      by => this.options.monitor.clearAcknowledgement(jobKey, by),
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
      by => this.options.monitor.mute(jobKey, by, until, reason),
    );
  }

  unmute(caller: Caller, jobKey: string): Promise<Job> {
    return this.command(
      caller,
      { id: 'job-unmute', meta: {} },
      monitorJobMutePermission,
      jobKey,
      by => this.options.monitor.unmute(jobKey, by),
    );
  }

  deleteJob(caller: Caller, jobKey: string): Promise<void> {
    return this.command(
      caller,
      { id: 'job-delete', meta: {} },
      monitorJobDeletePermission,
      jobKey,
      by => this.options.monitor.deleteJob(jobKey, by),
    );
  }
}
