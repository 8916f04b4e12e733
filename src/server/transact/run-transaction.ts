import { applyOps } from './apply-ops.ts';
import { expandSteps } from './expand-steps.ts';
import { groupOps } from './ops.ts';
import { parseSteps } from './parse-steps.ts';
import type { Op } from './ops.ts';
import type { EntityChange } from './entity-change.ts';
import { EntityReader } from '../read/entity-reader.ts';
import { entityData } from '../read/entity-data.ts';
import type { Storage } from '../store/storage.ts';

function touchedEntities(ops: readonly Op[]): Pick<EntityChange, 'ns' | 'id' | 'role'>[] {
  const seen = new Map<string, Pick<EntityChange, 'ns' | 'id' | 'role'>>();
  const touch = (ns: string, id: string, role: EntityChange['role']): void => {
    const key = `${ns}\u0000${id}`;
    const known = seen.get(key);
    if (!known || (known.role === 'link-target' && role !== 'link-target')) seen.set(key, { ns, id, role });
  };
  for (const op of ops) {
    if (op.kind === 'delete-entity') touch(op.ns, op.e, 'delete');
    else if (op.kind === 'add-triple' || op.kind === 'merge' || op.kind === 'retract') {
      touch(op.attr.ns, op.e, 'write');
      if (op.kind !== 'merge' && op.attr.valueType === 'ref') touch(op.attr.revNs!, String(op.value), 'link-target');
    }
  }
  return [...seen.values()];
}

function snapshot(storage: Storage, ns: string, id: string): Record<string, unknown> | undefined {
  const reader = new EntityReader(storage.registry, storage.store);
  const idAttr = storage.registry.forward(ns, 'id');
  if (!idAttr || reader.values(id, idAttr).length === 0) return undefined;
  return entityData(reader, ns, id);
}

/** Options of one `/admin/transact` request. */
export interface TransactOptions {
  readonly throwOnMissingAttrs: boolean;
  /**
   * Runs inside the SQLite transaction after the writes, before commit, with every touched entity's
   * state before and after; throwing rolls everything back. Returning false rolls back quietly.
   */
  readonly beforeCommit?: (
    changes: EntityChange[],
    ruleParams: Map<string, Record<string, unknown>>,
    // biome-ignore lint/suspicious/noConfusingVoidType: a checker that only throws (returns void) is a valid beforeCommit
  ) => boolean | void;
}

/**
 * Runs Instant `steps` inside the request's write (see `Storage.write`): all of them take effect or,
 * when anything throws, none do. Returns the new `tx-id`, or -1 when `beforeCommit` returned false
 * (a dry run: every change is undone, the request's write goes on).
 *
 * @example
 * storage.write(() => runTransaction(storage, [['update', 'goals', id, { title: 'x' }]], { throwOnMissingAttrs: false })) // 1
 */
export function runTransaction(storage: Storage, steps: unknown, options: TransactOptions): number {
  const parsed = parseSteps(steps);
  return storage.tentatively(() => {
    const ctx = {
      registry: storage.registry,
      store: storage.store,
      now: Date.now(),
      throwOnMissing: options.throwOnMissingAttrs,
      missing: new Set<string>(),
      lookups: new Map<string, string>(),
      created: new Set<string>(),
    };
    const { ops, ruleParams } = expandSteps(ctx, parsed);
    const touched = options.beforeCommit ? touchedEntities(ops) : [];
    const before = touched.map((entity) =>
      ctx.created.has(entity.id) ? undefined : snapshot(storage, entity.ns, entity.id),
    );
    applyOps(storage.registry, storage.store, groupOps(ops), ctx.now);
    if (options.beforeCommit) {
      const changes = touched.map((entity, index) => ({
        ...entity,
        before: before[index],
        after: snapshot(storage, entity.ns, entity.id),
      }));
      if (options.beforeCommit(changes, ruleParams) === false) return { result: -1, keep: false };
    }
    return { result: storage.nextTxId(), keep: true };
  });
}
