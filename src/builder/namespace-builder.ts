import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';
import { isUuid } from '../protocol/uuid.ts';
import { type ChunkSpace, TxChunk } from './chunk.ts';
import { abbreviate, createLookup, readEntityRef, type EntityRef } from './lookup.ts';
import { INSPECT_CUSTOM, isProbeKey } from './reserved-keys.ts';

/** The hidden facts of one namespace builder; the Proxy target carries them. */
interface NamespaceTarget {
  (id: unknown): TxChunk;
  /** What every chunk this builder starts shares: its namespace and the schema. */
  readonly space: ChunkSpace;
}

/** What a namespace builder answers as the function it is; every other name must be an id. */
const FUNCTION_KEYS: ReadonlySet<string> = new Set(['name', 'length', 'call', 'apply', 'bind']);

/**
 * Makes the builder for one namespace: `ns[id]`, `ns(id)` and `ns.lookup(attr, value)` each start a
 * new chunk. Ids are checked at once: a UUID or a lookup, nothing else. `Object.prototype` names
 * (`__proto__`, `constructor`, `toString`, …) are ids like any other, so they are refused with the same
 * error as `ns('__proto__')`; only symbols, probe names (`then`, …) and a function's own `name`,
 * `length`, `call`, `apply` and `bind` read as on a function.
 */
export function createNamespaceBuilder(namespace: string, schema: unknown): unknown {
  const target = Object.assign(
    function namespaceBuilder(): never {
      throw new TypeError('unreachable: namespace builders are only called through their proxy');
    },
    { space: Object.freeze({ namespace, schema }) },
  );
  Object.defineProperty(target, Symbol.toPrimitive, { value: () => `tx.${namespace}` });
  Object.defineProperty(target, INSPECT_CUSTOM, { value: () => `[tx.${namespace}]` });
  return new Proxy(target as unknown as NamespaceTarget, NAMESPACE_HANDLER);
}

const NAMESPACE_HANDLER: ProxyHandler<NamespaceTarget> = Object.freeze({
  get(target: NamespaceTarget, key: string | symbol): unknown {
    if (typeof key === 'symbol') return Reflect.get(target, key);
    if (isUuid(key)) return new TxChunk(target.space, key); // the hot path, first
    if (key === 'lookup') return (attribute: unknown, value: unknown) => startWithLookup(target, attribute, value);
    if (isProbeKey(key)) return undefined;
    if (FUNCTION_KEYS.has(key)) return Reflect.get(target, key);
    return startWithKey(target, key);
  },
  apply(target: NamespaceTarget, _this: unknown, args: unknown[]): TxChunk {
    const key = args[0];
    if (typeof key === 'string') return startWithKey(target, key);
    throw new InstantValidationError([
      createIssue(
        'invalid-id',
        `${target.space.namespace}[${typeof key}]`,
        `expected a UUID (make one with id()) or a lookup(attr, value), got a ${typeof key}`,
      ),
    ]);
  },
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
  setPrototypeOf: () => false,
});

function startWithLookup(target: NamespaceTarget, attribute: unknown, value: unknown): TxChunk {
  const issues: ValidationIssue[] = [];
  const ref: EntityRef | undefined = createLookup(
    attribute,
    value,
    `${target.space.namespace}.lookup(${JSON.stringify(attribute)})`,
    issues,
  );
  if (!ref) throw new InstantValidationError(issues);
  return new TxChunk(target.space, ref);
}

function startWithKey(target: NamespaceTarget, key: string): TxChunk {
  const issues: ValidationIssue[] = [];
  const ref = readEntityRef(key, `${target.space.namespace}[${abbreviate(key)}]`, issues);
  if (!ref) throw new InstantValidationError(issues);
  return new TxChunk(target.space, ref);
}
