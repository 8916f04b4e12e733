import { draftChanges } from './change.ts';
import { describeEntityRef, type EntityRef } from './lookup.ts';
import { createOperationGuard } from './operation-guard.ts';
import type { JsonObject } from '../protocol/json.ts';
import {
  recordAttrs,
  recordAttrsWithOpts,
  copyUuidLinks,
  hasLookupTarget,
  recordCheckedLinks,
  type AttrAction,
  type RecordedAction,
  type RecordedLinks,
  type RecordedStep,
} from './recorded-step.ts';
import { INSPECT_CUSTOM } from './reserved-keys.ts';
import { createStepCollector, frozenStep, type StepCollector } from './step-collector.ts';

/** The chunk operations, listed in errors about unknown ones. */
export const CHUNK_OPERATIONS = Object.freeze([
  'update',
  'create',
  'merge',
  'link',
  'unlink',
  'delete',
  'ruleParams',
  'change',
]);

/** What a step's node keeps as its argument: the private copy of the attrs or links, or `null` (delete). */
type StepData = JsonObject | RecordedLinks | null;

/** The argument of an `update`/`merge` called with options: its attrs and the options to send. */
type AttrsAndOpts = readonly [attrs: JsonObject, opts: JsonObject];

/**
 * What every chunk of one namespace builder shares: the namespace and the schema of the `tx` that made
 * it. One object per namespace, so a chunk carries a single pointer for both.
 */
export interface ChunkSpace {
  readonly namespace: string;
  readonly schema: unknown;
}

let readSchema: (chunk: TxChunk) => unknown;
let writeSteps: (chunk: TxChunk, into: StepCollector) => void;
let countSteps: (value: unknown) => number;

/**
 * An immutable record of steps on one entity. Each chunk is one node of a persistent list: it holds one
 * step (its action and the validated private copy of its argument) and points at the chunk before it,
 * so appending is O(1) and branches share their common past. Nothing is frozen and no tuple is made
 * when a step is recorded: `getSteps`, `compile`, `toJSON` and inspect make fresh deep-frozen tuples,
 * and `db.transact` plain ones that only `JSON.stringify` sees. A node is kept small (seven fields; the
 * namespace and schema behind one pointer per namespace builder, options inside the argument): a
 * 100k-chunk batch makes 300k of them, and a long chain one per step.
 * State lives in private fields: nothing like `__ops` is reachable or writable, and assigning any
 * property throws (the operation guard at the end of the prototype chain refuses it).
 *
 * @example
 * const chunk = tx.goals[goalId].update({ title: 'Get fit' }).link({ todos: todoId });
 */
export class TxChunk {
  readonly #space: ChunkSpace;
  readonly #id: EntityRef;
  /** The step this node holds; `undefined` only for the empty chunk `ns[id]` starts with. */
  readonly #action: RecordedAction | undefined;
  /**
   * The step's argument: the private copy of its attrs or links, `null` for `delete`, or — only for an
   * `update`/`merge` called with options — the pair `[attrs, opts]` (attrs are never an array).
   */
  readonly #data: StepData | AttrsAndOpts;
  readonly #prev: TxChunk | undefined;
  readonly #count: number;
  /** True when the step is already in wire form: its id is a UUID and no link target is a lookup. */
  readonly #wire: boolean;

  static {
    readSchema = (chunk) => chunk.#space.schema;
    countSteps = (value) => (TxChunk.isChunk(value) ? value.#count : 0);
    writeSteps = (chunk, into) => {
      // Written by index from newest to oldest, into room the caller made (see `StepCollector`).
      const out = into.steps;
      const start = into.length;
      const freeze = into.freeze;
      const namespace = chunk.#space.namespace;
      const id = chunk.#id;
      for (
        let node: TxChunk | undefined = chunk.#count > 0 ? chunk : undefined;
        node !== undefined;
        node = node.#prev
      ) {
        const data = node.#data;
        const step = Array.isArray(data)
          ? [node.#action, namespace, id, data[0], data[1]]
          : [node.#action, namespace, id, data];
        out[start + node.#count - 1] = (freeze ? frozenStep(step) : step) as unknown as RecordedStep;
        if (!node.#wire) into.wire = false;
      }
      into.length = start + chunk.#count;
    };
  }

  /** @internal Made by the `tx` builder; not meant to be constructed directly. */
  constructor(
    space: ChunkSpace,
    id: EntityRef,
    action?: RecordedAction,
    data: StepData | AttrsAndOpts = null,
    prev?: TxChunk,
    wire = typeof id === 'string',
  ) {
    this.#space = space;
    this.#id = id;
    this.#action = action;
    this.#data = data;
    this.#prev = prev;
    this.#count = action === undefined ? 0 : prev === undefined ? 1 : prev.#count + 1;
    this.#wire = wire;
  }

  /**
   * True when `value` is a chunk made by instant-tx.
   *
   * @example
   * TxChunk.isChunk(tx.goals[goalId]) // true
   */
  static isChunk(value: unknown): value is TxChunk {
    return typeof value === 'object' && value !== null && #count in value;
  }

  #append(action: RecordedAction, data: StepData | AttrsAndOpts): TxChunk {
    return new TxChunk(this.#space, this.#id, action, data, this.#count > 0 ? this : undefined);
  }

  #appendLinks(action: 'link' | 'unlink', links: unknown): TxChunk {
    const prev = this.#count > 0 ? this : undefined;
    const id = this.#id;
    const fast = copyUuidLinks(links);
    if (fast) return new TxChunk(this.#space, id, action, fast, prev);
    const checked = recordCheckedLinks(action, this.#space.namespace, id, links);
    const wire = typeof id === 'string' && !hasLookupTarget(checked);
    return new TxChunk(this.#space, id, action, checked, prev, wire);
  }

  #appendWithOpts(action: AttrAction, attrs: unknown, opts: unknown): TxChunk {
    const [copied, copiedOpts] = recordAttrsWithOpts(action, this.#space.namespace, this.#id, attrs, opts);
    return this.#append(action, copiedOpts === undefined ? copied : [copied, copiedOpts]);
  }

  /** Sets attributes (upsert by default; `{upsert: false}` fails when the entity is missing). @example tx.goals[goalId].update({ title: 'Get fit' }) */
  update(attrs: unknown, opts?: unknown): TxChunk {
    if (opts) return this.#appendWithOpts('update', attrs, opts);
    return this.#append('update', recordAttrs('update', this.#space.namespace, this.#id, attrs));
  }

  /** Creates the entity; fails on the server if it already exists. @example tx.goals[id()].create({ title: 'Get fit' }) */
  create(attrs: unknown): TxChunk {
    return this.#append('create', recordAttrs('create', this.#space.namespace, this.#id, attrs));
  }

  /** Deep-merges into JSON attributes; `null` in a nested object removes that key. @example tx.goals[goalId].merge({ metrics: { progress: 0.5 } }) */
  merge(attrs: unknown, opts?: unknown): TxChunk {
    if (opts) return this.#appendWithOpts('merge', attrs, opts);
    return this.#append('merge', recordAttrs('merge', this.#space.namespace, this.#id, attrs));
  }

  /** Links the entity to others by label. @example tx.goals[goalId].link({ todos: [todoId, id()] }) */
  link(links: unknown): TxChunk {
    return this.#appendLinks('link', links);
  }

  /** Removes links by label. @example tx.goals[goalId].unlink({ todos: todoId }) */
  unlink(links: unknown): TxChunk {
    return this.#appendLinks('unlink', links);
  }

  /** Deletes the entity and every link to it. @example tx.goals[goalId].delete() */
  delete(): TxChunk {
    return this.#append('delete', null);
  }

  /** Passes values to this entity's permission rules as `ruleParams`. @example tx.goals[goalId].ruleParams({ code: 'x' }) */
  ruleParams(params: unknown): TxChunk {
    return this.#append('ruleParams', recordAttrs('ruleParams', this.#space.namespace, this.#id, params));
  }

  /**
   * Runs `recipe` on an immer draft of `current` and records the fewest `update`/`merge` steps that make
   * the server's copy equal the recipe's result. No change records nothing.
   *
   * @example
   * type Goal = { title: string; note?: string; metrics: { progress: number } };
   * const goal: Goal = { title: 'Get fit', note: 'soon', metrics: { progress: 0 } };
   * tx.goals[goalId].change(goal, (draft) => { draft.metrics.progress = 0.5; delete draft.note; })
   * // one step: ['merge', 'goals', goalId, { metrics: { progress: 0.5 }, note: null }]
   */
  change<T extends object>(current: T, recipe: (draft: T) => void): TxChunk {
    const { update, merge } = draftChanges(current, recipe, `${this.#label()}.change`);
    let chunk: TxChunk = this;
    if (update) chunk = chunk.update(update);
    if (merge) chunk = chunk.merge(merge);
    return chunk;
  }

  #label(): string {
    return `${this.#space.namespace}[${describeEntityRef(this.#id)}]`;
  }

  /** The recorded steps, so `JSON.stringify(chunk)` shows them. @example JSON.stringify(tx.goals[goalId].delete()) // '[["delete","goals","<goalId>",null]]' */
  toJSON(): readonly RecordedStep[] {
    return getSteps(this);
  }

  /** `TxChunk goals[<id>]: update, link`. @example String(tx.goals[goalId].update({ title: 'x' }).link({ todos: todoId })) // 'TxChunk goals[<goalId>]: update, link' */
  toString(): string {
    const actions: string[] = [];
    for (let node: TxChunk | undefined = this; node !== undefined && node.#count > 0; node = node.#prev) {
      actions.push(node.#action!);
    }
    actions.reverse();
    return `TxChunk ${this.#label()}: ${actions.length > 0 ? actions.join(', ') : '(no steps)'}`;
  }

  /** Any primitive conversion gives {@link TxChunk.toString}'s text. @example `${tx.goals[goalId].delete()}` // 'TxChunk goals[<goalId>]: delete' */
  [Symbol.toPrimitive](): string {
    return this.toString();
  }

  /** What `console.log(chunk)` shows. @example console.log(tx.goals[goalId].delete()) // TxChunk { namespace: 'goals', id: '<goalId>', steps: [...] } */
  [INSPECT_CUSTOM](_depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    const shown = { namespace: this.#space.namespace, id: this.#id, steps: getSteps(this) };
    return `TxChunk ${inspect(shown, options)}`;
  }
}

Object.setPrototypeOf(TxChunk.prototype, createOperationGuard(CHUNK_OPERATIONS));
Object.freeze(TxChunk.prototype);

/**
 * The steps a chunk recorded, oldest first, as fresh deep-frozen tuples.
 *
 * @example
 * getSteps(tx.goals[goalId].update({ title: 'x' })) // [['update', 'goals', goalId, { title: 'x' }]]
 */
export function getSteps(chunk: object): readonly RecordedStep[] {
  if (!TxChunk.isChunk(chunk)) throw new TypeError('getSteps() takes a chunk made by tx');
  const into = createStepCollector(countSteps(chunk), true);
  writeSteps(chunk, into);
  return Object.freeze(into.steps);
}

/** What {@link appendSteps} answers for a value that is not a chunk. */
export const NOT_A_CHUNK: unique symbol = Symbol('not a chunk');

/**
 * How many steps a chunk holds (0 for anything that is not a chunk): what a collector must make room for.
 *
 * @example
 * stepCount(tx.goals[goalId].update({ title: 'x' }).link({ todos: todoId })) // 2
 */
export function stepCount(value: unknown): number {
  return countSteps(value);
}

/**
 * Appends a chunk's steps, oldest first, to `into` and returns the schema of the `tx` that made it, or
 * {@link NOT_A_CHUNK}. The compiler's allocation-light path.
 *
 * @example
 * const into = { steps: new Array(1), length: 0, freeze: true, wire: true }; // see createStepCollector
 * appendSteps(tx.goals[goalId].delete(), into) // undefined (no schema); into.steps is [['delete', 'goals', goalId, null]]
 */
export function appendSteps(value: unknown, into: StepCollector): unknown {
  if (!TxChunk.isChunk(value)) return NOT_A_CHUNK;
  writeSteps(value, into);
  return readSchema(value);
}
