import type { Attr } from '../store/attr.ts';
import type { Op } from './ops.ts';

/** An entity as rules see it: its attribute values by label, with `id`. */
export type EntityData = Readonly<Record<string, unknown>>;

/**
 * The key of one entity in one namespace, as {@link EntityChanges} and ruleParams maps use it.
 */
export function entityKey(ns: string, id: string): string {
  return `${ns}\u0000${id}`;
}

/**
 * What a transaction changes, as permission checks read it. Checkers see it twice: in phase
 * `before-write` (after the steps were expanded — attributes already added or deleted — but before any
 * triple is written; `after` is empty) and in phase `after-write` (every triple written, not committed).
 */
export interface EntityChanges {
  readonly phase: 'before-write' | 'after-write';
  /** The transaction's ops in step order, then the deletes that `onDelete: 'cascade'` adds. */
  readonly ops: readonly Op[];
  /**
   * Every entity an op names (its own and, for links, the target), by {@link entityKey}, before the
   * transaction: `undefined` where the entity did not exist (or was created by a lookup in it).
   */
  readonly before: ReadonlyMap<string, EntityData | undefined>;
  /** The same entities after the writes (`undefined` where none exists); empty before the write. */
  readonly after: ReadonlyMap<string, EntityData | undefined>;
  /** Attributes this transaction created: by `add-attr`, or by writing a label that had none. */
  readonly createdAttrs: readonly Attr[];
  /** Ids named by the transaction's `delete-attr` steps. */
  readonly deletedAttrs: readonly string[];
}
