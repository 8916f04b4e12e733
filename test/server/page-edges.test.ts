import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { executeQuery, type PageEdges } from '../../src/server/query/execute-query.ts';
import { pageInfoOf } from '../../src/server/query/page-info.ts';
import { parseQuery } from '../../src/server/query/parse-query.ts';
import { Storage } from '../../src/server/store/storage.ts';
import { runTransaction } from '../../src/server/transact/run-transaction.ts';

// A live query reads a plain `limit` (or `last`) page with one row to spare and takes has-next
// (has-previous) from it instead of running the node again: the answer and the page info must be
// exactly those of the separate probes, for any data and any paging.
const storage = Storage.open(':memory:');
const { registry, store } = storage;
const write = (steps: unknown[]) => storage.write(() => runTransaction(storage, steps, { throwOnMissingAttrs: false }));
write([
  [
    'add-attr',
    {
      id: crypto.randomUUID(),
      'forward-identity': [crypto.randomUUID(), 'goals', 'rank'],
      'value-type': 'blob',
      cardinality: 'one',
      'unique?': false,
      'index?': true,
      'checked-data-type': 'number',
    },
  ],
]);
for (let index = 0; index < 9; index++)
  write([['update', 'goals', crypto.randomUUID(), { rank: index % 4, done: index % 3 === 0 }]]);

const paging = fc.record(
  {
    limit: fc.integer({ min: 1, max: 10 }),
    last: fc.integer({ min: 1, max: 10 }),
    offset: fc.integer({ min: 0, max: 10 }),
    order: fc.constantFrom({ rank: 'asc' }, { rank: 'desc' }, { serverCreatedAt: 'desc' }),
    where: fc.constant({ done: false }),
  },
  { requiredKeys: [] },
);

function answer(dollar: Record<string, unknown>, withEdges: boolean) {
  const query = { goals: { $: dollar } };
  let plan: ReturnType<typeof parseQuery>;
  try {
    plan = parseQuery(registry, query, { admin: true });
  } catch (error) {
    return { refused: (error as Error).message }; // e.g. both limit and last: refused alike either way
  }
  const options = { inference: false };
  const edges = withEdges ? new Map<string, PageEdges>() : undefined;
  const result = executeQuery(plan, registry, store, options, edges);
  return { result, info: pageInfoOf(plan, query, registry, store, options, result, edges) };
}

describe('page edges read with the page', () => {
  it('give the same rows and page info as probing the node again, for any paging', () => {
    fc.assert(
      fc.property(paging, fc.constantFrom('none', 'after', 'before'), (dollar, cursor) => {
        const paged: Record<string, unknown> = { ...dollar };
        if (cursor !== 'none') {
          // A cursor from a real page of the same order: the second row's.
          const first = answer({ order: dollar.order ?? { serverCreatedAt: 'asc' }, limit: 2 }, false);
          const info = 'info' in first ? first.info.goals : undefined;
          if (info?.['end-cursor']) paged[cursor] = info['end-cursor'];
        }
        expect(answer(paged, true)).toEqual(answer(paged, false));
      }),
      { numRuns: 400 },
    );
  });

  it('are learned for a plain limit and a plain last', () => {
    const edges = new Map<string, PageEdges>();
    const plan = parseQuery(registry, { goals: { $: { limit: 2 } }, more: { $: { last: 20 } } }, { admin: true });
    executeQuery(plan, registry, store, { inference: false }, edges);
    expect(edges.get('goals')).toEqual({ next: true });
    expect(edges.get('more')).toEqual({ previous: false });
  });
});
