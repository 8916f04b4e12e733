import { applyOps, cascadeDeletes, type CascadedDelete } from './apply-ops.ts';
import { expandSteps } from './expand-steps.ts';
import { groupOps, type Op } from './ops.ts';
import { parseSteps, type ParsedStep } from './parse-steps.ts';
import { resolveRef } from './resolve-ref.ts';
import type { TxContext } from './tx-context.ts';
import { entityKey, type EntityChanges, type EntityData } from './entity-change.ts';
import { EntityReader } from '../read/entity-reader.ts';
import { entityData } from '../read/entity-data.ts';
import type { Storage } from '../store/storage.ts';

/** `ruleParams` given per entity, by {@link entityKey}. */
export type RuleParamsMap = ReadonlyMap<string, Record<string, unknown>>;

/** Options of one `/admin/transact` request. */
export interface TransactOptions {
  readonly throwOnMissingAttrs: boolean;
  /** Who sends it, as the explorer's activity view names them (`admin`, `guest`, `user …`). */
  readonly by?: string;
  /**
   * Runs once every step is expanded (cascades included), before anything is written; throwing rolls
   * everything back. A cheaper check than `beforeCommit` (no snapshots), for what needs only the ops.
   */
  readonly checkOps?: (ops: readonly Op[]) => void;
  /**
   * Runs inside the SQLite transaction, before commit, twice: with the changes in phase
   * `before-write` (steps expanded, cascades added, no triple written yet) and again in phase
   * `after-write` (see {@link EntityChanges}). Throwing rolls everything back; returning false rolls
   * back quietly.
   */
  readonly beforeCommit?: (
    changes: EntityChanges,
    ruleParams: RuleParamsMap,
    // biome-ignore lint/suspicious/noConfusingVoidType: a checker that only throws (returns void) is a valid beforeCommit
  ) => boolean | void;
}

/**
 * Runs Instant `steps` inside the request's write (see `Storage.write`): all of them take effect or,
 * when anything throws, none do. Returns the new `tx-id`, or -1 when `beforeCommit` returned false
 * (a dry run: every change is undone, the request's write goes on).
 */
export function runTransaction(storage: Storage, steps: unknown, options: TransactOptions): number {
  const parsed = parseSteps(steps);
  return storage.tentatively(() => {
    const ctx: TxContext = {
      registry: storage.registry,
      store: storage.store,
      now: storage.now(),
      throwOnMissing: options.throwOnMissingAttrs,
      missing: new Set<string>(),
      lookups: new Map<string, string>(),
      created: new Set<string>(),
      deletedIdAttrs: new Map<string, string>(),
    };
    const check = options.beforeCommit;
    const attrsBefore = check ? new Set(storage.registry.all().map((attr) => attr.id)) : undefined;
    const expanded = expandSteps(ctx, parsed).ops;
    const roots = expanded.flatMap((op) => (op.kind === 'delete-entity' ? [{ e: op.e, ns: op.ns }] : []));
    const cascaded = cascadeDeletes(storage.registry, storage.store, roots);
    const ops: Op[] = [...expanded, ...cascaded.map(({ e, ns }) => ({ kind: 'delete-entity' as const, e, ns }))];
    options.checkOps?.(ops);
    if (check && !checkedWrite(storage, ctx, { parsed, ops, cascaded, attrsBefore: attrsBefore! }, check))
      return { result: -1, keep: false };
    if (!check) applyOps(storage.registry, storage.store, groupOps(ops), ctx.now);
    const txId = storage.nextTxId();
    storage.recent.stage({ txId, by: options.by ?? 'admin', steps });
    return { result: txId, keep: true };
  });
}

/** A transaction's steps as parsed and expanded, with what checking it needs to know. */
interface Expanded {
  readonly parsed: readonly ParsedStep[];
  readonly ops: readonly Op[];
  readonly cascaded: readonly CascadedDelete[];
  readonly attrsBefore: ReadonlySet<string>;
}

/**
 * Writes the ops between the two calls of `check` (see {@link TransactOptions.beforeCommit}); false
 * when either call asked to roll back.
 */
function checkedWrite(
  storage: Storage,
  ctx: TxContext,
  tx: Expanded,
  check: NonNullable<TransactOptions['beforeCommit']>,
): boolean {
  const ruleParams = collectRuleParams(ctx, tx.parsed, tx.cascaded);
  const keys = entityKeys(tx.ops);
  const base = {
    ops: tx.ops,
    before: snapshots(storage, keys, ctx.created),
    createdAttrs: storage.registry.all().filter((attr) => !tx.attrsBefore.has(attr.id)),
    deletedAttrs: tx.parsed.flatMap((step) => (step.action === 'delete-attr' ? [step.id] : [])),
  };
  if (check({ ...base, phase: 'before-write', after: new Map() }, ruleParams) === false) return false;
  applyOps(storage.registry, storage.store, groupOps(tx.ops), ctx.now);
  return check({ ...base, phase: 'after-write', after: snapshots(storage, keys, new Set()) }, ruleParams) !== false;
}

/**
 * The `ruleParams` of each entity, resolved once every step was expanded, so params given through a
 * lookup reach the entity a later step creates through it. Entities deleted by cascade also get the
 * params of the entity whose delete reached them (Instant's behaviour).
 */
function collectRuleParams(
  ctx: TxContext,
  parsed: readonly ParsedStep[],
  cascaded: readonly CascadedDelete[],
): Map<string, Record<string, unknown>> {
  const params = new Map<string, Record<string, unknown>>();
  for (const step of parsed) {
    if (step.action !== 'ruleParams') continue;
    const e = resolveRef(ctx, step.ns, step.ref, false);
    if (!e) continue;
    const key = entityKey(step.ns, e);
    params.set(key, { ...params.get(key), ...step.args });
  }
  for (const child of cascaded) {
    const inherited = params.get(entityKey(child.root.ns, child.root.e));
    const key = entityKey(child.ns, child.e);
    if (inherited) params.set(key, { ...params.get(key), ...inherited });
  }
  return params;
}

/** Every entity an op names: its own, and the target of a link. */
function entityKeys(ops: readonly Op[]): Map<string, { ns: string; id: string }> {
  const keys = new Map<string, { ns: string; id: string }>();
  const add = (ns: string, id: string): void => {
    keys.set(entityKey(ns, id), { ns, id });
  };
  for (const op of ops) {
    if (op.kind === 'delete-entity') {
      add(op.ns, op.e);
      continue;
    }
    add(op.attr.ns, op.e);
    if (op.kind !== 'merge' && op.attr.valueType === 'ref') add(op.attr.revNs!, String(op.value));
  }
  return keys;
}

/** Each entity as stored now (`undefined` when it has no triple in its namespace, or is in `absent`). */
function snapshots(
  storage: Storage,
  keys: ReadonlyMap<string, { ns: string; id: string }>,
  absent: ReadonlySet<string>,
): Map<string, EntityData | undefined> {
  const reader = new EntityReader(storage.registry, storage.store);
  const out = new Map<string, EntityData | undefined>();
  for (const [key, { ns, id }] of keys) {
    const exists = reader.triples(id).some((triple) => storage.registry.byId(triple.a)?.ns === ns);
    out.set(key, exists && !absent.has(id) ? entityData(reader, ns, id) : undefined);
  }
  return out;
}
