import {
  HealthReason,
  JobExpectation,
  JobHealth,
  JobListQuery,
  JobRun,
  JobRunOutcome,
  JobStatusChange,
  ValidJobReport,
} from '@tc-portal/plugin-monitor-common';
import { z } from 'zod';
import { jobListQuerySchema } from '@tc-portal/plugin-monitor-common';
import { HealthRules } from '../health';

/**
 * A report accepted by the webhook, ready to store. Times are Dates; the
 * entity ref is the effective one (config wins over the report).
 */
export type IncomingReport = {
  jobKey: string;
  title: string;
  status: ValidJobReport['status'];
  runId?: string;
  startedAt?: Date;
  finishedAt?: Date;
  receivedAt: Date;
  durationMs?: number;
  exitCode?: number;
  host?: string;
  message: string | null;
  entityRef?: string;
  expectation?: JobExpectation;
};

/** A job as stored. */
export type JobRecord = {
  jobKey: string;
  title: string;
  createdAt: Date;
  entityRef: string | null;
  reportedExpectation: JobExpectation | null;
  lastReportAt: Date | null;
  status: JobRunOutcome | null;
  finishedAt: Date | null;
  receivedAt: Date | null;
  message: string | null;
  lastRunId: string | null;
  durationMs: number | null;
  recentOutcomes: JobRunOutcome[];
  health: JobHealth;
  failing: boolean;
  healthSince: Date;
  healthReason: HealthReason | null;
  nextCheckAt: Date | null;
  nextExpectedAt: Date | null;
  acknowledgement: { by: string; at: Date; comment: string } | null;
  /** The latest mute, expired or not. */
  mute: { by: string; at: Date; until: Date; reason: string } | null;
};

/** A change of a job's health, as decided and stored. */
export type HealthChange = {
  jobKey: string;
  from: JobHealth | undefined;
  to: JobHealth;
  reason: HealthReason;
  at: Date;
};

export type ReportResult =
  | {
      kind: 'stored' | 'duplicate';
      /** The portal's id of the run the report belongs to. */
      id: string;
      job: JobRecord;
      change?: HealthChange;
    }
  | { kind: 'deleted'; deletedAt: Date };

/** The rules a job is judged by, from config and its own reports. */
export type RulesFor = (job: {
  jobKey: string;
  reportedExpectation: JobExpectation | null;
}) => HealthRules;

export type JobListOptions = z.output<typeof jobListQuerySchema>;
export type { JobListQuery };

/**
 * Where jobs, their runs and their changes of health are kept. Every write
 * that judges a job does it in one transaction with the job's row locked, so
 * concurrent reports of one job are judged one after the other.
 */
export interface JobStore {
  /** Stores a report and judges the job. */
  recordReport(
    report: IncomingReport,
    options: { now: Date; rulesFor: RulesFor },
  ): Promise<ReportResult>;

  /**
   * Judges the jobs whose verdict the passing of time may have changed
   * (late, missed, timed out), a batch at a time.
   */
  judgeDueJobs(options: {
    now: Date;
    rulesFor: RulesFor;
    limit: number;
  }): Promise<{
    /** How many jobs were judged: fewer than the limit when none are left. */
    judged: number;
    changes: Array<{ change: HealthChange; job: JobRecord }>;
  }>;

  /**
   * Makes configured jobs known (unless deleted), gives them their
   * configured entity, and has them judged at the next check. Every other
   * job is judged again too when the rules config gives (their
   * `rulesFingerprint`) differ from the last start's, so changed config
   * applies; a restart with the same rules leaves them be.
   */
  syncConfiguredJobs(
    jobs: Array<{ jobKey: string; title: string; entityRef?: string }>,
    now: Date,
    rulesFingerprint: string,
  ): Promise<void>;

  listJobs(
    options: JobListOptions,
    now: Date,
  ): Promise<{ items: JobRecord[]; totalCount: number }>;

  getJob(jobKey: string): Promise<JobRecord | undefined>;

  listRuns(
    jobKey: string,
    options: { limit: number; offset: number },
  ): Promise<{ runs: JobRun[]; totalCount: number }>;

  listStatusChanges(jobKey: string, limit: number): Promise<JobStatusChange[]>;

  summary(now: Date): Promise<{
    failingUnattended: number;
    total: number;
    byHealth: Partial<Record<JobHealth, number>>;
    acknowledged: number;
    muted: number;
  }>;

  acknowledge(
    jobKey: string,
    acknowledgement: { by: string; comment: string },
    now: Date,
  ): Promise<JobRecord | undefined>;
  clearAcknowledgement(jobKey: string): Promise<JobRecord | undefined>;

  mute(
    jobKey: string,
    mute: { by: string; until: Date; reason: string },
    now: Date,
  ): Promise<JobRecord | undefined>;
  unmute(jobKey: string): Promise<JobRecord | undefined>;

  /** Deletes a job and its history; false when there was no such job. */
  deleteJob(jobKey: string, by: string, now: Date): Promise<boolean>;

  /**
   * Deletes runs beyond a job's newest `maxRunsPerJob` and runs and changes
   * older than `maxAgeMs`, in batches of `batchSize` rows, each batch its own
   * short transaction.
   */
  pruneHistory(options: {
    now: Date;
    maxRunsPerJob: number;
    maxAgeMs: number;
    batchSize: number;
  }): Promise<{ runs: number; statusChanges: number }>;
}
