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
