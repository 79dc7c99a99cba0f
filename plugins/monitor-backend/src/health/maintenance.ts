import { cronTimesAround } from '@tc-portal/plugin-monitor-common';

/**
 * A maintenance window: a time when a job's failures, misses and timeouts
 * are expected, so nobody is told of them and the badge leaves them out.
 * Recurring (a cron expression of its starts, in a time zone, and a
 * duration) or once (a start and an end); for the jobs of its scope.
 */
export type MaintenanceWindow = {
  /** Where it comes from: `config:<n>`, or the id of one made on a job. */
  id: string;
  reason: string;
  /** Whom it covers; every job when it names nobody. */
  scope: {
    jobKeys?: string[];
    entityRefs?: string[];
    /** Jobs linked to no entity (an owner scope naming the default owner). */
    unlinked?: boolean;
  };
} & (
  | { kind: 'recurring'; cron: string; timezone: string; durationMs: number }
  | { kind: 'once'; start: Date; end: Date }
);

/** A stretch of time a window covers. */
export type MaintenanceSpan = { start: Date; end: Date; reason: string };

/** Whether a window's scope covers the job. */
export function covers(
  window: MaintenanceWindow,
  job: { jobKey: string; entityRef: string | null },
): boolean {
  const { jobKeys, entityRefs, unlinked } = window.scope;
  if (!jobKeys && !entityRefs && !unlinked) {
    return true;
  }
  return Boolean(
    jobKeys?.includes(job.jobKey) ||
      (job.entityRef !== null && entityRefs?.includes(job.entityRef)) ||
      (unlinked && job.entityRef === null),
  );
}

/**
 * The spans of a window around `at`: the one that covers it or ended last
 * before it, and the next one to start after it. A recurring window's
 * starts follow its cron expression in its time zone, daylight saving time
 * included, and each lasts its duration.
 */
function spansAround(
  window: MaintenanceWindow,
  at: Date,
): { last?: MaintenanceSpan; next?: MaintenanceSpan } {
  const { reason } = window;
  if (window.kind === 'once') {
    const span = { start: window.start, end: window.end, reason };
    return window.start > at ? { next: span } : { last: span };
  }
  const { last, next } = cronTimesAround(window.cron, window.timezone, at);
  const span = (start: Date) => ({
    start,
    end: new Date(start.getTime() + window.durationMs),
    reason,
  });
  return { last: span(last), next: span(next) };
}

/** What the windows of a job say at `at`. */
export type MaintenanceState = {
  /** The span that covers `at`, if any (the one that ends last). */
  current?: MaintenanceSpan;
  /** The span that ended last before `at`: expectations start again then. */
  last?: MaintenanceSpan;
  /** When a window next starts or ends: the job must be judged again then. */
  nextChange?: Date;
};

/** The windows of the job at `at`: whether one covers it, and when next. */
export function maintenanceAt(
  windows: MaintenanceWindow[],
  job: { jobKey: string; entityRef: string | null },
  at: Date,
): MaintenanceState {
  const state: MaintenanceState = {};
  const earlier = (a: Date | undefined, b: Date) => (!a || b < a ? b : a);
  for (const window of windows.filter(w => covers(w, job))) {
    const { last, next } = spansAround(window, at);
    if (last && last.end > at) {
      if (!state.current || last.end > state.current.end) {
        state.current = last;
      }
      state.nextChange = earlier(state.nextChange, last.end);
    } else if (last && (!state.last || last.end > state.last.end)) {
      state.last = last;
    }
    if (next) {
      state.nextChange = earlier(state.nextChange, next.start);
    }
  }
  return state;
}

/** A one-off window that a person put on one job. */
export type JobMaintenanceWindow = {
  id: string;
  start: Date;
  end: Date;
  reason: string;
  /** Who added it. */
  by: string;
};

/** A job's own window, as a window of its one job. */
export function ownWindow(window: JobMaintenanceWindow): MaintenanceWindow {
  return {
    id: window.id,
    reason: window.reason,
    scope: {},
    kind: 'once',
    start: window.start,
    end: window.end,
  };
}

/**
 * A job's own windows with one ended at `now`: one that has not started is
 * dropped, one under way ends now (so the job's expectations start again
 * from now). Undefined when the job has no such window that is not over.
 */
export function endOwnWindow(
  windows: JobMaintenanceWindow[],
  id: string,
  now: Date,
): JobMaintenanceWindow[] | undefined {
  const window = windows.find(w => w.id === id);
  if (!window || window.end <= now) {
    return undefined;
  }
  return window.start > now
    ? windows.filter(w => w !== window)
    : windows.map(w => (w === window ? { ...w, end: now } : w));
}
