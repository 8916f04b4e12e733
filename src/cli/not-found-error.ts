/**
 * The server has nothing for what the user named (e.g. `user delete` of a user that does not exist).
 * Not a usage mistake: the request was sent and answered. The error boundary prints it; exit 1.
 *
 * @example
 * throw new NotFoundError('no user with email a@b.co; nothing was deleted');
 */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}
