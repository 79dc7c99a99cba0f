import { JOB_HEALTHS, JobHealth } from '@tc-portal/plugin-monitor-common';

/**
 * The counts the summary is made of, as counted at one data version, with
 * the mutes and maintenance windows that held then: enough to give the
 * summary at any later time until the data changes.
 */
export type SummaryFacts = {
  byHealth: Partial<Record<JobHealth, number>>;
  acknowledged: number;
  /**
   * Failing jobs (not because of an upstream job) nobody acknowledged,
   * muted or in maintenance or not.
   */
  failingUnacknowledged: number;
  /**
   * Every job a mute or a maintenance window covered when counted: until
   * when each holds (epoch ms), and whether it is failing and not
   * acknowledged.
   */
  holds: Array<{
    muteUntil: number | null;
    maintenanceUntil: number | null;
    failingUnacknowledged: boolean;
  }>;
};

type Hold = SummaryFacts['holds'][number];
const muted = (hold: Hold, now: number) =>
  hold.muteUntil !== null && hold.muteUntil > now;
const inMaintenance = (hold: Hold, now: number) =>
  hold.maintenanceUntil !== null && hold.maintenanceUntil > now;

/**
 * The summary at `now` from facts counted earlier: the mutes and windows
 * that have ended since count no more, and their failing jobs need
 * attention again (the common rule `needsAttention`, which the SQL of the
 * list mirrors).
 */
export function summaryAt(facts: SummaryFacts, now: Date) {
  const t = now.getTime();
  const byHealth = Object.fromEntries(
    JOB_HEALTHS.map(health => [health, facts.byHealth[health] ?? 0]),
  ) as Record<JobHealth, number>;
  return {
    attentionCount:
      facts.failingUnacknowledged -
      facts.holds.filter(
        hold =>
          hold.failingUnacknowledged &&
          (muted(hold, t) || inMaintenance(hold, t)),
      ).length,
    totalCount: Object.values(byHealth).reduce((a, b) => a + b, 0),
    byHealth,
    acknowledgedCount: facts.acknowledged,
    mutedCount: facts.holds.filter(hold => muted(hold, t)).length,
  };
}

/**
 * How many of the facts' mutes and windows have ended by `now`: part of
 * the ETag, since what is shown changes at their ends with no write.
 */
export function holdsEndedBy(facts: SummaryFacts, now: Date): number {
  const t = now.getTime();
  return facts.holds.reduce(
    (ended, hold) =>
      ended +
      (hold.muteUntil !== null && !muted(hold, t) ? 1 : 0) +
      (hold.maintenanceUntil !== null && !inMaintenance(hold, t) ? 1 : 0),
    0,
  );
}
