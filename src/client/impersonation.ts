import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import { checkHeader } from './client-config.ts';

/** Who `db.asUser(...)` acts as. */
export type Impersonation = { readonly email: string } | { readonly token: string } | { readonly guest: true };

/**
 * The header a valid impersonation sends (`as-email`, `as-token` or `as-guest`), after checking the
 * options: exactly one mode; `email` needs the admin token; values must be sendable as headers.
 *
 * @example
 * impersonationHeaders({ guest: true }, true) // { 'as-guest': 'true' }
 */
export function impersonationHeaders(options: Impersonation, hasAdminToken: boolean): Record<string, string> {
  const issues: ValidationIssue[] = [];
  const modes = ['email', 'token', 'guest'].filter((key) => key in (options ?? {}));
  if (modes.length !== 1)
    issues.push(createIssue('invalid-argument', 'asUser', 'pass exactly one of {email}, {token} or {guest: true}'));
  const record = options as Record<string, unknown>;
  let headers: Record<string, string> = {};
  if (modes[0] === 'email') {
    if (typeof record.email !== 'string')
      issues.push(createIssue('invalid-argument', 'asUser.email', 'expected a string'));
    else checkHeader('as-email', record.email, 'asUser.email', issues);
    if (!hasAdminToken)
      issues.push(
        createIssue(
          'invalid-argument',
          'asUser.email',
          'impersonating by email needs the admin token: pass adminToken to init (or use {token} / {guest: true})',
        ),
      );
    headers = { 'as-email': String(record.email) };
  } else if (modes[0] === 'token') {
    if (typeof record.token !== 'string')
      issues.push(createIssue('invalid-argument', 'asUser.token', 'expected a string'));
    else checkHeader('as-token', record.token, 'asUser.token', issues);
    headers = { 'as-token': String(record.token) };
  } else if (modes[0] === 'guest') {
    if (record.guest !== true) issues.push(createIssue('invalid-argument', 'asUser.guest', 'expected true'));
    headers = { 'as-guest': 'true' };
  }
  if (issues.length > 0) throw new InstantValidationError(issues, 'asUser options');
  return headers;
}
