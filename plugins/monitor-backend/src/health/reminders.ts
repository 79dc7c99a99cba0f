import {
  isFailingHealth,
  needsAttention,
} from '@tc-portal/plugin-monitor-common';
import { earliest } from './time';

/**
 * How a job's owners are kept on a job that needs attention: reminded every
 * `remindEveryMs`, and `escalateTo` told once after `escalateAfterMs`. Off
 * where unset.
 */
export type ReminderRules = {
  remindEveryMs?: number;
  escalateAfterMs?: number;
  /** An entity ref, or `parent`: the parent of the group that owns the job. */
  escalateTo?: string;
};

/** What a job keeps of its reminders. */
export type ReminderState = {
  /** When its health last became failing (from not failing); null if not. */
  failingSince: Date | null;
  /**
   * When its owners were last reminded in this failure (its start, the
   * first notice); set whenever failingSince is.
   */
  remindedAt: Date | null;
  /** When this failure was escalated. */
  escalatedAt: Date | null;
};

/** Who hears of a job: an entity ref, or the parent of a group (see ReminderRules). */
export type NoticeRecipient = string | { parentOf: string };

type JobForReminders = ReminderState & {
  health: Parameters<typeof needsAttention>[0]['health'];
  acknowledgement: object | null;
  mute: { until: Date } | null;
  maintenance: { until: Date } | null;
};

/**
 * The reminders a job is owed at `now`, after its judging moved it from
 * `before`: which to send, the state after them, and when the next falls
 * due (undefined when none will without a change). They stop while the job
 * needs no attention (acknowledged, muted, in maintenance, or not failing)
 * and start again from the last reminder when it needs attention again; a
 * new failure starts them afresh.
 */
export function remindersAt(
  before: ReminderState & { health: JobForReminders['health'] },
  job: JobForReminders,
  rules: ReminderRules,
  now: Date,
): {
  state: ReminderState;
  remind: boolean;
  escalate: boolean;
  nextDue?: Date;
} {
  let state: ReminderState = {
    failingSince: before.failingSince,
    remindedAt: before.remindedAt,
    escalatedAt: before.escalatedAt,
  };
  if (!isFailingHealth(job.health)) {
    state = { failingSince: null, remindedAt: null, escalatedAt: null };
    return { state, remind: false, escalate: false };
  }
  if (!isFailingHealth(before.health) || state.failingSince === null) {
    // A new failure: its first notice is the change of health itself.
    state = { failingSince: now, remindedAt: now, escalatedAt: null };
  }
  const { remindEveryMs, escalateAfterMs, escalateTo } = rules;
  const remindAt =
    remindEveryMs !== undefined
      ? new Date(state.remindedAt!.getTime() + remindEveryMs)
      : undefined;
  const escalateAt =
    escalateAfterMs !== undefined && escalateTo && !state.escalatedAt
      ? new Date(state.failingSince!.getTime() + escalateAfterMs)
      : undefined;
  if (!needsAttention(job, now)) {
    // Held: by a mute until it ends (the job is judged again then); by an
    // acknowledgement or a window until they are taken back or end.
    const held = remindAt || escalateAt;
    const muteEnds =
      held && job.mute && job.mute.until > now ? job.mute.until : undefined;
    return { state, remind: false, escalate: false, nextDue: muteEnds };
  }
  const remind = remindAt !== undefined && remindAt <= now;
  const escalate = escalateAt !== undefined && escalateAt <= now;
  if (remind) {
    state = { ...state, remindedAt: now };
  }
  if (escalate) {
    state = { ...state, escalatedAt: now };
  }
  const nextDue = earliest(
    remindEveryMs !== undefined
      ? new Date(state.remindedAt!.getTime() + remindEveryMs)
      : undefined,
    escalate ? undefined : escalateAt,
  );
  return { state, remind, escalate, nextDue: nextDue ?? undefined };
}

/** Who is told of an escalation of a job linked to `owner` (its entity or owner). */
export function escalationRecipient(
  escalateTo: string,
  owner: string,
): NoticeRecipient {
  return escalateTo === 'parent' ? { parentOf: owner } : escalateTo;
}
