import {
  HealthReason,
  JobEntitySource,
  JobExpectation,
  JobHealth,
  JobRunOutcome,
  JobRunStatus,
  RunWarning,
} from '@tc-portal/plugin-monitor-common';
import { JobMaintenanceWindow, MaintenanceWindow } from './maintenance';
import { RunReport } from './pairRun';
import { NoticeRecipient, ReminderRules, ReminderState } from './reminders';
import { ConfiguredJob, RuleDefaults } from './rules';
import { OpenRun, RecentRun } from './runFacts';
import { RunSlot } from './slots';

/**
 * A report accepted by the webhook, ready to judge: a start or a finish of
 * a run (see pairRun), with what it says of its job. Times are Dates.
 */
export type IncomingReport = RunReport & {
  jobKey: string;
  title: string;
  exitCode?: number;
  host?: string;
  message: string | null;
  /** The entity the report names, if any. */
  entityRef?: string;
  expectation?: JobExpectation;
};

/** A job as the portal knows it: its latest run, its health, its attention. */
export type JobRecord = ReminderState & {
  jobKey: string;
  title: string;
  createdAt: Date;
  /** Its one entity (entityLink), and what links it there. */
  entityRef: string | null;
  entitySource: JobEntitySource | null;
  reportedExpectation: JobExpectation | null;
  /** What an entity's tc-portal.io/monitor-jobs annotation declares. */
  declaredExpectation: JobExpectation | null;
  lastReportAt: Date | null;
  /** The latest finished run, copied for the list. */
  latestOutcome: JobRunOutcome | null;
  finishedAt: Date | null;
  receivedAt: Date | null;
  message: string | null;
  lastRunId: string | null;
  durationMs: number | null;
  /** The outcomes of the latest finished runs, newest first. */
  recentOutcomes: JobRunOutcome[];
  /** The kinds of the latest finished run's warnings, for the list. */
  latestWarnings: RunWarning['kind'][];
  /**
   * While the job fails because a job it depends on fails: that job (see
   * ./upstream). It is told of and counted in that job's stead.
   */
  upstream: { jobKey: string; title: string } | null;
  /** The keys of the jobs it depends on, as it was last judged. */
  dependsOn: string[];
  /**
   * The keys of the jobs of the entities its entity dependsOn in the
   * catalog, as last read.
   */
  catalogDependsOn: string[];
  health: JobHealth;
  failing: boolean;
  healthSince: Date;
  /** Null until the job is first judged. */
  healthReason: HealthReason | null;
  nextCheckAt: Date | null;
  nextExpectedAt: Date | null;
  acknowledgement: { by: string; at: Date; comment: string } | null;
  /** The latest mute, over or not. */
  mute: { by: string; at: Date; until: Date; reason: string } | null;
  /** The maintenance window that covered the job when it was last judged. */
  maintenance: { until: Date; reason: string } | null;
  /**
   * The job's own one-off maintenance windows, until a report comes after
   * their end.
   */
  maintenanceWindows: JobMaintenanceWindow[];
};

/**
 * A job as the decision core works on it: its record, what its reports
 * said of its entity, and the run facts that judging needs (kept with the
 * job, so that a report is judged without reading its runs).
 */
export type JobState = JobRecord & {
  reportedEntityRef: string | null;
  /** Latest finished first (by finish, then arrival). */
  recent: RecentRun[];
  /** Oldest arrival first. */
  open: OpenRun[];
  /**
   * The slot of the run that started last, as far as its start is known
   * (a start report, or a finish with its duration): the next run's is
   * judged against it (./slots).
   */
  lastStart: RunSlot | null;
};

/** What config says of one job, and of every job. */
export type JobConfig = {
  /** app-config's `monitor.jobs.<job_key>`, if any. */
  configured?: ConfiguredJob;
  defaults: RuleDefaults;
  /** Who owns (and is told of) the jobs linked to no entity. */
  defaultOwner?: string;
  /** Whether changes of health are told at all. */
  notify: boolean;
  /** The maintenance windows of config, for every job of their scope. */
  maintenance: MaintenanceWindow[];
  /** Reminders and escalation: config's for the job, else the defaults. */
  reminders: ReminderRules;
};

/** A run, as stored. */
export type RunFields = {
  jobKey: string;
  runId: string | null;
  title: string;
  status: JobRunStatus;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** When its first report arrived (the portal's clock). */
  receivedAt: Date;
  durationMs: number | null;
  exitCode: number | null;
  host: string | null;
  message: string | null;
  /** What is worth a look about it, such as being slow. */
  warnings: RunWarning[];
};

/**
 * A run to write: a new one, whole, or the fields that change of a stored
 * one. An update leaves out the exit code and host a finish does not say,
 * so that those of its start stay.
 */
export type RunWrite =
  | { id: string; create: RunFields }
  | { id: string; update: Partial<RunFields> };

/** A change of a job's health, as decided. */
export type HealthChange = {
  jobKey: string;
  from: JobHealth | undefined;
  to: JobHealth;
  reason: HealthReason;
  at: Date;
};

/** A notification to send (through the outbox), as decided. */
export type Notice = {
  jobKey: string;
  /**
   * A change of health (failure, recovery), or, while the job needs
   * attention, a reminder to its owners or an escalation beyond them, or a
   * warning of a slow run.
   */
  kind: 'failure' | 'recovery' | 'reminder' | 'escalation' | 'slow';
  severity: 'critical' | 'high' | 'normal';
  /**
   * The job's entity (whose owners hear of it), or its owner; for an
   * escalation, whom it goes to.
   */
  recipients: NoticeRecipient[];
  /**
   * The change told of; for a reminder or a warning, the job's health as
   * it stands (a warning's reason says what it warns of).
   */
  change: HealthChange;
};

/** What the core decided about one job for one input. */
export type JobDecision = {
  /** The job as it is now. */
  job: JobState;
  runs: RunWrite[];
  /** Its health changed (or was judged for the first time). */
  change?: HealthChange;
  /** Whether the change goes into the job's log of health changes. */
  recordChange: boolean;
  notices: Notice[];
};
