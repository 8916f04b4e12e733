/**
 * Marks a branch the type checker proves unreachable; a new step kind fails to compile until handled.
 *
 * @example
 * function verb(action: 'link' | 'unlink'): string {
 *   switch (action) {
 *     case 'link': return 'linked';
 *     case 'unlink': return 'unlinked';
 *     default: return assertNever(action); // adding a third action fails to compile here until handled
 *   }
 * }
 */
export function assertNever(value: never): never {
  throw new TypeError(`unhandled case: ${String(value)}`);
}
