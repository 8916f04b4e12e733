import { draftChanges } from './change.ts';
import { describeEntityRef, type EntityRef } from './lookup.ts';
import { createOperationGuard } from './operation-guard.ts';
import { recordAttrStep, recordDeleteStep, recordLinkStep, type RecordedStep } from './recorded-step.ts';
import { INSPECT_CUSTOM } from './reserved-keys.ts';

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

let readSchema: (chunk: TxChunk) => unknown;
let writeSteps: (chunk: TxChunk, out: RecordedStep[]) => void;

/**
 * An immutable record of steps on one entity. Every operation returns a new chunk that points at the
 * one before it (a persistent list), so appending is O(1) and branches share their common past.
 * State lives in private fields: nothing like `__ops` is reachable or writable, and assigning any
 * property throws (the operation guard at the end of the prototype chain refuses it).
 *
 * @example
 * const chunk = tx.goals[goalId].update({ title: 'Get fit' }).link({ todos: todoId });
 */
export class TxChunk {
  readonly #namespace: string;
  readonly #id: EntityRef;
  readonly #schema: unknown;
  readonly #step: RecordedStep | undefined;
  readonly #prev: TxChunk | undefined;
  readonly #count: number;

  static {
    readSchema = (chunk) => chunk.#schema;
    writeSteps = (chunk, out) => {
      const start = out.length;
      out.length += chunk.#count;
      for (
        let current: TxChunk | undefined = chunk;
        current !== undefined && current.#step !== undefined;
        current = current.#prev
      ) {
        out[start + current.#count - 1] = current.#step;
      }
    };
  }

  /** @internal Made by the `tx` builder; not meant to be constructed directly. */
  constructor(namespace: string, id: EntityRef, schema: unknown, step?: RecordedStep, prev?: TxChunk) {
    this.#namespace = namespace;
    this.#id = id;
    this.#schema = schema;
    this.#step = step;
    this.#prev = prev;
    this.#count = prev === undefined ? (step ? 1 : 0) : prev.#count + 1;
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

  #append(step: RecordedStep): TxChunk {
    return new TxChunk(this.#namespace, this.#id, this.#schema, step, this.#step ? this : undefined);
  }

  /** Sets attributes (upsert by default; `{upsert: false}` fails when the entity is missing). @example tx.goals[goalId].update({ title: 'Get fit' }) */
  update(attrs: unknown, opts?: unknown): TxChunk {
    return this.#append(recordAttrStep('update', this.#namespace, this.#id, attrs, opts));
  }

  /** Creates the entity; fails on the server if it already exists. @example tx.goals[id()].create({ title: 'Get fit' }) */
  create(attrs: unknown): TxChunk {
    return this.#append(recordAttrStep('create', this.#namespace, this.#id, attrs, undefined));
  }

  /** Deep-merges into JSON attributes; `null` in a nested object removes that key. @example tx.goals[goalId].merge({ metrics: { progress: 0.5 } }) */
  merge(attrs: unknown, opts?: unknown): TxChunk {
    return this.#append(recordAttrStep('merge', this.#namespace, this.#id, attrs, opts));
  }

  /** Links the entity to others by label. @example tx.goals[goalId].link({ todos: [todoId, id()] }) */
  link(links: unknown): TxChunk {
    return this.#append(recordLinkStep('link', this.#namespace, this.#id, links));
  }

  /** Removes links by label. @example tx.goals[goalId].unlink({ todos: todoId }) */
  unlink(links: unknown): TxChunk {
    return this.#append(recordLinkStep('unlink', this.#namespace, this.#id, links));
  }

  /** Deletes the entity and every link to it. @example tx.goals[goalId].delete() */
  delete(): TxChunk {
    return this.#append(recordDeleteStep(this.#namespace, this.#id));
  }

  /** Passes values to this entity's permission rules as `ruleParams`. @example tx.goals[goalId].ruleParams({ code: 'x' }) */
  ruleParams(params: unknown): TxChunk {
    return this.#append(recordAttrStep('ruleParams', this.#namespace, this.#id, params, undefined));
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
    return `${this.#namespace}[${describeEntityRef(this.#id)}]`;
  }

  /** The recorded steps, so `JSON.stringify(chunk)` shows them. @example JSON.stringify(tx.goals[goalId].delete()) // '[["delete","goals","<goalId>",null]]' */
  toJSON(): readonly RecordedStep[] {
    return getSteps(this);
  }

  /** `TxChunk goals[<id>]: update, link`. @example String(tx.goals[goalId].update({ title: 'x' }).link({ todos: todoId })) // 'TxChunk goals[<goalId>]: update, link' */
  toString(): string {
    const actions = getSteps(this).map((step) => step[0]);
    return `TxChunk ${this.#label()}: ${actions.length > 0 ? actions.join(', ') : '(no steps)'}`;
  }

  /** Any primitive conversion gives {@link TxChunk.toString}'s text. @example `${tx.goals[goalId].delete()}` // 'TxChunk goals[<goalId>]: delete' */
  [Symbol.toPrimitive](): string {
    return this.toString();
  }

  /** What `console.log(chunk)` shows. @example console.log(tx.goals[goalId].delete()) // TxChunk { namespace: 'goals', id: '<goalId>', steps: [...] } */
  [INSPECT_CUSTOM](_depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    const shown = { namespace: this.#namespace, id: this.#id, steps: getSteps(this) };
    return `TxChunk ${inspect(shown, options)}`;
  }
}

Object.setPrototypeOf(TxChunk.prototype, createOperationGuard(CHUNK_OPERATIONS));
Object.freeze(TxChunk.prototype);

/**
 * The steps a chunk recorded, oldest first, as deep-frozen tuples.
 *
 * @example
 * getSteps(tx.goals[goalId].update({ title: 'x' })) // [['update', 'goals', goalId, { title: 'x' }]]
 */
export function getSteps(chunk: object): readonly RecordedStep[] {
  if (!TxChunk.isChunk(chunk)) throw new TypeError('getSteps() takes a chunk made by tx');
  const steps: RecordedStep[] = [];
  writeSteps(chunk, steps);
  return Object.freeze(steps);
}

/**
 * Appends a chunk's steps, oldest first, to `out` and returns the schema of the `tx` that made it;
 * returns `false` for something that is not a chunk. The compiler's allocation-free path.
 *
 * @example
 * const steps: RecordedStep[] = [];
 * appendSteps(tx.goals[goalId].delete(), steps) // { schema: undefined }; steps is [['delete', 'goals', goalId, null]]
 */
export function appendSteps(value: unknown, out: RecordedStep[]): { schema: unknown } | false {
  if (!TxChunk.isChunk(value)) return false;
  writeSteps(value, out);
  return { schema: readSchema(value) };
}
