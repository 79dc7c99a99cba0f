import {
  acknowledgementHolds,
  JOB_LIST_LIMITS,
} from '@tc-portal/plugin-monitor-common';
import { baselineOf, Slow, slowRun } from './baseline';
import { judgeStart, slowWarnings, startOf } from './runMarks';
import { runWrite, showLatestRun, storedFromFacts } from './runs';
import { upstreamCause, UpstreamJob } from './upstream';
import { isRecordedChange } from './changes';
import { linkJobToEntity } from './entityLink';
import { maintenanceAt, ownWindow } from './maintenance';
import {
  changeNotice,
  releasedNotice,
  reminderNotices,
  slowNotice,
} from './notices';
import { pairRun, StoredRun } from './pairRun';
import { resolveRules } from './rules';
import { earliest } from './time';
import {
  judgedOutcome,
  judgeJob,
  recentRunsToKeep,
  RecentRun,
  tooFast,
  withFinishedRun,
} from './runFacts';
import {
  HealthChange,
  IncomingReport,
  JobConfig,
  JobDecision,
  JobState,
  RunWrite,
} from './types';

/**
 * The decision core: what a report, or a check as time passes, means for a
 * job. Every function here is pure: the job's state, the input, its config
 * and the time in; the job's next state, the runs to write, the change of
 * health and the notification to send out. No database, no clock, no
 * Backstage service: the writer (../database) loads and stores, this
 * decides.
 */

/** The length of the job list's outcome strip. */
export const OUTCOME_STRIP = JOB_LIST_LIMITS.recentOutcomes;

/** The message of a run the rules closed. */
export const TIMEOUT_MESSAGE =
  'No finish was reported within the maximum runtime.';

/**
 * The rules a job is judged by: config's, the catalog's declaration, its
 * reports', the defaults.
 */
export function rulesOf(
  job: Pick<
    JobState,
    'reportedExpectation' | 'declaredExpectation' | 'catalogDependsOn'
  >,
  config: JobConfig,
) {
  return resolveRules(
    config.configured,
    job.reportedExpectation ?? undefined,
    config.defaults,
    job.declaredExpectation ?? undefined,
    job.catalogDependsOn,
  );
}

/** A job the portal has just come to know: healthy, nothing run yet. */
export function newJob(
  jobKey: string,
  title: string,
  now: Date,
  catalogEntityRef?: string,
): JobState {
  return {
    jobKey,
    title,
    createdAt: now,
    entityRef: catalogEntityRef ?? null,
    entitySource: catalogEntityRef ? 'catalog' : null,
    reportedEntityRef: null,
    reportedExpectation: null,
    declaredExpectation: null,
    lastReportAt: null,
    latestOutcome: null,
    finishedAt: null,
    receivedAt: null,
    message: null,
    lastRunId: null,
    durationMs: null,
    recentOutcomes: [],
    latestWarnings: [],
    upstream: null,
    dependsOn: [],
    catalogDependsOn: [],
    health: 'ok',
    failing: false,
    healthSince: now,
    healthReason: null,
    nextCheckAt: null,
    nextExpectedAt: null,
    acknowledgement: null,
    mute: null,
    maintenance: null,
    maintenanceWindows: [],
    failingSince: null,
    remindedAt: null,
    escalatedAt: null,
    recent: [],
    open: [],
    lastStart: null,
  };
}

/** The time a report speaks of: a deletion hides the runs up to its time. */
function reportTime(report: IncomingReport): Date {
  return report.status === 'start'
    ? report.startedAt ?? report.receivedAt
    : report.finishedAt;
}

/**
 * Whether a report of a deleted job is of a run after its deletion (the job
 * runs again) rather than one the deletion hid.
 */
export function outlivesDeletion(
  report: IncomingReport,
  deletedAt: Date,
): boolean {
  return reportTime(report) > deletedAt;
}

/**
 * Judges the job at `now`: closes the runs open past their maximum runtime
 * as timeouts, decides its health, and what to record and tell of it.
 * `upstream` is how the jobs it depends on stand: while one of them fails,
 * so does this one because of it (./upstream), and it is that job that is
 * told of and counted.
 */
function judge(
  job: JobState,
  config: JobConfig,
  now: Date,
  upstream: UpstreamJob[],
): JobDecision {
  const rules = rulesOf(job, config);
  const previous =
    job.healthReason === null
      ? undefined
      : { health: job.health, failing: job.failing };
  const maintenance = maintenanceAt(
    [...config.maintenance, ...job.maintenanceWindows.map(ownWindow)],
    job,
    now,
  );
  const judgement = judgeJob(
    {
      recent: job.recent,
      open: job.open,
      lastReportAt: job.lastReportAt,
      knownSince: job.createdAt,
      maintenance: maintenance.current ?? maintenance.last,
      previous,
    },
    rules,
    now,
    OUTCOME_STRIP,
  );
  const { verdict } = judgement;
  let next: JobState = {
    ...job,
    recent: judgement.facts.recent,
    open: judgement.facts.open,
    recentOutcomes: judgement.facts.recent
      .slice(0, OUTCOME_STRIP)
      .map(run => judgedOutcome(run, rules)),
    health: verdict.health,
    failing: verdict.failing,
    healthReason: verdict.reason,
    upstream: upstreamCause(
      verdict.health,
      upstream.filter(u => rules.dependsOn.includes(u.jobKey)),
    ),
    dependsOn: rules.dependsOn,
    // Judged again when time may change the verdict, or a window opens or
    // closes.
    nextCheckAt: earliest(verdict.nextCheckAt, maintenance.nextChange),
    nextExpectedAt: verdict.nextExpectedAt,
    maintenance: maintenance.current
      ? { until: maintenance.current.end, reason: maintenance.current.reason }
      : null,
    // The job's own windows are history once a report came after their
    // end: until then, the job's expectations start from the end.
    maintenanceWindows: job.maintenanceWindows.filter(
      w => !job.lastReportAt || w.end > job.lastReportAt,
    ),
  };
  if (verdict.health !== job.health) {
    next.healthSince = now;
    if (!acknowledgementHolds(job.health, verdict.health)) {
      next.acknowledgement = null;
    }
  }
  const runs: RunWrite[] = [];
  for (const run of judgement.timedOut) {
    const finishedAt = new Date(run.finishedAt);
    runs.push({
      id: run.id,
      update: { status: 'timeout', finishedAt, message: TIMEOUT_MESSAGE },
    });
    next = showLatestRun(next, {
      id: run.id,
      outcome: 'timeout',
      title: job.title,
      finishedAt,
      receivedAt: new Date(run.receivedAt),
      message: TIMEOUT_MESSAGE,
      durationMs: null,
      warnings: run.warnings ?? [],
    });
  }

  // A failure that was its upstream job's, and is its own now that job
  // passes, is told of as a failure now: its next reminder is due from now.
  const released =
    job.upstream && !next.upstream
      ? releasedNotice(next, config, now)
      : undefined;

  // Reminders and escalation of a job that still needs attention.
  const reminded = reminderNotices(
    released ? { ...job, remindedAt: now } : job,
    next,
    config,
    now,
  );
  next = reminded.job;

  const from = previous?.health;
  if (from !== undefined && verdict.health === from) {
    return {
      job: next,
      runs,
      recordChange: false,
      notices: released ? [released, ...reminded.notices] : reminded.notices,
    };
  }
  const change: HealthChange = {
    jobKey: job.jobKey,
    from,
    to: verdict.health,
    reason: verdict.reason,
    at: now,
  };
  const recordChange = isRecordedChange(from, verdict.health);
  // A failure because of an upstream job is told in that job's
  // notification; so is its end, while it was.
  const notice =
    recordChange && !next.upstream && !job.upstream
      ? changeNotice(next, change, config, now)
      : released;
  return {
    job: next,
    runs,
    change,
    recordChange,
    notices: notice ? [notice, ...reminded.notices] : reminded.notices,
  };
}

/**
 * A job is judged when time may have changed its verdict, or a job it
 * depends on started or stopped failing.
 */
export function decideCheck(
  job: JobState,
  config: JobConfig,
  now: Date,
  upstream: UpstreamJob[] = [],
): JobDecision | undefined {
  if (job.nextCheckAt === null || job.nextCheckAt > now) {
    return undefined;
  }
  return judge(job, config, now, upstream);
}

/**
 * A report of a job: the run it starts, ends or repeats (pairRun), the
 * job's facts, entity and expectations as it says them, and the job judged
 * anew. `storedRun` is the stored run with the report's run id, where the
 * job's open runs have none; `newRunId` names the run if it is new.
 */
export function decideReport(
  job: JobState,
  report: IncomingReport,
  context: {
    storedRun?: StoredRun;
    newRunId: string;
    config: JobConfig;
    now: Date;
    /**
     * How the jobs it may depend on stand (./upstream); those its rules
     * name count.
     */
    upstream?: UpstreamJob[];
  },
): JobDecision & { runId: string; duplicate: boolean } {
  const { config, now } = context;
  const match = storedFromFacts(job, report) ?? context.storedRun;
  const decision = pairRun(report, match);
  if (decision.kind === 'duplicate') {
    return {
      job,
      runs: [],
      recordChange: false,
      notices: [],
      runId: decision.id,
      duplicate: true,
    };
  }
  const id = decision.kind === 'close' ? decision.id : context.newRunId;

  // What the report says of its job.
  const reportedEntityRef = report.entityRef ?? job.reportedEntityRef;
  const link = linkJobToEntity({
    config: config.configured?.entityRef,
    catalog: job.entitySource === 'catalog' ? job.entityRef : null,
    report: reportedEntityRef,
  });
  let next: JobState = {
    ...job,
    reportedEntityRef,
    entityRef: link?.entityRef ?? null,
    entitySource: link?.source ?? null,
    reportedExpectation: report.expectation ?? job.reportedExpectation,
    lastReportAt: new Date(
      Math.max(report.receivedAt.getTime(), job.lastReportAt?.getTime() ?? 0),
    ),
  };

  // The job's open and recent runs with this one.
  const rules = rulesOf(next, config);
  let slow: Slow | undefined;
  const start = judgeStart(next, rules, startOf(report, decision));
  next = { ...next, lastStart: start.lastStart };
  let warnings = start.warnings;
  const wasOpen = job.open.find(run => run.id === id);
  const open = job.open.filter(run => run.id !== id);
  if (decision.status === 'running') {
    open.push({
      id,
      runId: report.runId ?? null,
      receivedAt: report.receivedAt.getTime(),
      startedAt: decision.startedAt?.getTime() ?? null,
      ...(warnings.length && { warnings }),
    });
    next = { ...next, open };
  } else {
    const fast = tooFast(decision, rules);
    // Measured against the runs before it.
    slow = fast
      ? undefined
      : slowRun(decision, baselineOf(job.recent), rules.slowFactor);
    // A run opened by its start keeps what its start was marked with.
    warnings = [...(wasOpen?.warnings ?? warnings), ...slowWarnings(slow)];
    const finished: RecentRun = {
      id,
      outcome: decision.status,
      ...(decision.status === 'success' &&
        decision.durationMs !== null && { durationMs: decision.durationMs }),
      ...(fast && { tooFast: fast }),
      ...(slow && { slow }),
      finishedAt: decision.finishedAt!.getTime(),
      // When the run's first report arrived.
      receivedAt:
        wasOpen?.receivedAt ??
        job.recent.find(run => run.id === id)?.receivedAt ??
        context.storedRun?.receivedAt.getTime() ??
        report.receivedAt.getTime(),
    };
    next = {
      ...next,
      open,
      recent: withFinishedRun(
        job.recent,
        finished,
        recentRunsToKeep(rules, OUTCOME_STRIP),
      ),
    };
    next = showLatestRun(next, {
      id,
      outcome: decision.status,
      title: report.title,
      finishedAt: decision.finishedAt,
      receivedAt: new Date(finished.receivedAt),
      message: report.message,
      durationMs: decision.durationMs,
      warnings,
    });
  }
  // Until a run finishes, the job is called what its reports call it.
  if (next.recent.length === 0) {
    next = { ...next, title: report.title };
  }

  const judged = judge(next, config, now, context.upstream ?? []);
  // A slow run is told of once, as a warning, where it is not judged a
  // failure (which is told of as one).
  const warning =
    slow && !rules.slowCountsAsFailure
      ? slowNotice(judged.job, slow, config, now)
      : undefined;
  return {
    ...judged,
    runs: [
      runWrite(
        id,
        report,
        decision,
        // The finish of a run the facts no longer hold leaves its marks.
        decision.kind === 'close' && !wasOpen && !slow ? undefined : warnings,
      ),
      ...judged.runs,
    ],
    notices: warning ? [...judged.notices, warning] : judged.notices,
    runId: id,
    duplicate: false,
  };
}
