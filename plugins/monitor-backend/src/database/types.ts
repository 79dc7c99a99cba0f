import {
  HealthReason,
  JobExpectation,
  JobHealth,
  JobListQuery,
  JobRunOutcome,
} from '@tc-portal/plugin-monitor-common';
import { z } from 'zod';
import { jobListQuerySchema } from '@tc-portal/plugin-monitor-common';
import { HealthRules } from '../health';
import { RunReport } from '../health/pairRun';

/**
 * A report accepted by the webhook, ready to store: a start or a finish of
 * a run (see ../health/pairRun), with what it says of its job. Times are
 * Dates; the entity ref is the effective one (config wins over the report).
 */
export type IncomingReport = RunReport & {
  jobKey: string;
  title: string;
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
  /** The outcome of the latest finished run. */
  latestOutcome: JobRunOutcome | null;
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
      kind: 'stored';
      /** The portal's id of the run the report belongs to. */
      id: string;
      job: JobRecord;
      change?: HealthChange;
    }
  /** A retry, or a start after its finish: nothing new was stored. */
  | { kind: 'duplicate'; id: string; job: JobRecord }
  | { kind: 'deleted'; deletedAt: Date };

/** The rules a job is judged by, from config and its own reports. */
export type RulesFor = (job: {
  jobKey: string;
  reportedExpectation: JobExpectation | null;
}) => HealthRules;

export type JobListOptions = z.output<typeof jobListQuerySchema>;
export type { JobListQuery };
