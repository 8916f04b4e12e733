import { beforeAll, describe, expect, it } from 'vitest';
import { InstantServerStartError, startLocalServer } from '../../src/server/index.ts';
import { useServer, uuid } from './helpers.ts';

const TIMEOUT = { type: 'timeout', message: 'The query took too long to complete.', hint: null };

// The budget is small here (100 ms) so that a query over 20,000 rows (~300 ms on this machine) and a
// transaction of 50,000 steps (~450 ms) exceed it, while seeding in batches of 50 (~15 ms) and small
// queries (~4 ms) stay well inside it.
describe('a request that runs past its time budget', () => {
  const api = useServer({ timeoutMs: 100 });

  beforeAll(async () => {
    for (let batch = 0; batch < 400; batch++) {
      const steps = Array.from({ length: 50 }, (_, n) => ['update', 'goals', uuid(), { title: `goal ${batch}-${n}` }]);
      const answer = await api.transact(steps);
      expect(answer.status).toBe(200);
    }
  });

  it('a query is stopped and answered 429 timeout, as Instant answers its statement timeout', async () => {
    const answer = await api.query({ goals: { $: { where: { title: { $not: 'nothing' } } }, todos: {} } });
    expect(answer.status).toBe(429);
    expect(answer.body).toEqual(TIMEOUT);
  });

  it('a transaction is stopped, answered 429 timeout, and commits nothing', async () => {
    const steps = Array.from({ length: 50_000 }, () => ['update', 'goals', uuid(), { batch: 'too-big' }]);
    const answer = await api.transact(steps);
    expect(answer.status).toBe(429);
    expect(answer.body).toEqual(TIMEOUT);
    const written = await api.query({ goals: { $: { where: { batch: 'too-big' }, limit: 1 } } });
    expect(written.status).toBe(200);
    expect(written.body.goals).toEqual([]);
  });

  it('the server goes on answering small requests', async () => {
    const answer = await api.query({ goals: { $: { limit: 5 } } });
    expect(answer.status).toBe(200);
    expect(answer.body.goals).toHaveLength(5);
  });
});

describe('the time budget option', () => {
  it('must be a positive number of milliseconds', async () => {
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(startLocalServer({ timeoutMs })).rejects.toBeInstanceOf(InstantServerStartError);
    }
  });
});
