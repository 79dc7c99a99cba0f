import { z } from 'zod';
import { formatDuration } from './words';

const count = z.number().int();
const instant = z.iso.datetime();

/**
 * Why a job has its health, as data: the frontend words it in the viewer's
 * language, `describeHealthReason` in English. The field `code` tells which.
 *
 * @public
 */
export const healthReasonSchema = z.discriminatedUnion('code', [
  z.strictObject({ code: z.literal('noRunYet') }),
  z.strictObject({ code: z.literal('succeeded') }),
  z
    .strictObject({
      code: z.literal('belowThreshold'),
      failures: count,
      threshold: count,
    })
    .describe('Failures in a row, fewer than the failure threshold.'),
  z
    .strictObject({
      code: z.literal('recovering'),
      successes: count,
      threshold: count,
    })
    .describe(
      'Successes in a row since failing, fewer than the recovery threshold.',
    ),
  z
    .strictObject({ code: z.literal('stillFailing') })
    .describe('No run left to judge (pruned); the job stays failing.'),
  z.strictObject({
    code: z.literal('failed'),
    failures: count,
    latest: z.enum(['error', 'timeout']),
  }),
  z
    .strictObject({
      code: z.literal('tooFast'),
      failures: count,
      durationMs: count,
      minRuntimeMs: count,
    })
    .describe(
      'The latest run reported success sooner than the minimum runtime.',
    ),
  z
    .strictObject({
      code: z.literal('slow'),
      failures: count,
      durationMs: count,
      p50Ms: count,
      p95Ms: count,
      slowFactor: z.number(),
    })
    .describe(
      "A successful run took longer than the p95 of the job's usual durations times the slow factor. A warning, or, where the job's config says so, a failure.",
    ),
  z.strictObject({
    code: z.literal('timedOut'),
    failures: count,
    maxRuntimeMs: count,
  }),
  z
    .strictObject({
      code: z.literal('late'),
      lastReportAt: instant.nullable(),
      expectedAt: instant,
      missedAt: instant,
    })
    .describe(
      'A run is due and not reported; it counts as missed from missedAt.',
    ),
  z.strictObject({
    code: z.literal('missed'),
    lastReportAt: instant.nullable(),
    expectedAt: instant,
    graceMs: count,
  }),
  z.strictObject({ code: z.literal('running'), startedAt: instant }),
]);

/**
 * Why a job has its health, as data.
 *
 * @public
 */
export type HealthReason = z.output<typeof healthReasonSchema>;

const duration = (ms: number) => formatDuration(ms, 'en');

/**
 * A health reason in English words, for logs, notifications and API
 * clients.
 *
 * @public
 */
export function describeHealthReason(reason: HealthReason): string {
  switch (reason.code) {
    case 'noRunYet':
      return 'no finished run yet';
    case 'succeeded':
      return 'the latest run succeeded';
    case 'belowThreshold':
      return `${reason.failures} failed run(s) in a row, below the threshold of ${reason.threshold}`;
    case 'recovering':
      return `recovering: ${reason.successes} of ${reason.threshold} successful runs in a row needed`;
    case 'stillFailing':
      return 'the latest runs failed';
    case 'failed': {
      const latest = reason.latest === 'timeout' ? 'timed out' : 'failed';
      return reason.failures === 1
        ? `the latest run ${latest}`
        : `${reason.failures} runs in a row failed; the latest ${latest}`;
    }
    case 'tooFast':
      return `${
        reason.failures === 1
          ? 'the latest run'
          : `${reason.failures} runs in a row failed; the latest`
      } finished in ${duration(
        reason.durationMs,
      )}, expected at least ${duration(reason.minRuntimeMs)}`;
    case 'slow':
      return `${
        reason.failures > 1
          ? `${reason.failures} runs in a row failed; the latest`
          : 'the latest run'
      } took ${duration(reason.durationMs)}, more than ${
        reason.slowFactor
      } times the usual ${duration(reason.p95Ms)} (p95; median ${duration(
        reason.p50Ms,
      )})`;
    case 'timedOut':
      return `${
        reason.failures === 1
          ? 'the latest run timed out'
          : `${reason.failures} runs in a row failed; the latest timed out`
      }: still open after the maximum runtime of ${duration(
        reason.maxRuntimeMs,
      )}`;
    case 'late':
      return `${
        reason.lastReportAt
          ? `no report since ${reason.lastReportAt}`
          : 'no report yet'
      }; a run was due by ${reason.expectedAt}, missed from ${reason.missedAt}`;
    case 'missed':
      return `${
        reason.lastReportAt
          ? `no report since ${reason.lastReportAt}`
          : 'no report yet'
      }; a run was due by ${reason.expectedAt} and the grace of ${duration(
        reason.graceMs,
      )} has passed`;
    case 'running':
      return `a run started at ${reason.startedAt}`;
    default:
      return 'unknown';
  }
}

/**
 * Reads a stored reason: the structured form, or (from older rows) plain
 * words, which it cannot structure.
 *
 * @public
 */
export function parseHealthReason(stored: string | null): HealthReason | null {
  if (!stored || !stored.startsWith('{')) {
    return null;
  }
  try {
    const reason = JSON.parse(stored);
    return typeof reason?.code === 'string' ? (reason as HealthReason) : null;
  } catch {
    return null;
  }
}
