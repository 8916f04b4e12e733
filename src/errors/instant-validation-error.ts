import { InstantError } from './instant-error.ts';
import type { ValidationIssue } from './validation-issue.ts';

/**
 * Thrown before anything is sent when a transaction (or a value in it), or a query checked against a
 * schema, is not valid. `issues` lists every problem found, each with the path to the bad value.
 *
 * @example
 * try { tx.goals[goalId].update({ score: Number.NaN }) }
 * catch (e) { if (e instanceof InstantValidationError) console.log(e.issues[0]?.path) }
 */
export class InstantValidationError extends InstantError {
  override name = 'InstantValidationError';
  readonly issues: readonly ValidationIssue[];

  /** `subject` names what was invalid in the message: `Invalid transaction: …`, `Invalid query: …`, `Invalid init options: …`. */
  constructor(issues: readonly ValidationIssue[], subject = 'transaction') {
    super(formatIssues(issues, subject));
    this.issues = Object.freeze([...issues]);
  }
}

function formatIssues(issues: readonly ValidationIssue[], subject: string): string {
  if (issues.length === 1) return `Invalid ${subject}: ${describe(issues[0]!)}`;
  const lines = issues.map((issue) => `  - ${describe(issue)}`);
  return `Invalid ${subject}: ${issues.length} problems\n${lines.join('\n')}`;
}

function describe(issue: ValidationIssue): string {
  return `${issue.path}: ${issue.message}`;
}
