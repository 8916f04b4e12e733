import { InstantError } from '../errors/instant-error.ts';

/** Why the local server could not start. */
export type ServerStartProblem = 'invalid-option' | 'invalid-rules' | 'database' | 'port' | 'restore';

/**
 * Thrown by `startLocalServer` when it cannot start: an option that is not valid (port, app id, admin
 * token), rules that do not compile, a database file that cannot be opened, a port already in use.
 * Nothing is left open or listening. The message never contains the admin token.
 *
 * @example
 * try { await startLocalServer({ rules: { goals: { allow: { view: 'auth.id ==' } } } }) }
 * catch (e) { if (e instanceof InstantServerStartError && e.problem === 'invalid-rules') console.error(e.message) }
 * // 'invalid rules: goals.allow.view does not compile: Unexpected token: EOF'
 */
export class InstantServerStartError extends InstantError {
  override name = 'InstantServerStartError';
  readonly problem: ServerStartProblem;

  constructor(problem: ServerStartProblem, message: string, options?: ErrorOptions) {
    super(message, options);
    this.problem = problem;
  }
}
