import { CustomErrorBase } from '@backstage/errors';

/**
 * A request body over the size limit. Answered with 413.
 */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413;
}
