import { CustomErrorBase } from '@backstage/errors';

/**
 * A request body over the size limit. Answered with 413.
 */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}

/**
 * A report of a run that finished before its job was deleted. Answered with
 * 410: the job stays deleted.
 */
export class JobGoneError extends CustomErrorBase {
  name = 'JobGoneError' as const;
  statusCode = 410;
}
