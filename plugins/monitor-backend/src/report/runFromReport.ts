import { JobReport, parseJobReport } from '@tc-portal/plugin-monitor-common';
import { NewRun } from '../database/JobStore';

/** The longest message stored, in characters. */
export const MESSAGE_MAX_LENGTH = 16_384;

/**
 * How far in the future a reported finish time may be. A run that claims to
 * finish later than this comes from a clock that is wrong; stored, it would
 * hide every later report of its job.
 */
export const MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;

/** A field of the report that breaks the contract. */
export type ReportProblem = { field: string; message: string };

/**
 * Shortens a message to at most `maxLength` characters, keeping its head and,
 * at greater length, its tail (the end of a traceback says most), with a
 * visible marker where the middle was cut.
 */
export function truncateMessage(message: string, maxLength: number): string {
  if (message.length <= maxLength) {
    return message;
  }
  const marker = (omitted: number) =>
    `\n\n… [${omitted} characters omitted] …\n\n`;
  // The marker's length depends on the count it shows; the longest count
  // bounds it.
  const budget = maxLength - marker(message.length).length;
  let headEnd = Math.floor(budget / 4);
  let tailStart = message.length - (budget - headEnd);
  // Never split a surrogate pair.
  if (isHighSurrogate(message.charCodeAt(headEnd - 1))) {
    headEnd -= 1;
  }
  if (isLowSurrogate(message.charCodeAt(tailStart))) {
    tailStart += 1;
  }
  return (
    message.slice(0, headEnd) +
    marker(tailStart - headEnd) +
    message.slice(tailStart)
  );
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Turns a report body into the run to store, or says which fields break the
 * contract.
 */
export function runFromReport(
  body: unknown,
  receivedAt: Date,
): { run: NewRun } | { problems: ReportProblem[] } {
  const parsed = parseJobReport(body);
  if (!parsed.success) {
    return { problems: parsed.problems };
  }
  const report: JobReport = parsed.report;
  const finishedAt = new Date(report.finished_at);
  if (finishedAt.getTime() - receivedAt.getTime() > MAX_CLOCK_AHEAD_MS) {
    return {
      problems: [
        {
          field: 'finished_at',
          message: `is more than 24 hours after the portal's clock (${receivedAt.toISOString()}); check the reporting machine's clock`,
        },
      ],
    };
  }
  return {
    run: {
      jobKey: report.job_key,
      title: report.title,
      status: report.status,
      finishedAt,
      receivedAt,
      message:
        report.message === null || report.message === undefined
          ? null
          : // PostgreSQL text cannot hold NUL characters.
            truncateMessage(
              report.message.replaceAll('\u0000', '\uFFFD'),
              MESSAGE_MAX_LENGTH,
            ),
    },
  };
}
