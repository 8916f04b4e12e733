/**
 * Marks a branch the type checker proves unreachable; a new step kind fails to compile until handled.
 *
 * @example
 * default: return assertNever(step[0]);
 */
export function assertNever(value: never): never {
  throw new TypeError(`unhandled case: ${String(value)}`);
}
