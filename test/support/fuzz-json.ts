import fc from 'fast-check';

/** JSON text spliced in as it is when a fuzz body is written: what `JSON.stringify` cannot produce. */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

const raw = (text: string): RawJson => new RawJson(text);

/** Writes a fuzz value as JSON text, splicing in every {@link RawJson} verbatim. */
export function toJsonText(value: unknown): string {
  const pieces: string[] = [];
  const text = JSON.stringify(value, (_key, item: unknown) =>
    item instanceof RawJson ? `\u0000raw${pieces.push(item.text) - 1}\u0000` : item,
  );
  if (text === undefined) return '';
  return text.replace(/"\\u0000raw(\d+)\\u0000"/g, (_match, index: string) => pieces[Number(index)]!);
}

/** Builds an object whose keys are own properties even when one is `__proto__`. */
export const objectOf = (entries: readonly (readonly [string, unknown])[]): Record<string, unknown> =>
  Object.fromEntries(entries);

const nestedArrays = (depth: number): string => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const nestedObjects = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Names and keys that trip naive code: prototype keys, system namespaces, option keys, NUL, empties. */
export const HOSTILE_NAMES: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'then',
  '$users',
  '$files',
  '$',
  '$$ruleParams',
  'id',
  '',
  ' ',
  'a.b',
  'a\u0000b',
  '\u0000',
  'lookup__email__"x"',
];

/** Numbers and objects only JSON text can carry: overflow, negative zero, beyond-2^53 digits, prototype keys. */
const RAW_VALUES: readonly RawJson[] = [
  '1e309',
  '-1e309',
  '-0',
  '-0.0',
  '1e22',
  '-1e22',
  '9999999999999999999999',
  '1E400',
  '5e-324',
  '1e-400',
  '{"__proto__":{"polluted":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '"\\ud800"',
].map(raw);

/** Small values of every JSON type, and hostile ones: what a mutation puts in a slot. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, 2 ** 53 + 2, [], {}, [null], [[]], { a: {} }),
  fc.constantFrom<unknown>(...HOSTILE_NAMES, '00000000-0000-0000-0000-000000000000', 'lookup__', 'x'.repeat(300)),
  fc.constantFrom<unknown>(...RAW_VALUES),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 12 }),
);

/**
 * Costly values (a 10,000-deep nesting, 100,000-item arrays, a 2 MB string, nestings just under the
 * server's depth limit): each costs up to a second, so a property draws them a few times, not hundreds.
 */
export const heavyValue: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  raw(nestedArrays(10_000)),
  raw(nestedObjects(10_000)),
  raw(nestedArrays(990)),
  raw(nestedObjects(990)),
  raw(`[${Array.from({ length: 100_000 }, (_, index) => index).join(',')}]`),
  raw(`[${'"00000000-0000-4000-8000-000000000001",'.repeat(99_999)}"x"]`),
  raw(`[${'{},'.repeat(99_999)}{}]`),
  'x'.repeat(2_000_000),
);

type Path = readonly (string | number)[];

/** Every node's path in a value, the root first; does not enter {@link RawJson} pieces. */
function paths(value: unknown, at: Path = []): Path[] {
  const found: Path[] = [at];
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) found.push(...paths(item, [...at, index]));
  } else if (value !== null && typeof value === 'object' && !(value instanceof RawJson))
    for (const [key, item] of Object.entries(value)) found.push(...paths(item, [...at, key]));
  return found;
}

/** A copy of `value` with the node at `path` replaced by `change(node)`; `undefined` removes it. */
function updateAt(value: unknown, path: Path, change: (node: unknown) => unknown): unknown {
  if (path.length === 0) return change(value);
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = value.map((item, index) => (index === head ? updateAt(item, rest, change) : item));
    return copy.filter((item, index) => index !== head || item !== undefined);
  }
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([key, item]) => [key, key === head ? updateAt(item, rest, change) : item] as const,
  );
  return objectOf(entries.filter(([, item]) => item !== undefined));
}

/** One change to a valid body: at the node `at` (modulo the node count), replace it, drop it, rename its keys or wrap it. */
export type Mutation =
  | { readonly kind: 'replace'; readonly at: number; readonly value: unknown }
  | { readonly kind: 'drop'; readonly at: number }
  | { readonly kind: 'rename'; readonly at: number; readonly key: string }
  | { readonly kind: 'wrap'; readonly at: number; readonly inArray: boolean };

export const mutation = (value: fc.Arbitrary<unknown>): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('rename' as const),
        at: fc.nat(),
        key: fc.constantFrom(...HOSTILE_NAMES),
      }),
    },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrap' as const), at: fc.nat(), inArray: fc.boolean() }) },
  );

/** Applies one {@link Mutation} to a copy of `value`. */
export function mutate(value: unknown, change: Mutation): unknown {
  const all = paths(value);
  const path = all[change.at % all.length]!;
  return updateAt(value, path, (node) => {
    switch (change.kind) {
      case 'replace':
        return change.value;
      case 'drop':
        return path.length === 0 ? null : undefined;
      case 'wrap':
        return change.inArray ? [node] : { a: node };
      case 'rename': {
        if (node === null || typeof node !== 'object' || Array.isArray(node) || node instanceof RawJson) return node;
        const entries = Object.entries(node);
        if (entries.length === 0) return objectOf([[change.key, 1]]);
        return objectOf(entries.map(([key, item], index) => [index === 0 ? change.key : key, item] as const));
      }
    }
  });
}

/** Body texts that are not the JSON of an object, or not JSON at all. */
export const oddText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'null',
    '[]',
    '"steps"',
    '1',
    'true',
    'not json',
    '{',
    '}',
    '{"steps": [',
    '{"a":1,}',
    "{'steps': []}",
    '\u0000',
    '\ufeff{}',
    '{"steps": [], "steps": 1}',
    '{"query": {}} trailing',
    'NaN',
    '{"steps": [["update", "goals", Infinity, {}]]}',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Changes a body's text: cut it short, or append or prepend junk. */
export const textChange = fc.record({
  kind: fc.constantFrom('truncate' as const, 'append' as const, 'prepend' as const),
  at: fc.nat(),
  junk: fc.constantFrom(',', ']', '}', '\u0000', 'x', '"', '\\', '{"a":'),
});

export function changeText(text: string, change: typeof textChange extends fc.Arbitrary<infer T> ? T : never): string {
  if (change.kind === 'truncate') return text.slice(0, change.at % Math.max(text.length, 1));
  return change.kind === 'append' ? text + change.junk : change.junk + text;
}
