import type { DatabaseSync } from 'node:sqlite';
import { inTransaction, nextTxId } from '../store/open-database.ts';
import type { AttrRegistry } from '../store/attr-registry.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { applyOps } from './apply-ops.ts';
import { expandSteps } from './expand-steps.ts';
import { groupOps } from './ops.ts';
import { parseSteps } from './parse-steps.ts';
import type { Op } from './ops.ts';
import type { EntityChange } from '../permissions/permissions.ts';
import { EntityReader } from '../query/entity-reader.ts';
import { entityData } from '../query/run-query.ts';

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

/** The storage a transaction runs against. */
export interface Storage {
  readonly db: DatabaseSync;
  readonly registry: AttrRegistry;
  readonly store: TripleStore;
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

/** Thrown inside the SQLite transaction to roll back a dry run; never leaves runTransaction. */
class RolledBack extends Error {}

/**
 * Runs Instant `steps` as one SQLite transaction: all commit or none do. Returns the new `tx-id`.
 */
export function runTransaction(storage: Storage, steps: unknown, options: TransactOptions): number {
  const parsed = parseSteps(steps);
  try {
    return inTransaction(storage.db, () => {
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
        if (options.beforeCommit(changes, ruleParams) === false) throw new RolledBack();
      }
      return nextTxId(storage.db);
    });
  } catch (error) {
    storage.registry.reload();
    if (error instanceof RolledBack) return -1;
    throw error;
  }
}
