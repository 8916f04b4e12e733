import fc from 'fast-check';

/** True when no string in the value (keys included) holds a NUL, which Instant cannot store and we reject. */
const storable = (value: unknown): boolean => !JSON.stringify(value).includes('\\u0000');

/** JSON values of the kinds users store: nested objects, arrays, unicode strings, finite numbers (no NUL). */
export const jsonValue: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 3, noUnicodeString: false }).filter(storable);

export const uuid = fc.uuid({ version: 4 });

/** Names; excludes what the official SDK's lookup strings cannot carry (`__` inside, `_` at the end). */
export const name = fc
  .stringMatching(/^[a-zA-Z$][a-zA-Z0-9_]{0,8}$/)
  .filter((text) => !text.includes('__') && !text.endsWith('_'));

export const attrs = fc.dictionary(name, jsonValue, { maxKeys: 4 });

/** A lookup as `[attribute, value]`; each side builds it with its own `lookup()`. */
export const lookupSpec = fc.tuple(name, fc.oneof(fc.string().filter(storable), fc.integer(), fc.boolean()));

export const entityRef = fc.oneof(
  { weight: 3, arbitrary: uuid.map((id) => ({ kind: 'id' as const, id })) },
  { weight: 1, arbitrary: lookupSpec.map(([attr, value]) => ({ kind: 'lookup' as const, attr, value })) },
);

export type RefSpec = { kind: 'id'; id: string } | { kind: 'lookup'; attr: string; value: unknown };

const linkTargets = fc.oneof(entityRef, fc.array(entityRef, { maxLength: 3 }));
export const links = fc.dictionary(name, linkTargets, { minKeys: 1, maxKeys: 3 });

const opts = fc.oneof(
  fc.constant(undefined),
  fc.record({ upsert: fc.boolean() }),
  fc.constant({ upsert: null }),
  fc.constant({}),
);

export const operation = fc.oneof(
  fc.record({ op: fc.constantFrom('update' as const, 'merge' as const), attrs, opts }),
  fc.record({ op: fc.constant('create' as const), attrs }),
  fc.record({ op: fc.constantFrom('link' as const, 'unlink' as const), links }),
  fc.record({ op: fc.constant('delete' as const) }),
  fc.record({ op: fc.constant('ruleParams' as const), attrs }),
);

export type OperationSpec = typeof operation extends fc.Arbitrary<infer T> ? T : never;

/** A chain: a namespace, an entity reference, how it is addressed, and its operations. */
export const chain = fc.record({
  namespace: name,
  ref: entityRef,
  access: fc.constantFrom('index' as const, 'call' as const, 'method' as const),
  ops: fc.array(operation, { minLength: 1, maxLength: 6 }),
});

export type ChainSpec = typeof chain extends fc.Arbitrary<infer T> ? T : never;
