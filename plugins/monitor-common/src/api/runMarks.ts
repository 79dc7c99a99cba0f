import { z } from 'zod';

// What is worth a look about a run without being a failure, and how long a
// job's runs usually take: the read API's words for the marks the decision
// core puts on runs.

/** An instant, written by the portal in UTC. */
const instant = z.iso.datetime();
const count = z.number().int().min(0);

/**
 * The kinds of run warnings.
 *
 * @public
 */
export const RUN_WARNING_KINDS = ['slow', 'early', 'duplicate'] as const;

/**
 * Something about a run that is worth a look without being a failure.
 * `slow`: it succeeded, but took longer than the p95 of the job's usual
 * durations times the job's slow factor. `early`: it started more than the
 * grace before the slot of its schedule. `duplicate`: it started in a slot
 * that an earlier run already ran for (a job scheduled twice).
 *
 * @public
 */
export const runWarningSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('slow'),
    durationMs: count,
    p50Ms: count,
    p95Ms: count,
    slowFactor: z.number(),
  }),
  z.strictObject({
    kind: z.literal('early'),
    slotAt: instant.describe('The time of the schedule it ran for.'),
    earlyByMs: count,
  }),
  z.strictObject({
    kind: z.literal('duplicate'),
    slotAt: instant.describe('The time of the schedule both runs ran for.'),
  }),
]);

/**
 * Something about a run that is worth a look without being a failure.
 *
 * @public
 */
export type RunWarning = z.output<typeof runWarningSchema>;

/**
 * How long a job's runs usually take: the median and p95 of the durations
 * of its latest successful runs.
 *
 * @public
 */
export const jobBaselineSchema = z.strictObject({
  p50Ms: count,
  p95Ms: count,
  runs: count.describe('How many runs it was measured from.'),
  slowFactor: z
    .number()
    .describe('A run above p95 times this is slow; 0 when that is off.'),
});

/**
 * How long a job's runs usually take.
 *
 * @public
 */
export type JobBaseline = z.output<typeof jobBaselineSchema>;
