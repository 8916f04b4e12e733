import { beforeAll, describe, expect, it } from 'vitest';
import { useServer, uuid } from './helpers.ts';

type Action = 'view' | 'create' | 'update' | 'delete' | 'link';
const ACTIONS: Action[] = ['view', 'create', 'update', 'delete', 'link'];
const RULES = { allow: 'true', deny: 'false' } as const;
const ALL_TRUE = { view: 'true', create: 'true', update: 'true', delete: 'true' };

/** One namespace per cell: the action's rule is the cell's, every other action is allowed. A link is
 * checked as `update` on the source and `view` on the target, so link cells vary the target's view rule. */
const rules: Record<string, unknown> = {};
for (const action of ACTIONS) {
  for (const [variant, code] of Object.entries(RULES)) {
    if (action === 'link') {
      rules[`src_link_${variant}`] = { allow: ALL_TRUE };
      rules[`dst_link_${variant}`] = { allow: { ...ALL_TRUE, view: code } };
    } else {
      rules[`${action}_${variant}`] = { allow: { ...ALL_TRUE, [action]: code } };
    }
  }
}

describe('permission matrix: caller × action × rule', () => {
  const api = useServer({ rules: rules as never });
  const callers: Record<string, () => Record<string, string>> = {};

  beforeAll(async () => {
    const { body } = await api.call('POST', '/admin/refresh_tokens', { email: 'member@example.com' });
    const token = body.user.refresh_token;
    callers.admin = () => ({});
    callers.user = () => ({ 'as-token': token, authorization: '' });
    callers.guest = () => ({ 'as-guest': 'true', authorization: '' });
  });

  const exists = async (ns: string, id: string) =>
    (await api.query({ [ns]: { $: { where: { id } } } })).body[ns].length === 1;

  for (const caller of ['admin', 'user', 'guest'] as const) {
    for (const action of ACTIONS) {
      for (const variant of ['allow', 'deny'] as const) {
        const allowed = caller === 'admin' || variant === 'allow';
        it(`${caller} ${action} under a ${variant} rule → ${allowed ? 'allowed' : 'denied'}`, async () => {
          const as = callers[caller]!();
          const ns = `${action}_${variant}`;
          const id = uuid();
          if (action === 'view') {
            await api.transact([['update', ns, id, { n: 1 }]]);
            const rows = (await api.query({ [ns]: { $: { where: { id } } } }, {}, as)).body[ns];
            expect(rows.length).toBe(allowed ? 1 : 0);
            return;
          }
          if (action === 'link') {
            const target = uuid();
            await api.transact([
              ['update', `src_link_${variant}`, id, { n: 1 }],
              ['update', `dst_link_${variant}`, target, { n: 1 }],
            ]);
            const res = await api.transact(
              [['link', `src_link_${variant}`, id, { [`dst_link_${variant}`]: target }]],
              {},
              as,
            );
            expect(res.status).toBe(allowed ? 200 : 400);
            const linked = (
              await api.query({ [`src_link_${variant}`]: { $: { where: { id } }, [`dst_link_${variant}`]: {} } })
            ).body[`src_link_${variant}`][0];
            expect(linked[`dst_link_${variant}`].length).toBe(allowed ? 1 : 0);
            return;
          }
          if (action !== 'create') await api.transact([['update', ns, id, { n: 1 }]]);
          const step = action === 'delete' ? ['delete', ns, id] : ['update', ns, id, { n: 2 }];
          const res = await api.transact([step], {}, as);
          expect(res.status, JSON.stringify(res.body)).toBe(allowed ? 200 : 400);
          if (!allowed)
            expect(res.body).toEqual({
              type: 'permission-denied',
              message: 'Permission denied: not perms-pass?',
              hint: { input: [ns, 'object'], expected: 'perms-pass?' },
            });
          if (action === 'delete') expect(await exists(ns, id)).toBe(!allowed);
          else if (action === 'create') expect(await exists(ns, id)).toBe(allowed);
          else expect((await api.query({ [ns]: { $: { where: { id } } } })).body[ns][0].n).toBe(allowed ? 2 : 1);
        });
      }
    }
  }
});

describe('rule features: bind, ruleParams, data.ref, auth', () => {
  const api = useServer({
    rules: {
      docs: {
        allow: { view: 'isOwner || ruleParams.secret == data.secret', update: 'isOwner' },
        bind: ['isOwner', "auth.email in data.ref('owner.email')"],
      },
    } as never,
  });

  it('lets the owner (through a link) or the ruleParams holder see a doc, no one else', async () => {
    const { body } = await api.call('POST', '/admin/refresh_tokens', { email: 'owner@example.com' });
    const owner = body.user;
    const stranger = (await api.call('POST', '/admin/refresh_tokens', { email: 'stranger@example.com' })).body.user;
    const doc = uuid();
    const ownerLink = {
      id: uuid(),
      'forward-identity': [uuid(), 'docs', 'owner'],
      'reverse-identity': [uuid(), '$users', 'docs'],
      'value-type': 'ref',
      cardinality: 'one',
      'unique?': false,
      'index?': false,
    };
    await api.transact([
      ['add-attr', ownerLink],
      ['update', 'docs', doc, { secret: 's3' }],
      ['link', 'docs', doc, { owner: owner.id }],
    ]);
    const asOwner = await api.query({ docs: {} }, {}, { 'as-token': owner.refresh_token, authorization: '' });
    expect(asOwner.body.docs.map((d: { id: string }) => d.id)).toEqual([doc]);
    const asStranger = await api.query({ docs: {} }, {}, { 'as-token': stranger.refresh_token, authorization: '' });
    expect(asStranger.body.docs).toEqual([]);
    const withParams = await api.query(
      { docs: {}, $$ruleParams: { secret: 's3' } },
      {},
      { 'as-token': stranger.refresh_token, authorization: '' },
    );
    expect(withParams.body.docs.map((d: { id: string }) => d.id)).toEqual([doc]);
    const denied = await api.transact(
      [['update', 'docs', doc, { secret: 'x' }]],
      {},
      { 'as-token': stranger.refresh_token, authorization: '' },
    );
    expect(denied.body.type).toBe('permission-denied');
    const allowed = await api.transact(
      [['update', 'docs', doc, { secret: 'y' }]],
      {},
      { 'as-token': owner.refresh_token, authorization: '' },
    );
    expect(allowed.status).toBe(200);
  });
});

describe('ruleParams steps and auth.ref in write rules', () => {
  const api = useServer({
    rules: {
      vaults: {
        allow: { create: 'ruleParams.code == "open-sesame"', update: "'admins' in auth.ref('$user.teams.name')" },
      },
    } as never,
  });

  it("passes ruleParams steps to that entity's create rule, and follows auth.ref through links", async () => {
    const { body } = await api.call('POST', '/admin/refresh_tokens', { email: 'team@example.com' });
    const as = { 'as-token': body.user.refresh_token, authorization: '' };
    const vault = uuid();
    const denied = await api.transact(
      [
        ['update', 'vaults', vault, { n: 1 }],
        ['ruleParams', 'vaults', vault, { code: 'wrong' }],
      ],
      {},
      as,
    );
    expect(denied.body.type).toBe('permission-denied');
    const allowed = await api.transact(
      [
        ['update', 'vaults', vault, { n: 1 }],
        ['ruleParams', 'vaults', vault, { code: 'open-sesame' }],
      ],
      {},
      as,
    );
    expect(allowed.status).toBe(200);
    expect((await api.transact([['update', 'vaults', vault, { n: 2 }]], {}, as)).body.type).toBe('permission-denied');
    const teamLink = {
      id: uuid(),
      'forward-identity': [uuid(), '$users', 'teams'],
      'reverse-identity': [uuid(), 'teams', 'members'],
      'value-type': 'ref',
      cardinality: 'many',
      'unique?': false,
      'index?': false,
    };
    const team = uuid();
    await api.transact([
      ['add-attr', teamLink],
      ['update', 'teams', team, { name: 'admins' }],
      ['link', '$users', body.user.id, { teams: team }],
    ]);
    expect((await api.transact([['update', 'vaults', vault, { n: 3 }]], {}, as)).status).toBe(200);
  });
});
