import { describe, expect, it } from 'vitest';
import { startLocalServer } from '../../src/server/index.ts';

const starts = async (rules: Record<string, unknown>): Promise<true> => {
  const server = await startLocalServer({ rules });
  await server.close();
  return true;
};

describe('rules accepted at start, as Instant accepts them', () => {
  it('takes link and unlink rules keyed by label, field rules and $rateLimits', async () => {
    await expect(
      starts({
        posts: {
          allow: { view: 'true', link: { author: 'auth.id != null', $default: 'false' }, unlink: { $default: 'true' } },
          fields: { secret: 'auth.id == data.ownerId' },
        },
        $rateLimits: {},
      }),
    ).resolves.toBe(true);
  });

  it('compiles a rule that ends in a CEL line comment, with and without binds', async () => {
    await expect(
      starts({ goals: { allow: { view: 'isOwner // owners only' }, bind: ['isOwner', 'true // always'] } }),
    ).resolves.toBe(true);
  });

  it('still refuses an unknown action, and link rules that are not a map of label to rule', async () => {
    await expect(starts({ goals: { allow: { veiw: 'true' } } })).rejects.toThrow(/unknown action 'veiw'/);
    await expect(starts({ goals: { allow: { link: 'true' } } })).rejects.toThrow(
      /goals\.allow\.link must be an object/,
    );
    await expect(starts({ goals: { fields: { title: 'auth.id ==' } } })).rejects.toThrow(
      /goals\.fields\.title does not compile/,
    );
  });
});

describe('numbers in rules, as Instant hands them to CEL', () => {
  it('integral values are ints (so %, + and int literals work) and others doubles', async () => {
    const rules = {
      goals: { allow: { view: 'data.n % 2 == 0 && data.n + 1 > 2 && data.f > 1.5 && data.n < data.f' } },
    };
    const server = await startLocalServer({ rules });
    const admin = {
      'content-type': 'application/json',
      'app-id': server.appId,
      authorization: `Bearer ${server.adminToken}`,
    };
    try {
      const steps = [2, 3, 4].map((n) => ['update', 'goals', crypto.randomUUID(), { n, f: n + 0.5 }]);
      await fetch(`${server.url}/admin/transact`, { method: 'POST', headers: admin, body: JSON.stringify({ steps }) });
      const guest = { 'content-type': 'application/json', 'app-id': server.appId, 'as-guest': 'true' };
      const response = await fetch(`${server.url}/admin/query`, {
        method: 'POST',
        headers: guest,
        body: JSON.stringify({ query: { goals: {} } }),
      });
      const body = (await response.json()) as { goals: { n: number }[] };
      expect(response.status).toBe(200);
      expect(body.goals.map((goal) => goal.n).sort()).toEqual([2, 4]);
    } finally {
      await server.close();
    }
  });
});
