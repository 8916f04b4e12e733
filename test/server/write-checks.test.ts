import { describe, expect, it } from 'vitest';
import { CelEvaluator } from '../../src/server/permissions/cel-evaluator.ts';
import { modifiedFields, updatedEntities } from '../../src/server/permissions/entity-updates.ts';
import type { CheckPlan } from '../../src/server/permissions/write-check.ts';
import { checksAfterWrite, checksBeforeWrite } from '../../src/server/permissions/write-checks.ts';
import { ATTR_DEFAULTS, type Attr } from '../../src/server/store/attr.ts';
import { entityKey, type EntityChanges } from '../../src/server/transact/entity-change.ts';
import type { Op } from '../../src/server/transact/ops.ts';

const attr = (ns: string, label: string, extra: Partial<Attr> = {}): Attr => ({
  ...ATTR_DEFAULTS,
  id: `${ns}.${label}`,
  ns,
  label,
  ...extra,
});
const title = attr('posts', 'title');
const meta = attr('posts', 'meta');
const author = attr('posts', 'author', { valueType: 'ref', revNs: 'users', revLabel: 'posts' });

function plan(
  rules: Record<string, unknown>,
  ops: Op[],
  before: Record<string, Record<string, unknown> | undefined>,
  extra: Partial<EntityChanges> = {},
): CheckPlan {
  const changes: EntityChanges = {
    phase: 'before-write',
    ops,
    before: new Map(Object.entries(before)),
    after: new Map(),
    createdAttrs: [],
    deletedAttrs: [],
    ...extra,
  };
  const updated = updatedEntities(changes.before, ops);
  return { rules, changes, ruleParams: new Map(), updated, modified: modifiedFields(ops) };
}

describe('newData and request.modifiedFields, computed from the ops', () => {
  it('applies writes, merges and retracts in step order; lists written labels once, without id', () => {
    const ops: Op[] = [
      { kind: 'add-triple', e: 'p', attr: attr('posts', 'id'), value: 'p' },
      { kind: 'add-triple', e: 'p', attr: meta, value: { a: 1, b: 2 } },
      { kind: 'merge', e: 'p', attr: meta, patch: { b: null, c: 3 } },
      { kind: 'add-triple', e: 'p', attr: title, value: 't' },
      { kind: 'add-triple', e: 'p', attr: title, value: 'u' },
    ];
    const before = new Map([[entityKey('posts', 'p'), { id: 'p', title: 'old' }]]);
    expect(updatedEntities(before, ops).get(entityKey('posts', 'p'))).toEqual({
      id: 'p',
      title: 'u',
      meta: { a: 1, c: 3 },
    });
    expect(modifiedFields(ops).get('p')).toEqual(['meta', 'title']);
  });
});

describe('the checks planned for a transaction', () => {
  it('before the write: admin-only delete-attr, delete (even of nothing), update of what exists', () => {
    const ops: Op[] = [
      { kind: 'add-triple', e: 'p', attr: title, value: 'new' },
      { kind: 'add-triple', e: 'q', attr: title, value: 'fresh' },
      { kind: 'delete-entity', e: 'gone', ns: 'posts' },
    ];
    const p = plan({}, ops, { [entityKey('posts', 'p')]: { id: 'p', title: 'old' } }, { deletedAttrs: ['a1'] });
    expect(checksBeforeWrite(p)).toEqual([
      {
        scope: 'attr',
        action: 'delete',
        ns: 'attrs',
        id: 'a1',
        program: false,
        bindings: { data: {}, ruleParams: {} },
      },
      {
        ...{ scope: 'object', action: 'update', ns: 'posts', id: 'p', program: true },
        bindings: {
          ...{ data: { id: 'p', title: 'old' }, newData: { id: 'p', title: 'new' }, ruleParams: {} },
          request: { modifiedFields: ['title'] },
        },
      },
      {
        ...{ scope: 'object', action: 'delete', ns: 'posts', id: 'gone', program: true },
        bindings: { data: {}, ruleParams: {} },
      },
    ]);
  });

  it("a link runs each side's link rule when either side has one, with linkedData and actions", () => {
    const rules = { users: { allow: { link: { posts: 'linkedData.title == "t"' } } } };
    const ops: Op[] = [{ kind: 'add-triple', e: 'p', attr: author, value: 'u' }];
    const before = { [entityKey('posts', 'p')]: { id: 'p', title: 't' }, [entityKey('users', 'u')]: { id: 'u' } };
    const [check, ...rest] = checksBeforeWrite(plan(rules, ops, before));
    expect(rest).toEqual([]);
    expect(check).toMatchObject({
      ...{ scope: 'object', action: 'link', ns: 'users', id: 'u', linkedNs: 'posts' },
      bindings: {
        data: { id: 'u', $action: 'update' },
        linkedData: { id: 'p', title: 't', author: 'u' },
        actions: { data: 'update', linkedData: 'update' },
      },
    });
  });

  it('after the write: attrs.allow.create for new attributes, create for new entities', () => {
    const created = attr('posts', 'title');
    const ops: Op[] = [{ kind: 'add-triple', e: 'q', attr: title, value: 'fresh' }];
    const p = plan(
      { attrs: { allow: { create: 'false' } } },
      ops,
      {},
      {
        phase: 'after-write',
        after: new Map([[entityKey('posts', 'q'), { id: 'q', title: 'fresh' }]]),
        createdAttrs: [created],
      },
    );
    expect(checksAfterWrite(p).map((c) => [c.scope, c.action, c.ns, c.id, c.program])).toEqual([
      ['attr', 'create', 'attrs', 'posts.title', '(false\n)'],
      ['object', 'create', 'posts', 'q', true],
    ]);
  });

  it('refuses to create a $users row', () => {
    const nickname = attr('$users', 'nickname');
    const p = plan({}, [{ kind: 'add-triple', e: 'u', attr: nickname, value: 'n' }], {}, { phase: 'after-write' });
    expect(() => checksAfterWrite(p)).toThrow("$users is a system entity. You aren't allowed to create this directly.");
  });
});

describe('CEL rewrites', () => {
  const cel = new CelEvaluator(() => []);
  const site = { ns: 'posts', rule: ['posts', 'view'] as const };

  it('reads keys that start with $ (as Instant does) and leaves strings and comments alone', () => {
    const bindings = { auth: {}, data: {}, ruleParams: { $user: 'a.$b' } };
    expect(cel.allows("ruleParams.$user == 'a.$b' // data.ref('x.$y')", site, bindings)).toBe(true);
    expect(cel.allows('ruleParams.$file == null', site, bindings)).toBe(true);
  });

  it('gives rules request.modifiedFields and actions', () => {
    const bindings = {
      ...{ auth: {}, data: {}, ruleParams: {} },
      request: { modifiedFields: ['likes'] },
      actions: { data: 'create' },
    };
    expect(
      cel.allows("request.modifiedFields.all(f, f in ['likes']) && actions.data == 'create'", site, bindings),
    ).toBe(true);
  });
});
