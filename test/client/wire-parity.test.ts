import { tx as officialTx } from '@instantdb/admin';
import { describe, expect, it } from 'vitest';
import { tx } from '../../src/index.ts';
import type { Recorded } from './stub-server.ts';
import { essentials, useParityPair } from './wire-essentials.ts';

const appId = crypto.randomUUID();
const adminToken = crypto.randomUUID();
const refreshToken = crypto.randomUUID();
const goal = crypto.randomUUID();

/** Canned answers so both SDKs accept the response. */
function answer(request: Recorded) {
  const user = { id: crypto.randomUUID(), email: 'a@b.co', refresh_token: refreshToken };
  switch (request.path) {
    case '/admin/transact':
      return { status: 200, body: { 'tx-id': 1 } };
    case '/admin/refresh_tokens':
      return { status: 200, body: { user, created: false } };
    case '/runtime/auth/verify_refresh_token':
      return { status: 200, body: { user } };
    case '/admin/users':
      return { status: 200, body: request.method === 'GET' ? { user } : { deleted: user } };
    case '/admin/sign_out':
      return { status: 200, body: { ok: true } };
    case '/admin/query_perms_check':
      return { status: 200, body: { result: {}, 'check-results': [] } };
    case '/admin/transact_perms_check':
      return { status: 200, body: { 'tx-id': 1, 'all-checks-ok?': true, 'committed?': false, 'check-results': [] } };
    default:
      return { status: 200, body: {} };
  }
}

describe('requests match what @instantdb/admin sends for the same call', () => {
  const pair = useParityPair(answer, { appId, adminToken });

  const calls: [string, (db: any, t: any) => Promise<unknown>][] = [
    ['query', (db) => db.query({ goals: { $: { where: { title: 'x' } }, todos: {} } })],
    ['query with ruleParams', (db) => db.query({ goals: {} }, { ruleParams: { k: 'v' } })],
    [
      'transact',
      (db, t) => db.transact([t.goals[goal].update({ title: 'x' }).link({ todos: goal }), t.goals[goal].delete()]),
    ],
    ['asUser email query', (db) => db.asUser({ email: 'a@b.co' }).query({ goals: {} })],
    ['asUser token transact', (db, t) => db.asUser({ token: refreshToken }).transact(t.goals[goal].update({ a: 1 }))],
    ['asUser guest query', (db) => db.asUser({ guest: true }).query({ goals: {} })],
    ['createToken', (db) => db.auth.createToken('a@b.co')],
    ['verifyToken', (db) => db.auth.verifyToken(refreshToken)],
    ['getUser by email', (db) => db.auth.getUser({ email: 'a@b.co' })],
    ['getUser by refresh token', (db) => db.auth.getUser({ refresh_token: refreshToken })],
    ['deleteUser by id', (db) => db.auth.deleteUser({ id: goal })],
    ['signOut by email', (db) => db.auth.signOut('a@b.co')],
    ['debugQuery', (db) => db.asUser({ guest: true }).debugQuery({ goals: {} })],
    ['debugTransact', (db, t) => db.asUser({ guest: true }).debugTransact(t.goals[goal].update({ a: 1 }))],
  ];

  for (const [label, call] of calls) {
    it(label, async () => {
      await call(pair.ours, tx);
      const mine = pair.stub.requests.map((request) => essentials(request));
      pair.stub.requests.length = 0;
      await call(pair.theirs, officialTx);
      const official = pair.stub.requests.map((request) => essentials(request));
      expect(mine).toHaveLength(1);
      expect(mine).toEqual(official);
    });
  }
});
