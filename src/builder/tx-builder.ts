import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue } from '../errors/validation-issue.ts';
import { hasNulCharacter, NUL_CHARACTER_MESSAGE } from '../protocol/json-limits.ts';
import { indexSchema } from '../schema/schema-index.ts';
import { createNamespaceBuilder } from './namespace-builder.ts';
import { INSPECT_CUSTOM, isProbeKey } from './reserved-keys.ts';
import type { TxFor, UntypedTx } from './types.ts';

interface TxTarget {
  (namespace: unknown): unknown;
  readonly schema: unknown;
  /** Builders by namespace name; a probe name's builder (reached only by the call form) is never here. */
  readonly namespaces: Map<string, unknown>;
  /** Builders for namespaces with a probe name (`tx('then')`), kept apart so `tx.then` stays undefined. */
  readonly probeNamed: Map<string, unknown>;
}

/**
 * A transaction builder for `schema`: `tx.goals[id].update({...})`, typed by the schema. Any property
 * is a namespace, except symbols and the probe names (`then`, `toJSON`, … see `isProbeKey`), which read
 * as `undefined` so `await` and `JSON.stringify` stay safe; reach a namespace with such a name with the
 * call form, `tx('then')`. The probe names win even after `tx('then')` was called.
 *
 * @example
 * const tx = txFor(schema);
 * tx.goals[id()].update({ title: 'Get fit' });
 * tx.goals(id()).create({ title: 'Get fit' }); // the call form: never `undefined` under noUncheckedIndexedAccess
 */
export function txFor<const S>(schema: S): TxFor<S> {
  if (schema !== undefined) indexSchema(schema);
  const target = Object.assign(
    function tx(): never {
      throw new TypeError('unreachable: tx is only called through its proxy');
    },
    { schema, namespaces: new Map<string, unknown>(), probeNamed: new Map<string, unknown>() },
  );
  Object.defineProperty(target, Symbol.toPrimitive, { value: () => 'tx' });
  Object.defineProperty(target, INSPECT_CUSTOM, { value: () => '[tx]' });
  return new Proxy(target as unknown as TxTarget, TX_HANDLER) as unknown as TxFor<S>;
}

const TX_HANDLER: ProxyHandler<TxTarget> = Object.freeze({
  get(target: TxTarget, key: string | symbol): unknown {
    if (typeof key === 'symbol') return Reflect.get(target, key);
    // The hot path first: a probe name is never cached here (see `probeNamed`), so `tx.then` stays undefined.
    const builder = target.namespaces.get(key);
    if (builder !== undefined) return builder;
    if (isProbeKey(key)) return undefined;
    return namespaceOf(target, key);
  },
  apply(target: TxTarget, _this: unknown, args: unknown[]): unknown {
    return namespaceOf(target, args[0]);
  },
  has: (_target: TxTarget, key: string | symbol) => typeof key === 'string' && !isProbeKey(key),
  set: () => false,
  defineProperty: () => false,
  deleteProperty: () => false,
  setPrototypeOf: () => false,
});

function namespaceOf(target: TxTarget, name: unknown): unknown {
  if (typeof name !== 'string' || name === '') {
    throw new InstantValidationError([
      createIssue('invalid-name', 'tx', 'a namespace name must be a non-empty string'),
    ]);
  }
  if (hasNulCharacter(name)) {
    throw new InstantValidationError([
      createIssue('invalid-name', `tx(${JSON.stringify(name)})`, `the namespace name ${NUL_CHARACTER_MESSAGE}`),
    ]);
  }
  const cache = isProbeKey(name) ? target.probeNamed : target.namespaces;
  let builder = cache.get(name);
  if (builder === undefined) {
    builder = createNamespaceBuilder(name, target.schema);
    cache.set(name, builder);
  }
  return builder;
}

/**
 * The untyped builder: any namespace, any attribute. Values, ids and names are still checked.
 *
 * @example
 * tx.goals[id()].update({ title: 'Get fit' })
 */
export const tx: UntypedTx = txFor(undefined) as unknown as UntypedTx;
