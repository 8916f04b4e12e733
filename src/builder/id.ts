/**
 * A new random v4 UUID, the id of a new entity.
 *
 * @example
 * const goalId = id();
 * tx.goals[goalId].update({ title: 'Get fit' });
 */
export function id(): string {
  return globalThis.crypto.randomUUID();
}
