import util from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  compile,
  getSteps,
  i,
  id,
  InstantValidationError,
  lookup,
  tx,
  txFor,
  TxChunk,
  UnknownOperationError,
} from '../src/index.ts';

const goalId = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
const todoId = '6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';

describe('chunks are persistent values', () => {
  it('returns a new chunk from every method and never changes the old one', () => {
    const base = tx.goals[goalId].update({ title: 'Get fit' });
    const linked = base.link({ todos: todoId });
    expect(linked).not.toBe(base);
    expect(getSteps(base)).toHaveLength(1);
    expect(getSteps(linked)).toHaveLength(2);
  });

  it('keeps two chains branching from one chunk apart', () => {
    const base = tx.goals[goalId].update({ title: 'Get fit' });
    const a = base.link({ todos: todoId });
    const b = base.delete();
    expect(getSteps(a).map((s) => s[0])).toEqual(['update', 'link']);
    expect(getSteps(b).map((s) => s[0])).toEqual(['update', 'delete']);
  });

  it('copies arguments: mutating the input after recording changes nothing', () => {
    const attrs = { title: 'Get fit', meta: { tags: ['health'] } };
    const links = { todos: [todoId] };
    const chunk = tx.goals[goalId].update(attrs).link(links);
    attrs.title = 'changed';
    attrs.meta.tags.push('mutated');
    links.todos.push(goalId);
    expect(compile(chunk)).toEqual([
      ['update', 'goals', goalId, { title: 'Get fit', meta: { tags: ['health'] } }],
      ['link', 'goals', goalId, { todos: [todoId] }],
    ]);
  });

  it('deep-freezes recorded steps and the chunk itself', () => {
    const chunk = tx.goals[goalId].update({ meta: { tags: ['a'] } }).link({ todos: [todoId] });
    const [update, link] = getSteps(chunk);
    expect(Object.isFrozen(update)).toBe(true);
    expect(Object.isFrozen(update![3])).toBe(true);
    expect(Object.isFrozen((update![3] as { meta: object }).meta)).toBe(true);
    expect(Object.isFrozen(link![3])).toBe(true);
    expect(Object.isFrozen(getSteps(chunk))).toBe(true);
    expect(Object.isExtensible(chunk)).toBe(true); // state is private; assignment is refused below
    expect(() => {
      (chunk as unknown as { extra: number }).extra = 1;
    }).toThrow(TypeError);
  });

  it('keeps its state hidden: no __ops, no enumerable fields', () => {
    const chunk = tx.goals[goalId].update({ title: 'x' });
    expect(Object.keys(chunk)).toEqual([]);
    expect('__ops' in chunk).toBe(false);
    expect(TxChunk.isChunk(chunk)).toBe(true);
    expect(TxChunk.isChunk({ __ops: [] })).toBe(false);
  });
});

describe('entry points', () => {
  it('offers the call form and the index form with the same result', () => {
    expect(compile(tx.goals(goalId).update({ a: 1 }))).toEqual(compile(tx.goals[goalId].update({ a: 1 })));
  });

  it('accepts lookups as index, call argument, method and link target', () => {
    const byIndex = compile(tx.users[lookup('email', 'a@b.co')].update({ n: 1 }));
    const byCall = compile(tx.users(lookup('email', 'a@b.co')).update({ n: 1 }));
    const byMethod = compile(tx.users.lookup('email', 'a@b.co').update({ n: 1 }));
    expect(byIndex).toEqual([['update', 'users', ['email', 'a@b.co'], { n: 1 }]]);
    expect(byCall).toEqual(byIndex);
    expect(byMethod).toEqual(byIndex);
    expect(compile(tx.goals[goalId].link({ owner: lookup('email', 'a@b.co') }))).toEqual([
      ['link', 'goals', goalId, { owner: 'lookup__email__"a@b.co"' }],
    ]);
  });

  it('accepts the official lookup__ string and the {attr: value} target form', () => {
    const chunk = tx.goals[goalId].link({ owner: { handle: 'stopa' } as never, todos: ['lookup__slug__"run"'] });
    expect(compile(chunk)).toEqual([
      ['link', 'goals', goalId, { owner: 'lookup__handle__"stopa"', todos: ['lookup__slug__"run"'] }],
    ]);
  });

  it('handles lookup attributes the official SDK crashes on (a__b, trailing _)', () => {
    expect(compile(tx.users[lookup('a__b', 'x')].link({ pal: lookup('c_', 1) }))).toEqual([
      ['link', 'users', ['a__b', 'x'], { pal: { c_: 1 } }],
    ]);
  });

  it('id() makes distinct v4 UUIDs', () => {
    const ids = new Set(Array.from({ length: 100 }, () => id()));
    expect(ids.size).toBe(100);
    for (const value of ids)
      expect(value).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('rejects ids that are neither UUIDs nor lookups, naming the path', () => {
    expect(() => tx.goals['goal-1']).toThrow(InstantValidationError);
    expect(() => tx.goals['goal-1']).toThrow(/goals\[goal-1\]: expected a UUID/);
    expect(() => (tx.goals as unknown as (id: unknown) => unknown)(42)).toThrow(InstantValidationError);
    expect(() => tx('')).toThrow(/namespace name must be a non-empty string/);
  });

  it('rejects empty link labels and non-id link targets', () => {
    const error = catchError(() => tx.goals[goalId].link({ '': todoId, todos: ['nope', 7] as never }));
    expect(error).toBeInstanceOf(InstantValidationError);
    expect((error as InstantValidationError).issues.map((issue) => issue.path)).toEqual([
      `goals[${goalId}].link[""]`,
      `goals[${goalId}].link.todos[0]`,
      `goals[${goalId}].link.todos[1]`,
    ]);
  });
});

describe('a misspelled method', () => {
  it('throws UnknownOperationError listing the valid operations', () => {
    const chunk = tx.goals[goalId] as unknown as Record<string, unknown>;
    const error = catchError(() => chunk.updaet);
    expect(error).toBeInstanceOf(UnknownOperationError);
    expect((error as UnknownOperationError).message).toBe(
      "unknown operation 'updaet'; expected one of update, create, merge, link, unlink, delete, ruleParams, change",
    );
  });
});

describe('the proxies are well-mannered objects', () => {
  const chunk = tx.goals[goalId].update({ title: 'x' });

  it('can be awaited without hanging or turning into something else', async () => {
    expect(await chunk).toBe(chunk);
    expect(await tx).toBe(tx);
    expect(await tx.goals).toBe(tx.goals);
    expect((chunk as unknown as { then?: unknown }).then).toBeUndefined();
  });

  it('converts to strings and primitives', () => {
    expect(String(chunk)).toBe(`TxChunk goals[${goalId}]: update`);
    expect(`${chunk}`).toBe(String(chunk));
    expect(String(tx.goals)).toBe('tx.goals');
    expect(String(tx)).toBe('tx');
    expect(Number(chunk as unknown as number)).toBeNaN();
  });

  it('inspects readably', () => {
    expect(util.inspect(chunk)).toContain("namespace: 'goals'");
    expect(util.inspect(tx)).toBe('[tx]');
    expect(util.inspect(tx.goals)).toBe('[tx.goals]');
  });

  it('JSON.stringify shows the recorded steps', () => {
    expect(JSON.parse(JSON.stringify(chunk))).toEqual([['update', 'goals', goalId, { title: 'x' }]]);
    expect(JSON.stringify({ t: tx })).toBe('{}');
  });

  it('answers Object.prototype members on chunks', () => {
    expect(chunk.constructor).toBe(TxChunk);
    expect(Object.getPrototypeOf(chunk)).toBe(TxChunk.prototype);
    expect((chunk as unknown as { __proto__: unknown }).__proto__).toBe(TxChunk.prototype);
    expect(Object.hasOwn(chunk, 'x')).toBe(false);
    expect(Object.hasOwn(chunk, 'update')).toBe(false);
  });

  it('treats constructor, toString, valueOf and __proto__ as namespace names without touching prototypes', () => {
    const names = ['constructor', 'toString', 'valueOf', '__proto__', 'hasOwnProperty'] as const;
    for (const name of names) {
      const steps = compile((tx as unknown as Record<string, typeof tx.goals>)[name]![goalId]!.update({ a: 1 }));
      expect(steps).toEqual([['update', name, goalId, { a: 1 }]]);
    }
    expect(({} as Record<string, unknown>).a).toBeUndefined();
    expect(Object.prototype.toString.call({})).toBe('[object Object]');
  });

  it('keeps await, JSON.stringify and inspect safe after tx("then") and tx("toJSON") were called', async () => {
    const own = txFor(undefined);
    const then = own('then');
    own('toJSON');
    own('$$typeof');
    expect((own as unknown as { then?: unknown }).then).toBeUndefined();
    expect((own as unknown as { toJSON?: unknown }).toJSON).toBeUndefined();
    expect((own as unknown as Record<string, unknown>).$$typeof).toBeUndefined();
    expect(await own).toBe(own);
    expect(JSON.stringify({ own })).toBe('{}');
    expect(util.inspect(own)).toBe('[tx]');
    expect(own('then')).toBe(then);
    // The shared tx too: the README recommends tx('then') for a namespace called then.
    tx('then');
    tx('toJSON');
    expect(await tx).toBe(tx);
    expect(JSON.stringify({ t: tx })).toBe('{}');
  });

  it('reaches a namespace called then through the call form, keeping await safe', async () => {
    expect((tx as unknown as { then?: unknown }).then).toBeUndefined();
    expect(compile(tx('then')[goalId]!.delete())).toEqual([['delete', 'then', goalId, null]]);
    expect(compile(tx('toJSON')(goalId).delete())).toEqual([['delete', 'toJSON', goalId, null]]);
  });

  it('refuses Object.prototype names as ids with the same typed error as the call form', () => {
    const typed = txFor(i.schema({ entities: { goals: i.entity({ title: i.string() }) } }));
    const names = [
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'toString',
      'valueOf',
      'isPrototypeOf',
      'toLocaleString',
      '__defineGetter__',
      'arguments',
      'caller',
      'namespace',
      'schema',
    ];
    for (const builder of [tx.goals, typed.goals] as unknown as Record<string, unknown>[]) {
      for (const name of names) {
        const byIndex = catchError(() => builder[name]);
        const byCall = catchError(() => (builder as unknown as (id: string) => unknown)(name));
        expect(byIndex, name).toBeInstanceOf(InstantValidationError);
        expect((byIndex as InstantValidationError).issues, name).toEqual((byCall as InstantValidationError).issues);
        expect((byIndex as InstantValidationError).issues[0]!.path).toBe(`goals[${name}]`);
      }
    }
  });

  it('still behaves as a function and reads probe names as undefined on a namespace', () => {
    expect((tx.goals as unknown as { then?: unknown }).then).toBeUndefined();
    expect(typeof tx.goals.name).toBe('string');
    expect(
      compile((tx.goals as unknown as { call: (self: unknown, id: string) => object }).call(null, goalId)),
    ).toEqual([]);
    expect(Object.prototype.toString.call(tx.goals)).toBe('[object Function]');
  });

  it('treats Object.prototype names as namespaces on tx, in both forms', () => {
    for (const name of ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf']) {
      const byIndex = (tx as unknown as Record<string, typeof tx.goals>)[name]!;
      expect(compile(byIndex(goalId).delete())).toEqual([['delete', name, goalId, null]]);
      expect(compile(tx(name)(goalId).delete())).toEqual([['delete', name, goalId, null]]);
      expect(() => (byIndex as unknown as Record<string, unknown>)[name]).toThrow(InstantValidationError);
    }
  });

  it('refuses writes to tx, namespaces and chunks', () => {
    expect(() => {
      (tx as unknown as Record<string, unknown>).goals = 1;
    }).toThrow(TypeError);
    expect(() => {
      (tx.goals as unknown as Record<string, unknown>)[goalId] = 1;
    }).toThrow(TypeError);
    expect(() => Object.defineProperty(tx, 'x', { value: 1 })).toThrow(TypeError);
  });

  it('does not turn symbols into ids or namespaces', () => {
    expect((tx as unknown as Record<symbol, unknown>)[Symbol.iterator]).toBeUndefined();
    expect((tx.goals as unknown as Record<symbol, unknown>)[Symbol('x')]).toBeUndefined();
    expect((chunk as unknown as Record<symbol, unknown>)[Symbol.asyncIterator]).toBeUndefined();
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
