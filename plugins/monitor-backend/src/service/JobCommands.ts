import {
  AuditorService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import {
  Job,
  monitorJobAcknowledgePermission,
  monitorJobDeletePermission,
  monitorJobMutePermission,
} from '@tc-portal/plugin-monitor-common';
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

  private async audited<T>(
    caller: Caller,
    eventId: string,
    meta: JsonObject,
    work: () => Promise<T>,
  ): Promise<T> {
    const event = await this.options.auditor.createEvent({
      eventId,
      severityLevel: eventId === 'job-delete' ? 'high' : 'medium',
      request: caller.request,
      meta: { ...meta, actor: actorOf(caller.credentials) },
    });
    try {
      const result = await work();
      await event.success();
      return result;
    } catch (error) {
      await event.fail({ error: error as Error });
      throw error;
    }
  }

  acknowledge(caller: Caller, jobKey: string, comment: string): Promise<Job> {
    return this.audited(
      caller,
      'job-acknowledge',
      { jobKey, comment },
      async () =>
        this.options.monitor.acknowledge(
          jobKey,
          await this.options.access.act(
            caller.credentials,
            monitorJobAcknowledgePermission,
            jobKey,
          ),
          comment,
        ),
    );
  }

  clearAcknowledgement(caller: Caller, jobKey: string): Promise<Job> {
    return this.audited(caller, 'job-unacknowledge', { jobKey }, async () =>
      this.options.monitor.clearAcknowledgement(
        jobKey,
        await this.options.access.act(
          caller.credentials,
          monitorJobAcknowledgePermission,
          jobKey,
        ),
      ),
    );
  }

  mute(
    caller: Caller,
    jobKey: string,
    until: Date,
    reason: string,
  ): Promise<Job> {
    return this.audited(
      caller,
      'job-mute',
      { jobKey, until: until.toISOString(), reason },
      async () =>
        this.options.monitor.mute(
          jobKey,
          await this.options.access.act(
            caller.credentials,
            monitorJobMutePermission,
            jobKey,
          ),
          until,
          reason,
        ),
    );
  }

  unmute(caller: Caller, jobKey: string): Promise<Job> {
    return this.audited(caller, 'job-unmute', { jobKey }, async () =>
      this.options.monitor.unmute(
        jobKey,
        await this.options.access.act(
          caller.credentials,
          monitorJobMutePermission,
          jobKey,
        ),
      ),
    );
  }

  deleteJob(caller: Caller, jobKey: string): Promise<void> {
    return this.audited(caller, 'job-delete', { jobKey }, async () =>
      this.options.monitor.deleteJob(
        jobKey,
        await this.options.access.act(
          caller.credentials,
          monitorJobDeletePermission,
          jobKey,
        ),
      ),
    );
  }
}
