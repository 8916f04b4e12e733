import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { i, init, InstantValidationError, MAX_JSON_DEPTH } from '../src/index.ts';
import { startStub, type Stub } from './client/stub-server.ts';

const goalId = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';
const schema = i.schema({ entities: { goals: i.entity({ title: i.string(), meta: i.json().optional() }) } });

function deepJson(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

describe('db.transact refuses what Instant cannot store before sending anything', () => {
  let stub: Stub;
  beforeAll(async () => {
    stub = await startStub();
    stub.fallback = () => ({ status: 200, body: { 'tx-id': 1 } });
  });
  beforeEach(() => {
    stub.requests.length = 0;
  });
  afterAll(() => stub.close());

  const cases: [string, string, string, RegExp][] = [
    [
      'a 10,000-deep value',
      `[["update", "goals", "${goalId}", {"meta": ${deepJson(10_000)}}]]`,
      'steps[0][3].meta',
      /nested more than/,
    ],
    ['1e309', `[["update", "goals", "${goalId}", {"n": 1e309}]]`, 'steps[0][3].n', /Infinity is not a JSON number/],
    [
      'a NUL in a value',
      `[["update", "goals", "${goalId}", {"title": "a\\u0000"}]]`,
      'steps[0][3].title',
      /NUL character/,
    ],
    [
      'a NUL in an attribute name',
      `[["update", "goals", "${goalId}", {"ti\\u0000tle": "a"}]]`,
      'steps[0][3]["ti\\u0000tle"]',
      /NUL character/,
    ],
    ['a NUL in a namespace', `[["delete", "go\\u0000als", "${goalId}", null]]`, 'steps[0][1]', /NUL character/],
  ];

  for (const withSchema of [false, true]) {
    describe(withSchema ? 'with a schema' : 'without a schema', () => {
      const db = () => init({ appId: goalId, adminToken: goalId, apiURI: stub.url, ...(withSchema ? { schema } : {}) });

      it.each(cases)('ready-made steps: %s', async (_label, json, path, message) => {
        const error = await db()
          .transact(JSON.parse(json) as object[])
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InstantValidationError);
        const issue = (error as InstantValidationError).issues[0]!;
        expect(issue.path.startsWith(path), issue.path).toBe(true);
        expect(issue.message).toMatch(message);
        expect(stub.requests).toHaveLength(0);
      });

      it('chunks: a deep value, a NUL and Infinity, each with its path', async () => {
        const client = db();
        const tx = client.tx as unknown as typeof import('../src/index.ts').tx;
        const attempts = [
          () => tx.goals[goalId].update({ meta: JSON.parse(deepJson(10_000)) }),
          () => tx.goals[goalId].update({ title: '\u0000' }),
          () => tx.goals[goalId].update({ meta: 1e309 }),
        ];
        for (const attempt of attempts) {
          const error = await Promise.resolve()
            .then(() => client.transact(attempt()))
            .catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(InstantValidationError);
        }
        expect(stub.requests).toHaveLength(0);
      });

      it('sends values within the limit', async () => {
        await db().transact(
          JSON.parse(
            `[["update", "goals", "${goalId}", {"title": "ok", "meta": ${deepJson(MAX_JSON_DEPTH - 3)}}]]`,
          ) as object[],
        );
        expect(stub.requests).toHaveLength(1);
      });
    });
  }
});
