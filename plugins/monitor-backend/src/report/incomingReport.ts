import { InputError } from '@backstage/errors';
import {
  expectationFromReportSchedule,
  parseJobReport,
} from '@tc-portal/plugin-monitor-common';
import { IncomingReport } from '../health/types';
import { truncateMessage } from './truncateMessage';

/**
 * How far in the future a reported time may be. A run that claims to finish
 * later than this comes from a clock that is wrong; stored, it would hide
 * every later report of its job.
 */
export const MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;

/**
 * A webhook's body as a report to judge, received at `now`. Throws an
 * InputError naming every bad field (the wire contract's words).
 */
export function toIncomingReport(
  body: unknown,
  now: Date,
  settings: { defaultTimezone: string; maxMessageLength: number },
): IncomingReport {
  const parsed = parseJobReport(body);
  const problems = parsed.success ? [] : [...parsed.problems];
  if (parsed.success) {
    for (const field of ['finished_at', 'started_at'] as const) {
      const value = parsed.report[field];
      if (
        value !== undefined &&
        new Date(value).getTime() - now.getTime() > MAX_CLOCK_AHEAD_MS
      ) {
        problems.push({
          field,
          message: `is more than 24 hours after the portal's clock (${now.toISOString()}); check the reporting machine's clock`,
        });
      }
    }
  }
  if (!parsed.success || problems.length > 0) {
    throw new InputError(
      `Invalid job report: ${problems
        .map(p => `${p.field} ${p.message}`)
        .join('; ')}`,
    );
  }
  const report = parsed.report;
  const date = (value?: string) =>
    value === undefined ? undefined : new Date(value);
  const common = {
    jobKey: report.job_key,
    title: report.title,
    runId: report.run_id,
    receivedAt: now,
    exitCode: report.exit_code,
    host: report.host,
    message:
      report.message === null || report.message === undefined
        ? null
        : truncateMessage(
            // PostgreSQL text cannot hold NUL characters.
            report.message.replaceAll('\u0000', '\uFFFD'),
            settings.maxMessageLength,
          ),
    entityRef: report.entity_ref,
    expectation: report.schedule
      ? expectationFromReportSchedule(report.schedule, settings.defaultTimezone)
      : undefined,
  };
  if (report.status === 'start') {
    return { ...common, status: 'start', startedAt: date(report.started_at) };
  }
  // The contract requires finished_at on a finish (parseJobReport).
  return {
    ...common,
    status: report.status,
    finishedAt: new Date(report.finished_at!),
    startedAt: date(report.started_at),
    durationMs: report.duration_ms,
  };
}
