import { cronTimesAround, JobSchedule } from '@tc-portal/plugin-monitor-common';

/**
 * When a run of a scheduled job started, against its schedule: the slot it
 * ran for (a cron time, or, for `every`, its own start), and whether it came
 * too early for it or a second time in it. Times are the portal's clock
 * (epoch ms), as lateness is judged.
 */
export type RunSlot = { startAt: number; slotAt: number };

/** A run that started more than the grace before its slot. */
export type EarlyRun = { slotAt: number; earlyByMs: number };

/** A run that started in a slot an earlier run already ran for. */
export type DuplicateRun = { slotAt: number };

export type SlotVerdict = RunSlot & {
  early?: EarlyRun;
  duplicate?: DuplicateRun;
};

/**
 * The slot of a run that started at `startAt`, and what is wrong with it.
 *
 * - cron: the nearer of the cron times around the start, in the schedule's
 *   time zone (daylight saving time included). A run more than the grace
 *   before it is early; a run after it, or up to the grace before it, is not.
 *   A run whose slot the job's previous run already had is a duplicate.
 * - every: a run starting within the grace of the previous run's start is a
 *   duplicate of it; one starting sooner than the interval less the grace
 *   after it is early.
 *
 * `previous` is the slot of the run that started last before this one, if
 * any.
 */
export function judgeSlot(
  schedule: JobSchedule,
  graceMs: number,
  startAt: number,
  previous: RunSlot | undefined,
): SlotVerdict {
  if (schedule.kind === 'interval') {
    if (!previous || startAt < previous.startAt) {
      return { startAt, slotAt: startAt };
    }
    const since = startAt - previous.startAt;
    if (since <= graceMs) {
      return {
        startAt,
        slotAt: previous.slotAt,
        duplicate: { slotAt: previous.slotAt },
      };
    }
    const dueAt = previous.startAt + schedule.everyMs;
    return since < schedule.everyMs - graceMs
      ? {
          startAt,
          slotAt: startAt,
          early: { slotAt: dueAt, earlyByMs: dueAt - startAt },
        }
      : { startAt, slotAt: startAt };
  }
  const { last, next } = cronTimesAround(
    schedule.cron,
    schedule.timezone,
    new Date(startAt),
  );
  const untilNext = next.getTime() - startAt;
  const sinceLast = startAt - last.getTime();
  const slotAt = untilNext < sinceLast ? next.getTime() : last.getTime();
  const verdict: SlotVerdict = { startAt, slotAt };
  if (slotAt > startAt && slotAt - startAt > graceMs) {
    verdict.early = { slotAt, earlyByMs: slotAt - startAt };
  }
  if (previous && previous.slotAt === slotAt && previous.startAt <= startAt) {
    verdict.duplicate = { slotAt };
  }
  return verdict;
}
