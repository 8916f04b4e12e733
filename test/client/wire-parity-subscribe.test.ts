import { readFileSync } from 'node:fs';
import { init as officialInit } from '@instantdb/admin';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { init } from '../../src/index.ts';
import { subscribeVersions } from '../../src/client/version.ts';
import { startStub, type Recorded, type Stub } from './stub-server.ts';

const appId = crypto.randomUUID();
const adminToken = crypto.randomUUID();
const refreshToken = crypto.randomUUID();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const HEADERS = ['app-id', 'authorization', 'as-email', 'as-token', 'as-guest', 'content-type', 'accept'];

/** What must match: method, path, query parameter names, the headers above, and the body but `versions`. */
function essentials(request: Recorded) {
  const { versions, ...body } = request.body as Record<string, unknown>;
  return {
    method: request.method,
    path: request.path,
    queryNames: Object.keys(request.query),
    headers: Object.fromEntries(
      HEADERS.filter((name) => request.headers[name] !== undefined).map((name) => [
        name,
        String(request.headers[name]).split(';')[0],
      ]),
    ),
    body,
    versionsIsObject: typeof versions === 'object' && versions !== null,
  };
}

async function oneRequest(stub: Stub): Promise<Recorded> {
  for (let n = 0; n < 200 && stub.requests.length === 0; n++) await new Promise((resolve) => setTimeout(resolve, 5));
  return stub.requests[0]!;
}

describe('subscribeQuery sends what @instantdb/admin 1.0.67 sends', () => {
  let stub: Stub;
  beforeAll(async () => {
    stub = await startStub();
    // A JSON answer is not an event stream: both clients stop after one request, with no reconnection.
    stub.fallback = () => ({ status: 200, body: {} });
  });
  beforeEach(() => {
    stub.requests.length = 0;
  });
  afterAll(() => stub.close());

  const calls: [string, (db: any) => { close(): void }][] = [
    ['admin', (db) => db.subscribeQuery({ goals: { $: { where: { title: 'x' } }, todos: {} } })],
    ['with ruleParams', (db) => db.subscribeQuery({ goals: {} }, undefined, { ruleParams: { k: 'v' } })],
    ['asUser email', (db) => db.asUser({ email: 'a@b.co' }).subscribeQuery({ goals: {} })],
    ['asUser token', (db) => db.asUser({ token: refreshToken }).subscribeQuery({ goals: {} })],
    ['asUser guest', (db) => db.asUser({ guest: true }).subscribeQuery({ goals: {} })],
  ];

  for (const [label, call] of calls) {
    it(label, async () => {
      const ours = init({ appId, adminToken, apiURI: stub.url });
      const theirs = officialInit({ appId, adminToken, apiURI: stub.url });
      const mine = call(ours);
      const minePayload = await oneRequest(stub);
      mine.close();
      stub.requests.length = 0;
      const official = call(theirs);
      const officialPayload = await oneRequest(stub);
      official.close();
      expect(essentials(minePayload)).toEqual(essentials(officialPayload));
      expect(minePayload.query.local_connection_id).toMatch(UUID);
      expect(officialPayload.query.local_connection_id).toMatch(UUID);
    });
  }

  it('reports this package and its version in `versions`', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(subscribeVersions()).toEqual({ 'instant-tx': pkg.version });
  });
});
