/**
 * A mistake in what a command was pointed at rather than in the command line: a line of a steps file
 * that is not JSON, a schema file with no schema, a missing credential. The message names the place
 * (`steps.jsonl:7: …`); the error boundary prints it as one line, without usage; exit 2.
 *
 * @example
 * throw new InputError('steps.jsonl:7: invalid JSON: Unexpected token } at column 12');
 */
export class InputError extends Error {
  override name = 'InputError';
}
