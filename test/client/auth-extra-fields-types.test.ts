import { describe, expectTypeOf, it } from 'vitest';
import { type ExtraFieldsFor, i, init } from '../../src/index.ts';

const schema = i.schema({
  entities: {
    $users: i.entity({ email: i.string().unique().indexed(), nickname: i.string().optional(), score: i.number() }),
    goals: i.entity({ title: i.string() }),
  },
});
const noUsers = i.schema({ entities: { goals: i.entity({ title: i.string() }) } });

/** Compile-time checks (run by `npm run typecheck`): extraFields follow the schema's own `$users` attributes. */
describe('extraFields are typed by the schema', () => {
  it('the app’s $users attributes with their types; system columns and unknown names refused', () => {
    expectTypeOf<ExtraFieldsFor<typeof schema>>().toEqualTypeOf<
      Omit<{ readonly email?: string | null; readonly nickname?: string | null; readonly score?: number }, 'email'>
    >();
    const db = init({ appId: crypto.randomUUID(), adminToken: crypto.randomUUID(), schema });
    const typed = () => db.auth.checkMagicCode('a@b.co', '123456', { extraFields: { nickname: 'x', score: 1 } });
    // @ts-expect-error a system column
    const system = () => db.auth.signInAsGuest({ extraFields: { email: 'a@b.co' } });
    // @ts-expect-error an attribute $users does not have
    const unknown = () => db.auth.signInAsGuest({ extraFields: { colour: 'red' } });
    // @ts-expect-error the wrong type
    const wrong = () => db.auth.checkMagicCode('a@b.co', '123456', { extraFields: { score: 'high' } });
    expectTypeOf(typed).toBeFunction();
    expectTypeOf([system, unknown, wrong]).toBeArray();
  });

  it('without a schema, or without $users in it, any fields', () => {
    expectTypeOf<ExtraFieldsFor<undefined>>().toEqualTypeOf<Readonly<Record<string, unknown>>>();
    expectTypeOf<ExtraFieldsFor<typeof noUsers>>().toEqualTypeOf<Readonly<Record<string, unknown>>>();
  });
});
