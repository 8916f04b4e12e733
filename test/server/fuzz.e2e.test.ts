import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { MALFORMED_JSON } from '../../src/server/http/read-json-body.ts';
import { ROUTES } from '../../src/server/http/route-table.ts';
import { type Answer, fetchAnswer } from '../support/fetch-answer.ts';
import { type FuzzContext, type FuzzRequest, fuzzRequest, heavyRequest } from '../support/fuzz-requests.ts';
import { useServer } from './helpers.ts';

/** Fixed, so a failure replays (printed in every failure message); `FUZZ_SEED` and `FUZZ_RUNS` explore further. */
const SEED = Number(process.env.FUZZ_SEED ?? 20_250_901);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const HEAVY_RUNS = 16;

const APP_ID = '5ee0a11e-0000-4000-8000-000000000001';
const ADMIN_TOKEN = '5ee0a11e-0000-4000-8000-000000000002';
const id = (n: number): string => `00000000-0000-4000-8000-00000000000${n}`;
const [GOAL_1, GOAL_2, TODO_1, TODO_2, DOC] = [1, 2, 3, 4, 5].map(id) as [string, string, string, string, string];

const RULES = {
  docs: {
    allow: {
      view: 'isOwner || ruleParams.secret == data.secret',
      create: 'ruleParams.code == "open"',
      update: 'isOwner',
      delete: 'isOwner',
    },
    bind: ['isOwner', "auth.email in data.ref('owner.email')"],
  },
  goals: {
    allow: { view: "data.title != 'hidden'", update: "data.ref('todos.title').size() < 3", delete: 'auth.id != null' },
  },
  todos: { allow: { delete: 'false' } },
};

const OWNER_LINK = {
  id: id(6),
  'forward-identity': [id(7), 'docs', 'owner'],
  'reverse-identity': [id(8), '$users', 'docs'],
  'value-type': 'ref',
  cardinality: 'one',
  'unique?': false,
  'index?': false,
};

const ADMIN_HEADERS = { 'app-id': APP_ID, authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
/** Routes that may write: a rejected request to one must leave the data as it was. */
const WRITE_ROUTES = new Set(
  [...ROUTES].filter(([, route]) => !('access' in route) || route.access === 'write').map(([key]) => key),
);

describe('HTTP fuzzing: no request stalls, crashes or 500s the server, or changes data when refused', () => {
  const api = useServer({ appId: APP_ID, adminToken: ADMIN_TOKEN, rules: RULES as never });
  const ctx = {} as { value: FuzzContext };
  const send = (request: FuzzRequest): Promise<Answer> =>
    fetchAnswer(`${api.server.url}${request.path}`, request.method, { ...request.headers }, request.body);

  beforeAll(async () => {
    const user = (await api.call('POST', '/admin/refresh_tokens', { email: 'owner@example.com' })).body.user;
    await api.call('POST', '/admin/refresh_tokens', { email: 'spare@example.com' });
    const seeded = await api.transact([
      ['add-attr', OWNER_LINK],
      ['update', 'goals', GOAL_1, { title: 'seed', n: 1 }],
      ['update', 'goals', GOAL_2, { title: 'hidden', n: 2 }],
      ['update', 'todos', TODO_1, { title: 'a', done: false }],
      ['update', 'todos', TODO_2, { title: 'b', done: true }],
      ['link', 'goals', GOAL_1, { todos: [TODO_1, TODO_2] }],
      ['update', 'docs', DOC, { secret: 's3' }],
      ['link', 'docs', DOC, { owner: user.id }],
    ]);
    expect(seeded.status, seeded.text).toBe(200);
    const upload = await fetchAnswer(
      `${api.server.url}/admin/storage/upload`,
      'PUT',
      { ...ADMIN_HEADERS, path: 'a.txt', 'content-type': 'text/plain' },
      'hello',
    );
    expect(upload.status, upload.text).toBe(200);
    const files = await api.query({ $files: {} });
    ctx.value = {
      appId: APP_ID,
      adminToken: ADMIN_TOKEN,
      userId: user.id,
      userEmail: user.email,
      userToken: user.refresh_token,
      namespaces: ['goals', 'todos', 'docs'],
      labels: ['title', 'n', 'todos', 'goals', 'owner', 'secret', 'done'],
      ids: [GOAL_1, GOAL_2, TODO_1, TODO_2, DOC],
      filePath: 'a.txt',
      fileUrlPath: new URL(files.body.$files[0].url).pathname,
    };
  });

  /** Every namespace's entities with their links, and the schema, as the admin sees them. */
  async function snapshot(): Promise<string> {
    const schema = (await api.call('GET', '/admin/schema')).body.schema;
    const links = new Map<string, string[]>();
    const add = (ns: string, label: string | undefined) => {
      links.set(ns, [...(links.get(ns) ?? []), ...(label === undefined ? [] : [label])]);
    };
    for (const ns of Object.keys(schema.blobs)) add(ns, undefined);
    for (const ref of Object.values<{ 'forward-identity': string[] }>(schema.refs))
      add(ref['forward-identity'][1]!, ref['forward-identity'][2]);
    const query = Object.fromEntries(
      [...links].map(([ns, labels]) => [ns, Object.fromEntries(labels.map((label) => [label, {}]))]),
    );
    const data = await api.query(query);
    expect(data.status, data.text).toBe(200);
    return JSON.stringify({ schema, data: data.body });
  }

  /** The properties every answer must have; `label` names the request and the seed in failures. */
  async function check(request: FuzzRequest): Promise<void> {
    const key = `${request.method.toUpperCase()} ${request.path.split('?')[0]}`;
    const guarded = WRITE_ROUTES.has(key);
    const before = guarded ? await snapshot() : '';
    const answer = await send(request);
    const label = `seed ${SEED}: ${request.method} ${request.path.slice(0, 200)} → ${answer.status} ${answer.text.slice(0, 300)}`;
    expect(answer.status < 500, label).toBe(true);
    if (answer.status === 429) expect(['timeout', 'rate-limited'], label).toContain(answer.body?.type);
    if (answer.status >= 300 && request.method !== 'HEAD') expect(errorShape(answer), label).not.toBe('unknown');
    const control = await api.query({ goals: { $: { where: { id: GOAL_1 } } } });
    expect(control.status, `${label}; then the control query answered ${control.text}`).toBe(200);
    const dryRun = key === 'POST /admin/transact_perms_check' && answer.body?.['committed?'] === false;
    if (guarded && (answer.status >= 300 || dryRun)) {
      const after = await snapshot();
      if (after !== before) expect.fail(`${label}: data changed ${firstDifference(before, after)}`);
    }
  }

  it(`answers ${RUNS} random and mutated requests with no 5xx, an Instant-shaped error, and data unchanged`, async () => {
    await fc.assert(
      fc.asyncProperty(fuzzRequest(ctx.value), (request) => check(request)),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  });

  it(`answers ${HEAVY_RUNS} requests holding 10,000-deep nestings, 100,000-item arrays and 2 MB strings`, async () => {
    await fc.assert(
      fc.asyncProperty(heavyRequest(ctx.value), (request) => check(request)),
      { seed: SEED, numRuns: HEAVY_RUNS, endOnFailure: true },
    );
  });
});

/**
 * Which of the error bodies Instant sends an answer has: `{type, message, …}` (API errors), `{message}`
 * (404, no route), the plain-text malformed-JSON 400, or Node's HTTP parser's bodiless 400 (unknown
 * method) and 431 (headers too large), sent before any route runs; `unknown` for anything else.
 */
function errorShape(answer: Answer): 'api-error' | 'no-route' | 'malformed-json' | 'refused-by-parser' | 'unknown' {
  const { status, body, text } = answer;
  if (status === 400 && text === MALFORMED_JSON) return 'malformed-json';
  if ((status === 400 || status === 431) && text === '') return 'refused-by-parser';
  if (body === null || typeof body !== 'object') return 'unknown';
  if (typeof body.type === 'string' && typeof body.message === 'string') return 'api-error';
  if (status === 404 && Object.keys(body).length === 1 && typeof body.message === 'string') return 'no-route';
  return 'unknown';
}

/** Where two snapshots first differ, with some context on each side. */
function firstDifference(before: string, after: string): string {
  let index = 0;
  while (index < before.length && before[index] === after[index]) index++;
  const around = (text: string) => text.slice(Math.max(0, index - 150), index + 150);
  return `at ${index}: before …${around(before)}… after …${around(after)}…`;
}
