/**
 * A command line that makes no sense: an unknown or inapplicable flag, a missing argument, a flag value
 * of the wrong kind. The error boundary prints it with the command's usage; exit 2.
 *
 * @example
 * throw new UsageError('--port takes an integer from 0 to 65535');
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
