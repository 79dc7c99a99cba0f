import { JobHealth, needsAttention } from '@tc-portal/plugin-monitor-common';
import {
  decideCheck,
  decideReport,
  newJob,
  outlivesDeletion,
  TIMEOUT_MESSAGE,
} from './decide';
import { StoredRun } from './pairRun';
import { ConfiguredJob } from './rules';
import { IncomingReport, JobConfig, JobDecision, JobState } from './types';
import { UpstreamJob } from './upstream';

// The decision core, input by input: a job's state, a report or a check,
// its config and the time in; its next state, the runs to write, the change
// and the notice out. No database: what the HTTP tests (../service) show
// over a started backend, these show of the rules alone.

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const T0 = new Date('2026-01-10T10:00:00Z');
const at = (iso: string) => new Date(iso);
const plus = (ms: number) => new Date(T0.getTime() + ms);

function config(
  configured: Partial<ConfiguredJob> = {},
  more: Partial<JobConfig> = {},
): JobConfig {
  return {
    configured: { expectation: {}, ...configured },
    defaults: { graceMs: 15 * MINUTE, maxRuntimeMs: HOUR },
    notify: true,
    maintenance: [],
    reminders: {},
    ...more,
  };
}

function finish(
  receivedAt: Date,
  fields: Partial<IncomingReport> & { status?: 'success' | 'error' } = {},
): IncomingReport {
  return {
    jobKey: 'job',
    title: 'ジョブ',
    status: 'success',
    finishedAt: receivedAt,
    receivedAt,
    message: null,
    ...fields,
  } as IncomingReport;
}

function start(
  receivedAt: Date,
  fields: Partial<IncomingReport> = {},
): IncomingReport {
  return {
    jobKey: 'job',
    title: 'ジョブ',
    status: 'start',
    receivedAt,
    message: null,
    ...fields,
  } as IncomingReport;
}

/**
 * A job that takes inputs one after another, as the writer gives them, and
 * keeps what each decided.
 */
class Timeline {
  job: JobState;
  decisions: JobDecision[] = [];
  /** How the jobs it may depend on stand, given with each input. */
  upstream: UpstreamJob[] = [];
  private ids = 0;
  /** The runs written, by run id, as the writer finds them again. */
  private readonly stored = new Map<string, StoredRun>();

  constructor(
    private readonly jobConfig: JobConfig = config(),
    createdAt = T0,
  ) {
    this.job = newJob('job', 'ジョブ', createdAt);
  }

  report(report: IncomingReport, now = report.receivedAt) {
    const decision = decideReport(this.job, report, {
      storedRun: report.runId ? this.stored.get(report.runId) : undefined,
      newRunId: `run-${++this.ids}`,
      config: this.jobConfig,
      now,
      upstream: this.upstream,
    });
    this.keep(decision);
    const write = decision.runs[0];
    if (report.runId && write && 'create' in write) {
      this.stored.set(report.runId, { id: write.id, ...write.create });
    } else if (report.runId && write && 'update' in write) {
      const run = this.stored.get(report.runId)!;
      this.stored.set(report.runId, { ...run, ...write.update } as StoredRun);
    }
    return decision;
  }

  check(now: Date) {
    const decision = decideCheck(this.job, this.jobConfig, now, this.upstream);
    if (decision) {
      this.keep(decision);
    }
    return decision;
  }

  private keep(decision: JobDecision) {
    this.job = decision.job;
    this.decisions.push(decision);
  }

  /** The recorded changes, oldest first. */
  get changes() {
    return this.decisions.flatMap(d =>
      d.change && d.recordChange ? [[d.change.from ?? null, d.change.to]] : [],
    );
  }

  get notices() {
    return this.decisions.flatMap(d => d.notices);
  }
}

describe('a run: a start and its finish', () => {
  it('pairs a start with its finish by run id, and measures it by the reporter', () => {
    const job = new Timeline();
    // Started by the reporter's clock; its report arrives 2 s later.
    const started = job.report(
      start(plus(2000), { runId: 'r1', startedAt: T0, host: 'batch-01' }),
    );
    expect(started.runs).toEqual([
      {
        id: 'run-1',
        create: expect.objectContaining({
          status: 'running',
          startedAt: T0,
          host: 'batch-01',
        }),
      },
    ]);
    expect(job.job.health).toBe('running');

    const finished = job.report(
      finish(plus(95_000), { runId: 'r1', finishedAt: plus(90_000) }),
    );
    // The same run, closed; the start's host stays (the finish names none).
    expect(finished.runId).toBe('run-1');
    expect(finished.runs).toEqual([
      {
        id: 'run-1',
        update: {
          title: 'ジョブ',
          status: 'success',
          startedAt: T0,
          finishedAt: plus(90_000),
          durationMs: 90_000,
          message: null,
          warnings: [],
        },
      },
    ]);
    expect(job.job).toMatchObject({
      health: 'ok',
      latestOutcome: 'success',
      durationMs: 90_000,
      lastRunId: 'run-1',
      open: [],
    });
  });

  it.each([
    [
      'a finish without a run id closes the oldest start without one, by the portal clock',
      [
        start(T0),
        finish(plus(MINUTE), { finishedAt: at('2026-01-10T09:00:00Z') }),
      ],
      { runs: 1, durationMs: MINUTE, duplicate: false },
    ],
    [
      'a duration sent with the finish alone places its start',
      [finish(T0, { durationMs: 5000 })],
      { runs: 1, durationMs: 5000, duplicate: false },
    ],
    [
      'a start arriving after its finish changes nothing',
      [finish(T0, { runId: 'r1' }), start(plus(MINUTE), { runId: 'r1' })],
      { runs: 1, durationMs: null, duplicate: true },
    ],
  ])('%s', (_, reports, expected) => {
    const job = new Timeline();
    const decisions = reports.map(r => job.report(r));
    const last = decisions.at(-1)!;
    expect(last.duplicate).toBe(expected.duplicate);
    expect(new Set(decisions.map(d => d.runId)).size).toBe(expected.runs);
    expect(job.job.durationMs).toBe(expected.durationMs);
    expect(job.job.health).toBe('ok');
  });

  it('times out a run left open past its maximum runtime, and takes its finish after all', () => {
    const job = new Timeline(
      config({ expectation: { maxRuntimeMs: 30 * MINUTE } }),
    );
    job.report(start(T0, { runId: 'r1' }));
    expect(job.check(plus(29 * MINUTE))).toBeUndefined(); // not due yet
    expect(job.job.nextCheckAt).toEqual(plus(30 * MINUTE));

    const timedOut = job.check(plus(31 * MINUTE))!;
    expect(timedOut.runs).toEqual([
      {
        id: 'run-1',
        update: {
          status: 'timeout',
          // When its maximum runtime ran out, by the clock of its start.
          finishedAt: plus(30 * MINUTE),
          message: TIMEOUT_MESSAGE,
        },
      },
    ]);
    expect(job.job).toMatchObject({
      health: 'timeout',
      latestOutcome: 'timeout',
    });
    expect(job.changes).toEqual([
      [null, 'running'],
      ['running', 'timeout'],
    ]);

    // Its start was stamped by the portal's clock, so its length is too:
    // from the start's arrival to the finish's, whatever the reporter's
    // clock says (9 minutes ahead here).
    const late = job.report(
      finish(plus(31 * MINUTE), { runId: 'r1', finishedAt: plus(40 * MINUTE) }),
      plus(31 * MINUTE),
    );
    expect(late.runId).toBe('run-1');
    expect(late.runs[0]).toMatchObject({
      update: {
        status: 'success',
        durationMs: 31 * MINUTE,
        startedAt: plus(9 * MINUTE),
      },
    });
    expect(job.job.health).toBe('ok');
  });

  it('keeps the later finished run as the one the list shows', () => {
    const job = new Timeline();
    job.report(
      finish(T0, { finishedAt: at('2026-01-10T11:00:00Z'), message: 'later' }),
    );
    job.report(
      finish(plus(MINUTE), {
        finishedAt: T0,
        status: 'error',
        message: 'earlier',
      }),
    );
    expect(job.job).toMatchObject({
      message: 'later',
      latestOutcome: 'success',
      recentOutcomes: ['success', 'error'],
      // The job judges by its runs in the order they finished.
      health: 'ok',
    });
  });
});

describe('a schedule', () => {
  it('is late after its time, missed after its grace, and ok once it reports again', () => {
    const job = new Timeline();
    job.report(
      finish(T0, {
        expectation: {
          schedule: { kind: 'interval', everyMs: HOUR },
          graceMs: 10 * MINUTE,
        },
      }),
    );
    expect(job.job.nextExpectedAt).toEqual(at('2026-01-10T11:00:00Z'));
    const healths: Array<[string, JobHealth]> = [
      ['2026-01-10T10:59:00Z', 'ok'],
      ['2026-01-10T11:05:00Z', 'late'],
      ['2026-01-10T11:10:00Z', 'missed'],
    ];
    for (const [time, health] of healths) {
      job.check(at(time));
      expect(job.job.health).toBe(health);
    }
    expect(job.job.healthSince).toEqual(at('2026-01-10T11:10:00Z'));
    job.report(finish(at('2026-01-10T11:30:00Z')));
    expect(job.changes).toEqual([
      [null, 'ok'],
      ['ok', 'late'],
      ['late', 'missed'],
      ['missed', 'ok'],
    ]);
  });

  it('judges lateness by when reports arrive, not by the job clock', () => {
    const job = new Timeline();
    // The reporting machine's clock is two hours behind.
    job.report(
      finish(T0, {
        finishedAt: at('2026-01-10T08:00:00Z'),
        expectation: { schedule: { kind: 'interval', everyMs: HOUR } },
      }),
    );
    job.check(at('2026-01-10T10:30:00Z'));
    expect(job.job.health).toBe('ok');
  });

  it.each([
    // 02:30 every night in New York; on 2026-11-01 clocks fall back from
    // 02:00 EDT to 01:00 EST, so 02:30 that night is 07:30 UTC.
    ['2026-11-01T06:45:00Z', 'ok'],
    ['2026-11-01T07:45:00Z', 'late'],
    ['2026-11-01T08:00:00Z', 'missed'],
  ] as const)(
    'follows a cron schedule across the end of daylight saving time: %s is %s',
    (time, health) => {
      const job = new Timeline(config(), at('2026-10-31T06:31:00Z'));
      job.report(
        finish(at('2026-10-31T06:31:00Z'), {
          expectation: {
            schedule: {
              kind: 'cron',
              cron: '30 2 * * *',
              timezone: 'America/New_York',
            },
            graceMs: 30 * MINUTE,
          },
        }),
      );
      expect(job.job.nextExpectedAt).toEqual(at('2026-11-01T07:30:00Z'));
      job.check(at(time));
      expect(job.job.health).toBe(health);
    },
  );

  it('watches a configured job that never reported, from when the portal knew it', () => {
    const job = new Timeline(
      config({
        expectation: {
          schedule: { kind: 'cron', cron: '0 9 * * 1', timezone: 'Asia/Tokyo' },
          graceMs: HOUR,
        },
      }),
    );
    // Config makes it known and due at start-up.
    job.job = { ...job.job, nextCheckAt: T0 };
    job.check(T0);
    expect(job.job.health).toBe('ok');
    // Monday 2026-01-12 09:00 JST is 00:00 UTC; missed an hour later.
    job.check(at('2026-01-12T01:00:00Z'));
    expect(job.job.health).toBe('missed');
    expect(job.job.healthReason).toMatchObject({
      code: 'missed',
      lastReportAt: null,
    });
  });
});

describe('thresholds', () => {
  const outcomes = (job: Timeline, statuses: Array<'success' | 'error'>) =>
    statuses.map((status, i) => {
      job.report(finish(plus((i + 1) * MINUTE), { status }));
      return job.job.health;
    });

  it('fails after N failures in a row, and recovers after M successes', () => {
    const job = new Timeline(
      config({ failureThreshold: 2, recoveryThreshold: 2 }),
    );
    expect(
      outcomes(job, [
        'error',
        'error',
        'success',
        'error',
        'success',
        'success',
      ]),
    ).toEqual(['ok', 'error', 'error', 'error', 'error', 'ok']);
  });

  it("takes a report's thresholds, config's winning field by field", () => {
    const reported = {
      expectation: {
        schedule: { kind: 'interval' as const, everyMs: HOUR },
        failureThreshold: 2,
        recoveryThreshold: 2,
      },
    };
    const job = new Timeline(config({ failureThreshold: 3 }));
    const healths = ['error', 'error', 'error', 'success', 'success'].map(
      (status, i) => {
        job.report(
          finish(plus((i + 1) * MINUTE), {
            status: status as 'error',
            ...reported,
          }),
        );
        return [job.job.health, job.job.healthReason?.code];
      },
    );
    expect(healths).toEqual([
      ['ok', 'belowThreshold'],
      ['ok', 'belowThreshold'],
      ['error', 'failed'],
      ['error', 'recovering'],
      ['ok', 'succeeded'],
    ]);
  });

  it('counts failures past the twenty the outcome strip shows', () => {
    const job = new Timeline(config({ failureThreshold: 25 }));
    const healths = outcomes(job, Array(25).fill('error'));
    expect(healths.lastIndexOf('ok')).toBe(23);
    expect(healths[24]).toBe('error');
    expect(job.job.recentOutcomes).toHaveLength(20);
    expect(job.job.recent).toHaveLength(25);
  });
});

describe('a run slower than usual', () => {
  /** A success of `seconds`, timed by `started_at`, at `minute`. */
  const run = (job: Timeline, minute: number, seconds: number) =>
    job.report(
      finish(plus(minute * MINUTE), {
        startedAt: plus(minute * MINUTE - seconds * 1000),
      }),
    );
  /** Ten runs of 50 to 59 s: a p50 of 54 s and a p95 of 59 s. */
  const usual = (job: Timeline) => {
    for (let i = 0; i < 10; i++) run(job, i + 1, 50 + i);
  };
  const owned = (configured: Partial<ConfiguredJob> = {}) =>
    new Timeline(
      config({ entityRef: 'component:default/backup', ...configured }),
    );

  it('is marked slow on the run and the job, and told once to the owners as a warning', () => {
    const job = owned();
    usual(job);
    const decision = run(job, 20, 119);
    expect(decision.runs[0]).toMatchObject({
      create: {
        status: 'success',
        warnings: [
          {
            kind: 'slow',
            durationMs: 119_000,
            p50Ms: 54_000,
            p95Ms: 59_000,
            slowFactor: 2,
          },
        ],
      },
    });
    expect(job.job.latestWarnings).toEqual(['slow']);
    // A warning: the job stays healthy and is not counted.
    expect(job.job.health).toBe('ok');
    expect(job.job.recentOutcomes[0]).toBe('success');
    expect(decision.change).toBeUndefined();
    expect(decision.notices).toEqual([
      {
        jobKey: 'job',
        kind: 'slow',
        severity: 'normal',
        recipients: ['component:default/backup'],
        change: expect.objectContaining({
          from: 'ok',
          to: 'ok',
          reason: {
            code: 'slow',
            failures: 0,
            durationMs: 119_000,
            p50Ms: 54_000,
            p95Ms: 59_000,
            slowFactor: 2,
          },
        }),
      },
    ]);
    // The next run of its usual length clears the list's mark.
    expect(run(job, 30, 55).notices).toEqual([]);
    expect(job.job.latestWarnings).toEqual([]);
  });

  it('needs ten runs before it, and stays under p95 × factor unmarked', () => {
    const job = owned();
    for (let i = 0; i < 9; i++) run(job, i + 1, 50);
    expect(run(job, 15, 3000).runs[0]).toMatchObject({
      create: { warnings: [] },
    });
    const full = owned();
    usual(full);
    expect(run(full, 20, 118).notices).toEqual([]);
  });

  it('follows the factor of config, and is off at 0', () => {
    const three = owned({ slowFactor: 3 });
    usual(three);
    expect(run(three, 20, 177).notices).toEqual([]);
    const again = owned({ slowFactor: 3 });
    usual(again);
    expect(run(again, 20, 178).notices).toEqual([
      expect.objectContaining({ kind: 'slow' }),
    ]);
    const off = owned({ slowFactor: 0 });
    usual(off);
    expect(run(off, 20, 3600).runs[0]).toMatchObject({
      create: { warnings: [] },
    });
  });

  it('counts as a failure where config says so, told as the failure', () => {
    const job = owned({ slowCountsAsFailure: true });
    usual(job);
    const decision = run(job, 20, 200);
    expect(job.job.health).toBe('error');
    expect(job.job.healthReason).toEqual({
      code: 'slow',
      failures: 1,
      durationMs: 200_000,
      p50Ms: 54_000,
      p95Ms: 59_000,
      slowFactor: 2,
    });
    expect(decision.notices).toEqual([
      expect.objectContaining({ kind: 'failure' }),
    ]);
    run(job, 30, 55);
    expect(job.job.health).toBe('ok');
  });

  it('tells nobody while the job is muted', () => {
    const job = owned();
    usual(job);
    job.job = {
      ...job.job,
      mute: { by: 'user:default/a', at: T0, until: plus(HOUR), reason: 'x' },
    };
    const decision = run(job, 20, 200);
    expect(decision.notices).toEqual([]);
    expect(job.job.latestWarnings).toEqual(['slow']);
  });
});

describe('a run too early, or a second run in the same slot', () => {
  // Daily at 02:00 in Tokyo (17:00 UTC), with 15 minutes of grace.
  const daily = () =>
    new Timeline(
      config({
        expectation: {
          schedule: { kind: 'cron', cron: '0 2 * * *', timezone: 'Asia/Tokyo' },
          graceMs: 15 * MINUTE,
        },
      }),
      at('2026-01-09T00:00:00Z'),
    );
  const SLOT = at('2026-01-09T17:00:00Z').getTime();
  const when = (offset: number) => new Date(SLOT + offset);

  it('marks a start more than the grace before its slot early, on the run and, when it finishes, on the list', () => {
    const job = daily();
    const started = job.report(start(when(-20 * MINUTE), { runId: 'a' }));
    const early = {
      kind: 'early',
      slotAt: '2026-01-09T17:00:00.000Z',
      earlyByMs: 20 * MINUTE,
    };
    expect(started.runs[0]).toMatchObject({ create: { warnings: [early] } });
    const finished = job.report(finish(when(-10 * MINUTE), { runId: 'a' }));
    expect(finished.runs[0]).toMatchObject({ update: { warnings: [early] } });
    expect(job.job.latestWarnings).toEqual(['early']);
    // A warning only: no change of health, nobody told.
    expect(job.job.health).toBe('ok');
    expect(finished.notices).toEqual([]);
  });

  it('marks a second run in the same slot a duplicate, timed by its duration', () => {
    const job = daily();
    job.report(finish(when(10 * MINUTE), { durationMs: 10 * MINUTE }));
    expect(job.job.latestWarnings).toEqual([]);
    const second = job.report(
      finish(when(12 * MINUTE), { durationMs: 11 * MINUTE }),
    );
    expect(second.runs[0]).toMatchObject({
      create: {
        warnings: [{ kind: 'duplicate', slotAt: '2026-01-09T17:00:00.000Z' }],
      },
    });
    expect(job.job.latestWarnings).toEqual(['duplicate']);
    // The next day's run is neither.
    job.report(finish(when(24 * HOUR + 5 * MINUTE), { durationMs: MINUTE }));
    expect(job.job.latestWarnings).toEqual([]);
  });

  it('judges neither a run whose start it cannot time, nor a job without a schedule', () => {
    const job = daily();
    job.report(finish(when(-HOUR)));
    expect(job.job.latestWarnings).toEqual([]);
    const unscheduled = new Timeline();
    unscheduled.report(start(when(-HOUR), { runId: 'a' }));
    expect(
      unscheduled.report(start(when(-HOUR + MINUTE), { runId: 'b' })).runs[0],
    ).toMatchObject({ create: { warnings: [] } });
  });
});

describe('a job whose upstream job fails', () => {
  const exportJob = (health: JobHealth): UpstreamJob => ({
    jobKey: 'export',
    title: 'エクスポート',
    health,
  });
  /** A job of its own entity that depends on `upstream`. */
  const downstream = (jobKey: string, upstream: string) => {
    const job = new Timeline(
      config({
        expectation: { dependsOn: [upstream] },
        entityRef: `component:default/${jobKey}`,
      }),
    );
    job.job = { ...job.job, jobKey };
    return job;
  };
  const fail = (job: Timeline, minute: number) =>
    job.report(
      finish(plus(minute * MINUTE), {
        jobKey: job.job.jobKey,
        status: 'error',
      }),
    );
  const pass = (job: Timeline, minute: number) =>
    job.report(finish(plus(minute * MINUTE), { jobKey: job.job.jobKey }));
  /** Judged again, as when the upstream job started or stopped failing. */
  const rejudge = (job: Timeline, minute: number) => {
    job.job = { ...job.job, nextCheckAt: plus(minute * MINUTE) };
    return job.check(plus(minute * MINUTE))!;
  };
  const attention = (job: Timeline) => needsAttention(job.job, plus(HOUR));

  it("fails because of it: marked, logged, told of in the upstream's stead and not counted", () => {
    const job = downstream('import', 'export');
    job.upstream = [exportJob('error')];
    const failed = fail(job, 1);
    expect(job.job).toMatchObject({
      health: 'error',
      upstream: { jobKey: 'export', title: 'エクスポート' },
      dependsOn: ['export'],
    });
    expect(failed.change).toMatchObject({ from: undefined, to: 'error' });
    expect(failed.notices).toEqual([]);
    expect(attention(job)).toBe(false);
  });

  it('ignores the failures of jobs it does not depend on, and passes as it passes', () => {
    const job = downstream('import', 'other');
    job.upstream = [exportJob('error')];
    expect(fail(job, 1).notices).toEqual([
      expect.objectContaining({ kind: 'failure' }),
    ]);
    expect(job.job.upstream).toBeNull();
    expect(attention(job)).toBe(true);
    const passing = downstream('import', 'export');
    passing.upstream = [exportJob('error')];
    pass(passing, 1);
    expect(passing.job.upstream).toBeNull();
  });

  it('when the upstream job passes first, is judged again on its own: told of and counted', () => {
    const job = downstream('import', 'export');
    job.upstream = [exportJob('missed')];
    fail(job, 1);
    job.upstream = [exportJob('ok')];
    const released = rejudge(job, 2);
    expect(job.job.upstream).toBeNull();
    expect(released.notices).toEqual([
      expect.objectContaining({
        kind: 'failure',
        recipients: ['component:default/import'],
        change: expect.objectContaining({ to: 'error' }),
      }),
    ]);
    expect(attention(job)).toBe(true);
    // Its own recovery is told, as any.
    expect(pass(job, 3).notices).toEqual([
      expect.objectContaining({ kind: 'recovery' }),
    ]);
  });

  it('when it passes first, tells nobody of its recovery, nor later of the upstream passing', () => {
    const job = downstream('import', 'export');
    job.upstream = [exportJob('error')];
    fail(job, 1);
    const recovered = pass(job, 2);
    expect(job.job).toMatchObject({ health: 'ok', upstream: null });
    expect(recovered.notices).toEqual([]);
    job.upstream = [exportJob('ok')];
    expect(rejudge(job, 3).notices).toEqual([]);
  });

  it('along a chain of three, counts and tells the first failing job only, and each again as the one before it passes', () => {
    // export ← import ← report
    const importJob = downstream('import', 'export');
    const reportJob = downstream('report', 'import');
    const standing = (job: Timeline): UpstreamJob => ({
      jobKey: job.job.jobKey,
      title: job.job.title,
      health: job.job.health,
    });
    importJob.upstream = [exportJob('error')];
    fail(importJob, 1);
    reportJob.upstream = [standing(importJob)];
    expect(fail(reportJob, 2).notices).toEqual([]);
    expect(reportJob.job.upstream).toMatchObject({ jobKey: 'import' });
    expect([attention(importJob), attention(reportJob)]).toEqual([
      false,
      false,
    ]);

    // The export passes: the import fails on its own; the report still
    // fails because of the import.
    importJob.upstream = [exportJob('ok')];
    expect(rejudge(importJob, 3).notices).toHaveLength(1);
    reportJob.upstream = [standing(importJob)];
    expect(rejudge(reportJob, 3).notices).toEqual([]);
    expect([attention(importJob), attention(reportJob)]).toEqual([true, false]);

    // The import passes: the report is on its own.
    pass(importJob, 4);
    reportJob.upstream = [standing(importJob)];
    expect(rejudge(reportJob, 5).notices).toEqual([
      expect.objectContaining({ kind: 'failure' }),
    ]);
    expect(attention(reportJob)).toBe(true);
  });
});

describe('a run too fast to have done its work', () => {
  const FIVE_MINUTES = 5 * MINUTE;
  /** A success of `seconds`, timed by `started_at`, or untimed (null). */
  const run = (
    job: Timeline,
    minute: number,
    seconds: number | null,
    fields: Pick<Partial<IncomingReport>, 'expectation'> = {},
  ) =>
    job.report(
      finish(plus(minute * MINUTE), {
        ...(seconds !== null && {
          startedAt: plus(minute * MINUTE - seconds * 1000),
        }),
        ...fields,
      }),
    );

  it.each([
    ['2 s against 5 min', FIVE_MINUTES, 2, 'error', 'tooFast'],
    ['exactly the minimum', FIVE_MINUTES, 300, 'ok', 'succeeded'],
    ['longer than the minimum', FIVE_MINUTES, 600, 'ok', 'succeeded'],
    ['no start to time it by', FIVE_MINUTES, null, 'ok', 'succeeded'],
    ['no minimum runtime', undefined, 2, 'ok', 'succeeded'],
  ] as const)(
    'judges a success of %s',
    (_, minRuntimeMs, seconds, health, code) => {
      const job = new Timeline(config({ expectation: { minRuntimeMs } }));
      run(job, 1, seconds);
      expect([job.job.health, job.job.healthReason?.code]).toEqual([
        health,
        code,
      ]);
    },
  );

  it('says how fast the run was against what was expected, and tells the owners', () => {
    const job = new Timeline(
      config({
        expectation: { minRuntimeMs: FIVE_MINUTES },
        entityRef: 'component:default/backup',
      }),
    );
    run(job, 1, 600);
    const decision = run(job, 2, 2);
    expect(job.job.healthReason).toEqual({
      code: 'tooFast',
      failures: 1,
      durationMs: 2000,
      minRuntimeMs: FIVE_MINUTES,
    });
    expect(job.job.recentOutcomes).toEqual(['error', 'success']);
    expect(decision.notices).toEqual([
      expect.objectContaining({
        kind: 'failure',
        severity: 'high',
        recipients: ['component:default/backup'],
      }),
    ]);
    // The run is stored as the job reported it.
    expect(decision.runs[0]).toMatchObject({
      create: { status: 'success', durationMs: 2000 },
    });
  });

  it('times a finish by its start report, and counts toward the failure threshold', () => {
    const job = new Timeline(
      config({
        expectation: { minRuntimeMs: FIVE_MINUTES },
        failureThreshold: 2,
      }),
    );
    job.report(start(plus(MINUTE), { runId: 'a', startedAt: plus(MINUTE) }));
    job.report(finish(plus(MINUTE + 3000), { runId: 'a' }));
    expect(job.job.healthReason?.code).toBe('belowThreshold');
    job.report(start(plus(2 * MINUTE), { runId: 'b' }));
    job.report(finish(plus(2 * MINUTE + 3000), { runId: 'b' }));
    expect(job.job.health).toBe('error');
    expect(job.job.healthReason).toEqual({
      code: 'tooFast',
      failures: 2,
      durationMs: 3000,
      minRuntimeMs: FIVE_MINUTES,
    });
    // A run of its full length ends it.
    run(job, 20, 400);
    expect(job.job.health).toBe('ok');
  });

  it("takes the minimum runtime from the report's schedule, config's winning", () => {
    const reported = {
      expectation: {
        schedule: { kind: 'interval' as const, everyMs: HOUR },
        minRuntimeMs: 10 * 1000,
      },
    };
    const fromReport = new Timeline(config());
    run(fromReport, 1, 5, reported);
    expect(fromReport.job.healthReason).toMatchObject({
      code: 'tooFast',
      minRuntimeMs: 10 * 1000,
    });
    const fromConfig = new Timeline(
      config({ expectation: { minRuntimeMs: 2 * 1000 } }),
    );
    run(fromConfig, 1, 5, reported);
    expect(fromConfig.job.health).toBe('ok');
  });
});

describe('what is told, and to whom', () => {
  const entity = 'component:default/price-service';

  it('tells a failure urgently, and its recovery normally, to the entity', () => {
    const job = new Timeline();
    job.report(finish(T0, { entityRef: entity }));
    job.report(finish(plus(MINUTE), { status: 'error' }));
    job.report(finish(plus(2 * MINUTE)));
    expect(
      job.notices.map(n => [n.kind, n.severity, n.recipients, n.change.to]),
    ).toEqual([
      ['failure', 'high', [entity], 'error'],
      ['recovery', 'normal', [entity], 'ok'],
    ]);
  });

  it.each([
    [
      'the default owner, for a job linked to no entity',
      config({}, { defaultOwner: 'group:default/ops' }),
      ['group:default/ops'],
    ],
    ['nobody, without a default owner', config(), undefined],
    [
      'nobody, with notifications off',
      config({}, { defaultOwner: 'group:default/ops', notify: false }),
      undefined,
    ],
  ])('tells %s', (_, jobConfig, recipients) => {
    const job = new Timeline(jobConfig);
    job.report(finish(T0, { status: 'error' }));
    expect(job.notices[0]?.recipients).toEqual(recipients);
  });

  it('tells nothing of a muted job, of a first success, or of a late run', () => {
    const job = new Timeline(config({}, { defaultOwner: 'group:default/ops' }));
    job.report(
      finish(T0, {
        expectation: {
          schedule: { kind: 'interval', everyMs: HOUR },
          graceMs: 10 * MINUTE,
        },
      }),
    );
    job.check(at('2026-01-10T11:05:00Z'));
    expect(job.job.health).toBe('late');
    job.job = {
      ...job.job,
      mute: {
        by: 'user:default/ops',
        at: T0,
        until: at('2026-01-11T00:00:00Z'),
        reason: 'x',
      },
    };
    job.check(at('2026-01-10T11:10:00Z'));
    expect(job.job.health).toBe('missed');
    expect(job.notices).toEqual([]);
  });

  it('ends an acknowledgement at the next change of health', () => {
    const job = new Timeline();
    job.report(finish(T0, { status: 'error' }));
    const acknowledgement = {
      by: 'user:default/ops',
      at: T0,
      comment: 'on it',
    };
    job.job = { ...job.job, acknowledgement };
    job.report(finish(plus(MINUTE), { status: 'error' }));
    expect(job.job.acknowledgement).toEqual(acknowledgement);
    job.report(finish(plus(2 * MINUTE)));
    expect(job.job.acknowledgement).toBeNull();
  });
});

describe('a maintenance window', () => {
  // Every 10 minutes, a minute's grace; a window from 10:30 to 11:00.
  const every10 = {
    expectation: {
      schedule: { kind: 'interval' as const, everyMs: 10 * MINUTE },
      graceMs: MINUTE,
    },
  };
  const window = {
    id: 'config:0',
    reason: '移行作業',
    scope: {},
    kind: 'once' as const,
    start: at('2026-01-10T10:30:00Z'),
    end: at('2026-01-10T11:00:00Z'),
  };
  const inWindow = () =>
    new Timeline(
      config({}, { defaultOwner: 'group:default/ops', maintenance: [window] }),
    );

  it('marks the job in maintenance while it lasts, and notifies none of its misses', () => {
    const job = inWindow();
    job.report(finish(T0, every10));
    // Judged when the window opens, though nothing is due then.
    expect(job.job.nextCheckAt).toEqual(plus(10 * MINUTE));
    job.check(plus(10 * MINUTE));
    job.check(at('2026-01-10T10:20:00Z'));
    expect(job.job.health).toBe('missed');
    expect(job.notices.map(n => n.change.to)).toEqual(['missed']);

    job.check(at('2026-01-10T10:30:00Z'));
    expect(job.job.maintenance).toEqual({
      until: at('2026-01-10T11:00:00Z'),
      reason: '移行作業',
    });
    job.report(
      finish(at('2026-01-10T10:35:00Z'), { status: 'error', ...every10 }),
    );
    job.check(at('2026-01-10T10:50:00Z'));
    // A report within the window is judged as usual; a miss before the
    // window began stays a miss.
    expect(job.job.health).toBe('error');
    // Failures and misses inside the window tell nobody.
    expect(job.notices.map(n => n.change.to)).toEqual(['missed']);
  });

  it('expects the next run from the end of the window, not missed the minute it closes', () => {
    const job = inWindow();
    job.report(finish(at('2026-01-10T10:25:00Z'), every10));
    job.check(at('2026-01-10T10:30:00Z'));
    job.check(at('2026-01-10T10:50:00Z'));
    expect(job.job.maintenance).not.toBeNull();
    // The runs due within the window are forgiven.
    expect(job.job.health).toBe('ok');

    const closed = job.check(at('2026-01-10T11:00:00Z'))!;
    expect(closed.job.maintenance).toBeNull();
    expect(job.job.health).toBe('ok');
    expect(job.job.nextExpectedAt).toEqual(at('2026-01-10T11:10:00Z'));
    job.check(at('2026-01-10T11:10:30Z'));
    expect(job.job.health).toBe('late');
    job.check(at('2026-01-10T11:11:00Z'));
    expect(job.job.health).toBe('missed');
    expect(job.notices.at(-1)?.change.to).toBe('missed');
  });

  it('covers a job by its own one-off window, and forgets it after the first report past its end', () => {
    const job = new Timeline();
    job.report(finish(at('2026-01-10T10:25:00Z'), every10));
    const own = {
      id: 'w1',
      start: window.start,
      end: window.end,
      reason: window.reason,
      by: 'user:default/guest',
    };
    job.job = { ...job.job, maintenanceWindows: [own] };
    job.check(at('2026-01-10T10:40:00Z'));
    expect(job.job.maintenance?.reason).toBe('移行作業');
    job.check(at('2026-01-10T11:00:00Z'));
    expect(job.job.maintenance).toBeNull();
    // Kept while it still says when the next run is due.
    job.check(at('2026-01-10T11:05:00Z'));
    expect(job.job.health).toBe('ok');
    expect(job.job.nextExpectedAt).toEqual(at('2026-01-10T11:10:00Z'));
    expect(job.job.maintenanceWindows).toEqual([own]);

    job.report(finish(at('2026-01-10T11:09:00Z'), every10));
    expect(job.job.maintenanceWindows).toEqual([]);
  });
});

describe("a report's entity and expectations", () => {
  it("links the job to the entity its report names, unless config's or the catalog's wins", () => {
    const job = new Timeline();
    job.report(finish(T0, { entityRef: 'component:default/a' }));
    expect([job.job.entityRef, job.job.entitySource]).toEqual([
      'component:default/a',
      'report',
    ]);
    // A later report naming none keeps it.
    job.report(finish(plus(MINUTE)));
    expect(job.job.entityRef).toBe('component:default/a');

    job.job = {
      ...job.job,
      entityRef: 'component:default/c',
      entitySource: 'catalog',
    };
    job.report(finish(plus(2 * MINUTE), { entityRef: 'component:default/b' }));
    expect([job.job.entityRef, job.job.reportedEntityRef]).toEqual([
      'component:default/c',
      'component:default/b',
    ]);

    const configured = new Timeline(
      config({ entityRef: 'component:default/k' }),
    );
    configured.report(finish(T0, { entityRef: 'component:default/b' }));
    expect([configured.job.entityRef, configured.job.entitySource]).toEqual([
      'component:default/k',
      'config',
    ]);
  });

  it('is called what its reports call it until a run finishes, then what that run was called', () => {
    const job = new Timeline();
    job.report(start(T0, { title: '開始時の名前' }));
    expect(job.job.title).toBe('開始時の名前');
    job.report(finish(plus(MINUTE), { title: '完了時の名前' }));
    expect(job.job.title).toBe('完了時の名前');
  });

  it('hides the runs a deletion hid, and takes those after it', () => {
    const deletedAt = plus(MINUTE);
    expect(outlivesDeletion(finish(T0), deletedAt)).toBe(false);
    expect(outlivesDeletion(finish(plus(2 * MINUTE)), deletedAt)).toBe(true);
    expect(
      outlivesDeletion(start(plus(2 * MINUTE), { startedAt: T0 }), deletedAt),
    ).toBe(false);
  });
});

describe('reminders and escalation', () => {
  const owner = 'group:default/ops';
  const remindful = (reminders: JobConfig['reminders']) =>
    new Timeline(config({}, { defaultOwner: owner, reminders }));
  const told = (job: Timeline) =>
    job.notices.map(n => [n.kind, n.recipients[0]]);
  const failed = (job: Timeline) =>
    job.report(finish(T0, { status: 'error', message: 'KeyError' }));

  it('reminds the owners every remindEvery while the job needs attention, and stops at an acknowledgement', () => {
    const job = remindful({ remindEveryMs: 30 * MINUTE });
    failed(job);
    expect(job.job.nextCheckAt).toEqual(plus(30 * MINUTE));
    expect(job.check(plus(29 * MINUTE))).toBeUndefined();
    job.check(plus(30 * MINUTE));
    job.check(plus(60 * MINUTE));
    expect(told(job)).toEqual([
      ['failure', owner],
      ['reminder', owner],
      ['reminder', owner],
    ]);
    const reminder = job.notices[1];
    expect(reminder).toMatchObject({
      severity: 'high',
      change: { from: 'error', to: 'error', at: plus(30 * MINUTE) },
    });

    job.job = {
      ...job.job,
      acknowledgement: { by: 'user:default/guest', at: T0, comment: '調査中' },
    };
    job.check(plus(90 * MINUTE));
    expect(job.notices).toHaveLength(3);
    // Nothing is due while it is acknowledged.
    expect(job.job.nextCheckAt).toBeNull();

    // Taken back, the reminders go on from the last one.
    job.job = {
      ...job.job,
      acknowledgement: null,
      nextCheckAt: plus(100 * MINUTE),
    };
    job.check(plus(100 * MINUTE));
    expect(told(job).at(-1)).toEqual(['reminder', owner]);
    expect(job.job.nextCheckAt).toEqual(plus(130 * MINUTE));
  });

  it('escalates once, after escalateAfter, to escalateTo or the parent of the owner', () => {
    const job = remindful({ escalateAfterMs: HOUR, escalateTo: 'parent' });
    failed(job);
    expect(job.job.nextCheckAt).toEqual(plus(HOUR));
    job.check(plus(HOUR));
    expect(job.notices.at(-1)).toMatchObject({
      kind: 'escalation',
      severity: 'critical',
      recipients: [{ parentOf: owner }],
    });
    expect(job.job.nextCheckAt).toBeNull();

    const named = remindful({
      escalateAfterMs: HOUR,
      escalateTo: 'group:default/managers',
    });
    failed(named);
    named.check(plus(HOUR));
    expect(told(named)).toEqual([
      ['failure', owner],
      ['escalation', 'group:default/managers'],
    ]);
  });

  it('holds them while muted, and goes on when the mute ends', () => {
    const job = remindful({ remindEveryMs: 30 * MINUTE });
    failed(job);
    job.job = {
      ...job.job,
      mute: {
        by: 'user:default/guest',
        at: T0,
        until: plus(45 * MINUTE),
        reason: '作業中',
      },
    };
    job.check(plus(30 * MINUTE));
    expect(job.job.nextCheckAt).toEqual(plus(45 * MINUTE));
    job.check(plus(45 * MINUTE));
    expect(told(job)).toEqual([
      ['failure', owner],
      ['reminder', owner],
    ]);
  });

  it('stops at a recovery, and starts afresh with the next failure', () => {
    const job = remindful({
      remindEveryMs: 30 * MINUTE,
      escalateAfterMs: HOUR,
      escalateTo: 'group:default/managers',
    });
    failed(job);
    job.check(plus(HOUR));
    expect(told(job).map(([kind]) => kind)).toEqual([
      'failure',
      'reminder',
      'escalation',
    ]);
    job.report(finish(plus(70 * MINUTE)));
    expect(job.job.nextCheckAt).toBeNull();
    expect(job.job.failingSince).toBeNull();

    job.report(finish(plus(2 * HOUR), { status: 'error' }));
    job.check(plus(3 * HOUR));
    expect(
      told(job)
        .slice(4)
        .map(([kind]) => kind),
    ).toEqual(['failure', 'reminder', 'escalation']);
  });

  it('reminds nobody in a maintenance window, nor when notifications are off', () => {
    const silent = new Timeline(
      config(
        {},
        {
          defaultOwner: owner,
          notify: false,
          reminders: { remindEveryMs: 30 * MINUTE },
        },
      ),
    );
    failed(silent);
    silent.check(plus(30 * MINUTE));
    expect(silent.notices).toEqual([]);

    const job = remindful({ remindEveryMs: 30 * MINUTE });
    failed(job);
    job.job = {
      ...job.job,
      maintenanceWindows: [
        {
          id: 'w',
          start: plus(10 * MINUTE),
          end: plus(2 * HOUR),
          reason: '移行',
          by: 'user:default/guest',
        },
      ],
    };
    job.check(plus(10 * MINUTE));
    job.check(plus(30 * MINUTE));
    expect(told(job)).toEqual([['failure', owner]]);
    // Judged again when the window ends, and reminded then.
    job.check(plus(2 * HOUR));
    expect(told(job).at(-1)).toEqual(['reminder', owner]);
  });
});
