import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dataAttr } from '../support/attr-steps.ts';
import { useServer } from './helpers.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_261_126);
const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

/** Values a hostile caller may put in any field. */
const hostile = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a@b.co\u0000',
    '__proto__',
    'x'.repeat(100_000),
    `${'a'.repeat(70_000)}@example.com`,
    '1e309',
    crypto.randomUUID(),
  ),
);
const fieldsArb = fc.oneof(
  hostile,
  fc.dictionary(fc.constantFrom('nickname', 'email', 'id', 'type', '__proto__', 'constructor', 'x'), hostile),
);

/**
 * Hostile bodies to the magic-code, guest and presence routes: never a 5xx or a stack trace, always
 * Instant's error shape, and a refused request writes nothing ($users and $magicCodes unchanged).
 */
describe('magic-code, guest and presence routes under hostile input', () => {
  const api = useServer();

  const state = async () => {
    const answer = await api.query({ $users: {}, $magicCodes: {} });
    expect(answer.status).toBe(200);
    return answer.text;
  };

  it('never fails, never writes when refusing', async () => {
    expect(
      (await api.transact([['add-attr', dataAttr('$users', 'nickname', { 'checked-data-type': 'string' })]])).status,
    ).toBe(200);
    const request = fc.oneof(
      fc.record({ path: fc.constant('/admin/send_magic_code'), body: fc.record({ email: hostile }) }),
      fc.record({
        path: fc.constant('/admin/verify_magic_code'),
        body: fc.record(
          { email: hostile, code: hostile, 'extra-fields': fieldsArb, 'refresh-token': hostile },
          { requiredKeys: [] },
        ),
      }),
      fc.record({
        path: fc.constant('/admin/sign_in_guest'),
        body: fc.record({ 'extra-fields': fieldsArb }, { requiredKeys: [] }),
      }),
      fc.record({
        path: fc.constant('/admin/rooms/presence'),
        body: fc.constant(undefined),
        query: fc.string({ maxLength: 40 }),
      }),
    );
    await fc.assert(
      fc.asyncProperty(request, async (req) => {
        const before = await state();
        const isGet = req.path === '/admin/rooms/presence';
        const path = isGet
          ? `${req.path}?room-type=${encodeURIComponent(String((req as { query?: string }).query))}&room-id=r`
          : req.path;
        const answer = await api.call(isGet ? 'GET' : 'POST', path, req.body);
        const label = `${req.path} ${answer.status} ${answer.text.slice(0, 300)}`;
        expect(answer.status, label).toBeLessThan(500);
        expect(answer.text, label).not.toMatch(/\bat .*\.ts:\d+/);
        if (answer.status !== 200) {
          expect(Object.keys(answer.body).sort(), label).toEqual(['hint', 'message', 'type']);
          expect(await state(), label).toBe(before);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 60_000);
});
