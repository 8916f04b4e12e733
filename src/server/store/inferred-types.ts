/**
 * The value types Instant infers for an attribute from the values written to it, in Instant's order:
 * each is one bit of the attribute's stored set (number 1, string 2, boolean 4, json 8).
 */
export const INFERRED_TYPES = Object.freeze(['number', 'string', 'boolean', 'json'] as const);

/** One inferred value type. */
export type InferredType = (typeof INFERRED_TYPES)[number];

/**
 * The type Instant infers for a written value: strings (UUIDs included) are `string`, numbers
 * `number`, booleans `boolean`, anything else (objects, arrays) `json`. `null` infers nothing.
 *
 * @example
 * inferValueType('s') // 'string'
 * inferValueType({ hello: 'world' }) // 'json'
 */
export function inferValueType(value: unknown): InferredType | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'json';
}

/**
 * The bit of `type` in a stored set of inferred types.
 *
 * @example
 * inferredTypeBit('string') // 2
 */
export function inferredTypeBit(type: InferredType): number {
  return 1 << INFERRED_TYPES.indexOf(type);
}

/**
 * The types in a stored set, in Instant's order.
 *
 * @example
 * inferredTypesOf(3) // ['number', 'string']
 */
export function inferredTypesOf(bits: number): InferredType[] {
  return INFERRED_TYPES.filter((type) => (bits & inferredTypeBit(type)) !== 0);
}
