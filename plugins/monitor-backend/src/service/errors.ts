import { CustomErrorBase, ServiceUnavailableError } from '@backstage/errors';

/**
 * A request body over the size limit. Answered with 413.
 */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

/** 503: the webhook has no secret to check reports against. */
export class WebhookDisabledError extends ServiceUnavailableError {}

/**
 * A report of a run that finished before its job was deleted. Answered with
 * 410: the job stays deleted.
 */
export class JobGoneError extends CustomErrorBase {
  name = 'JobGoneError' as const;
  statusCode = 410;
}

// How PostgreSQL, its driver, SQLite and knex say that the database cannot
// be reached or cannot take the request now.
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '08000', // connection_exception
  '08001',
  '08003',
  '08004',
  '08006',
  'SQLITE_BUSY',
]);
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'is not queryable',
  'Timeout acquiring a connection',
];

/**
 * Whether an error means the database is unreachable or busy for now, so
 * that the request may pass when tried again (rather than being wrong).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let current = error as
        | { code?: unknown; name?: unknown; message?: unknown; cause?: unknown }
        | undefined,
      depth = 0;
    current && depth < 5;
    current = current.cause as typeof current, depth++
  ) {
    if (
      typeof current.code === 'string' &&
      UNAVAILABLE_CODES.has(current.code)
    ) {
      return true;
    }
    if (current.name === 'KnexTimeoutError') {
      return true;
    }
    const message = typeof current.message === 'string' ? current.message : '';
    if (UNAVAILABLE_MESSAGES.some(m => message.includes(m))) {
      return true;
    }
  }
  return false;
}

/** Seconds a client should wait before it tries again. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;
