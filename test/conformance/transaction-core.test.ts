/**
 * Instant's `server/test/instant/db/transaction_test.clj` (lines 1–1700: attrs-create-delete …
 * delete-with-updates), ported as HTTP-level cases against the local server (see ./harness.ts for the
 * conventions).
 *
 * How the internal calls are translated:
 * - `tx/transact!` (no permission checks) → POST /admin/transact as the admin;
 *   `permissioned-tx/transact!` with `:current-user nil` and no `:admin?` → the same request as a guest.
 * - `test-util/make-attrs` / `attr-model/insert-multi!` → `add-attr` steps sent by the admin beforehand.
 * - `[:add-triple e a v]` → `update` (data attrs; it also writes the `id` triple, as every Admin-API
 *   write does) or `link` (refs); `[:deep-merge-triple …]` → `merge`; `{:mode :create}` → `create`;
 *   `{:mode :update}` → `update`/`merge` with `{"upsert": false}`; `[:retract-triple e ref v]` → `unlink`;
 *   `[:delete-entity e etype]` → `delete`.
 * - `[:retract-triple e data-attr v]` has no Admin-API form (`unlink` only takes link targets); a user
 *   clears a value by writing `null`, so those cases do that and assert what a reader sees: the value is
 *   gone. Instant's required-attribute check counts a null value as missing (`validate-required!` in
 *   db/model/triple.clj only keeps triples whose value is not JSON null).
 * - Instant's admin route resolves the attributes of data steps against the app's attributes *before*
 *   the transaction (`admin/model.clj` `create-missing-attrs` reads the attrs loaded by `transact-post`),
 *   so an `add-attr` and a data step using it in the same request would auto-create a second attribute
 *   with the same name. Instant's own route tests (`strong-init-and-inference`) send `add-attr` steps in
 *   their own request, and so do these cases.
 * - Triples, md5s, index flags and attribute records are read in Instant's tests with `triple-model/fetch`
 *   and `attr-model/get-by-app-id`; here the same facts are observed with InstaQL (POST /admin/query) and,
 *   for "this attribute exists", with `throw-on-missing-attrs?` (which names exactly the attributes a
 *   request would have to create).
 * - Entities that Instant's tests only ever use as link targets get an `id` triple (`update ns id {}`) so
 *   that InstaQL can list them; links to entities without one are left out of these cases.
 *
 * Skipped (not expressible over the Admin HTTP API):
 * - required-attrs › update-attr (3 cases), attrs-update (all but "attrs are created") and
 *   rename-attr-does-not-touch-triples: the admin API rejects `update-attr` ("Unsupported action
 *   update-attr", admin/model.clj `to-tx-steps`); the last one also reads Postgres `xmin`.
 * - required-attrs › "retract + insert required" and "remove last required": they retract the `id` /
 *   a data triple and re-add it within one transaction; writing null then a value collapses to the last
 *   write, and the `id` triple cannot be retracted at all.
 * - obj-normal / obj-indexed / obj-unique / tx-ref-* / duplicate-ident-data-test: the attribute record
 *   (`:inferred-types`, `:catalog`), the triples' `:md5` and `:index` sets are storage internals; only
 *   their effects (one value per entity, scalar has-one link fields, reverse traversal) are asserted.
 * - delete-without-etype: `["delete", ns, eid]` always names a namespace (spec `::delete-op`), so an
 *   untyped `[:delete-entity eid]` cannot be sent.
 */
import { expect } from 'vitest';
import { zenecaSteps } from '../server/zeneca.ts';
import { startApp, uuid, zenecaAttrId, type Answer, type App, type Caller, describe, it } from './harness.ts';

const FILE = 'transaction_test.clj';
const ADMIN: Caller = 'admin';
const GUEST: Caller = { guest: true };
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface BlobOpts {
  readonly id?: string;
  readonly unique?: boolean;
  readonly index?: boolean;
  readonly required?: boolean;
  readonly checkedType?: string;
}

interface RefOpts {
  readonly id?: string;
  readonly cardinality?: 'one' | 'many';
  readonly unique?: boolean;
  readonly required?: boolean;
  readonly onDelete?: boolean;
}

/** An `add-attr` step for a data attribute (defaults as in Instant's `make-attrs`). */
function blob(ns: string, label: string, opts: BlobOpts = {}): unknown[] {
  return [
    'add-attr',
    {
      id: opts.id ?? uuid(),
      'forward-identity': [uuid(), ns, label],
      'value-type': 'blob',
      cardinality: 'one',
      'unique?': opts.unique ?? false,
      'index?': opts.index ?? false,
      'required?': opts.required ?? false,
      ...(opts.checkedType ? { 'checked-data-type': opts.checkedType } : {}),
    },
  ];
}

/** An `add-attr` step for a link `ns.label` ⇄ `revNs.revLabel`. */
function ref(ns: string, label: string, revNs: string, revLabel: string, opts: RefOpts = {}): unknown[] {
  return [
    'add-attr',
    {
      id: opts.id ?? uuid(),
      'forward-identity': [uuid(), ns, label],
      'reverse-identity': [uuid(), revNs, revLabel],
      'value-type': 'ref',
      cardinality: opts.cardinality ?? 'one',
      'unique?': opts.unique ?? false,
      'index?': false,
      'required?': opts.required ?? false,
      ...(opts.onDelete ? { 'on-delete': 'cascade' } : {}),
    },
  ];
}

/** Runs `body` on a fresh app and closes it. */
async function fresh(body: (app: App) => Promise<void>): Promise<void> {
  const app = await startApp();
  try {
    await body(app);
  } finally {
    await app.close();
  }
}

function expectOk(answer: Answer): void {
  expect(answer.status, answer.text).toBe(200);
  expect(answer.body).toEqual({ 'tx-id': expect.any(Number) });
}

function expectValidationFailed(answer: Answer): void {
  expect(answer.status, answer.text).toBe(400);
  expect(answer.body?.type, answer.text).toBe('validation-failed');
}

/** Entities of a query result keyed by id, so cases don't depend on same-millisecond ordering. */
function byId(rows: readonly { id: string }[]): Record<string, unknown> {
  return Object.fromEntries(rows.map((row) => [row.id, row]));
}

const ids = (rows: readonly { id: string }[]): string[] => rows.map((row) => row.id).sort();

/**
 * Sends `steps` with `throw-on-missing-attrs?` and returns the attributes the request would have had to
 * create ([] when it would have created none and succeeded).
 */
async function missingAttrs(app: App, steps: readonly unknown[]): Promise<string[]> {
  const answer = await app.transact(steps, ADMIN, { 'throw-on-missing-attrs?': true });
  if (answer.status === 200) return [];
  expect(answer.body?.message, answer.text).toBe('Validation failed for steps: Attributes are missing in your schema');
  return answer.body.hint.errors[0].hint.attributes;
}

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › attrs-create-delete`, () => {
  const nameAttrId = '75cad5c3-1e6b-4490-a8f7-17342618c260';
  const colorAttrId = 'dc990f2a-9351-41ba-9e68-0642b0f5b094';
  const stopa = '168b1f73-1b3d-4e14-884d-543142b9e597';
  const addAttrs = [blob('users', 'name', { id: nameAttrId }), blob('users', 'color', { id: colorAttrId })];
  const write = ['update', 'users', stopa, { name: 'Stopa', color: 'Blue' }];

  for (const [variant, caller] of [
    ['tx/transact!', ADMIN],
    ['permissioned-tx/transact!', GUEST],
  ] as const) {
    it(`${variant} › attrs are created`, () =>
      fresh(async (app) => {
        expectOk(await app.transact(addAttrs, caller));
        // Only `users.id` (which the Admin API's `update` always writes) is missing: name and color exist.
        expect(await missingAttrs(app, [write])).toEqual(['users.id']);
      }));

    it(`${variant} › triples are created`, () =>
      fresh(async (app) => {
        expectOk(await app.transact(addAttrs, caller));
        expectOk(await app.transact([write], caller));
        expect(await app.mustQuery({ users: {} })).toEqual({ users: [{ id: stopa, name: 'Stopa', color: 'Blue' }] });
      }));
  }

  // Instant runs delete-attr only in the tx/transact! variant (impersonated delete-attr is always denied).
  it('tx/transact! › attr is deleted', () =>
    fresh(async (app) => {
      expectOk(await app.transact(addAttrs));
      expectOk(await app.transact([write]));
      expectOk(await app.transact([['delete-attr', colorAttrId]]));
      expect(await missingAttrs(app, [write])).toEqual(['users.color']);
    }));

  it('tx/transact! › associated triples are deleted', () =>
    fresh(async (app) => {
      expectOk(await app.transact(addAttrs));
      expectOk(await app.transact([write]));
      expectOk(await app.transact([['delete-attr', colorAttrId]]));
      expect(await app.mustQuery({ users: {} })).toEqual({ users: [{ id: stopa, name: 'Stopa' }] });
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › required-attrs`, () => {
  const user = 'ffff0000-0000-0000-0000-000000000000';
  const book = 'b00c0000-0000-0000-0000-000000000000';
  const company = 'aaaa0000-0000-0000-0000-000000000000';
  const extraUser = 'fffe0000-0000-0000-0000-000000000000';
  const extraBook = 'b00d0000-0000-0000-0000-000000000000';

  const schema = [
    blob('book', 'id', { required: true, index: true, unique: true }),
    blob('book', 'title', { required: true }),
    blob('book', 'desc'),
    blob('user', 'id', { required: true, index: true, unique: true }),
    blob('user', 'name'),
    ref('user', 'company', 'company', 'users', { onDelete: true }),
    blob('company', 'id', { required: true, index: true, unique: true }),
    blob('company', 'name'),
  ];
  const bookAuthor = ref('book', 'author', 'user', 'books', { required: true });

  /** The app after "add-attr without existing entities" and the extra user and book. */
  async function base(app: App): Promise<void> {
    expectOk(await app.transact(schema));
    expectOk(await app.transact([bookAuthor], GUEST));
    expectOk(
      await app.transact(
        [
          ['update', 'user', extraUser, { name: 'extra user' }],
          ['update', 'book', extraBook, { title: 'extra title' }],
          ['link', 'book', extraBook, { author: extraUser }],
        ],
        GUEST,
      ),
    );
  }

  it('add-attr without existing entities', () =>
    fresh(async (app) => {
      expectOk(await app.transact(schema));
      expectOk(await app.transact([bookAuthor], GUEST));
    }));

  // Instant's message (db/model/attr.clj validate-add-required!): "Validation failed for attributes:
  // Can't create attribute `price` as required because `book` already have entities"; the test checks the type.
  it('add-attr with existing entities', () =>
    fresh(async (app) => {
      await base(app);
      const price = [
        'add-attr',
        {
          id: uuid(),
          'forward-identity': [uuid(), 'book', 'price'],
          'reverse-identity': [uuid(), 'user', 'books'],
          'value-type': 'blob',
          cardinality: 'one',
          'unique?': false,
          'index?': false,
          'required?': true,
        },
      ];
      expectValidationFailed(await app.transact([price], GUEST));
    }));

  for (const [op, action] of [
    [':add-triple', 'update'],
    [':deep-merge-triple', 'merge'],
  ] as const) {
    /** The iteration's user and company (the link is an `:add-triple` in both iterations). */
    async function withUser(app: App): Promise<void> {
      await base(app);
      expectOk(
        await app.transact(
          [
            [action, 'user', user, { name: 'user' }],
            ['link', 'user', user, { company }],
            [action, 'company', company, { name: 'company' }],
          ],
          GUEST,
        ),
      );
    }
    const fullBook = [
      [action, 'book', book, { title: 'title', desc: 'desc' }],
      ['link', 'book', book, { author: user }],
    ];
    /** …plus the book written by "add with required". */
    async function withBook(app: App): Promise<void> {
      await withUser(app);
      expectOk(await app.transact(fullBook, GUEST));
    }

    it(`${op} › add without required`, () =>
      fresh(async (app) => {
        await withUser(app);
        expectValidationFailed(await app.transact([[action, 'book', book, { desc: 'no title' }]], GUEST));
      }));

    it(`${op} › add with required`, () =>
      fresh(async (app) => {
        await withUser(app);
        expectOk(await app.transact(fullBook, GUEST));
      }));

    it(`${op} › update required`, () =>
      fresh(async (app) => {
        await withBook(app);
        expectOk(await app.transact([[action, 'book', book, { title: 'title upd' }]], GUEST));
      }));

    it(`${op} › update non-required`, () =>
      fresh(async (app) => {
        await withBook(app);
        expectOk(await app.transact([[action, 'book', book, { desc: 'desc upd' }]], GUEST));
      }));

    // `[:retract-triple book title …]`: the title is cleared with null (see the file comment).
    it(`${op} › remove required › regular attr`, () =>
      fresh(async (app) => {
        await withBook(app);
        expectValidationFailed(await app.transact([['update', 'book', book, { title: null }]], GUEST));
      }));

    it(`${op} › remove required › link`, () =>
      fresh(async (app) => {
        await withBook(app);
        expectValidationFailed(await app.transact([['unlink', 'book', book, { author: user }]], GUEST));
      }));

    it(`${op} › remove required › through delete-entity`, () =>
      fresh(async (app) => {
        await withBook(app);
        expectValidationFailed(await app.transact([['delete', 'user', user]], GUEST));
      }));

    it(`${op} › remove required › through cascade`, () =>
      fresh(async (app) => {
        await withBook(app);
        expectValidationFailed(await app.transact([['delete', 'company', company]], GUEST));
      }));

    it(`${op} › remove non-required`, () =>
      fresh(async (app) => {
        await withBook(app);
        expectOk(await app.transact([['update', 'book', book, { desc: null }]], GUEST));
      }));

    it(`${op} › update last required`, () =>
      fresh(async (app) => {
        await withBook(app);
        expectOk(await app.transact([[action, 'book', book, { title: 'title upd 3' }]], GUEST));
      }));

    it(`${op} › delete-entity`, () =>
      fresh(async (app) => {
        await withUser(app);
        expectOk(await app.transact(fullBook, GUEST));
        expectOk(await app.transact([['delete', 'book', book]], GUEST));
      }));
  }
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › required-attrs-shared-entity`, () => {
  it('deleting one etype of an entity and adding another in the same transaction succeeds', () =>
    fresh(async (app) => {
      const user = 'ffff0000-0000-0000-0000-000000000000';
      expectOk(
        await app.transact([
          blob('users', 'id', { required: true, index: true, unique: true }),
          blob('users', 'name', { required: true }),
          blob('profiles', 'id', { required: true, index: true, unique: true }),
          blob('profiles', 'name', { required: true }),
          blob('random', 'id', { required: true, index: true, unique: true }),
        ]),
      );
      expectOk(
        await app.transact(
          [
            ['update', 'profiles', user, { name: 'profile name' }],
            ['update', 'users', user, { name: 'user name' }],
          ],
          GUEST,
        ),
      );
      // `[:add-triple user random/id user]` is exactly what `update random user {}` sends.
      expectOk(
        await app.transact(
          [
            ['delete', 'users', user],
            ['update', 'random', user, {}],
          ],
          GUEST,
        ),
      );
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › add-attr-lookup-ref`, () => {
  it('add-attr and use it as lookup ref', () =>
    fresh(async (app) => {
      expectOk(
        await app.transact(
          [
            blob('users', 'id', {
              id: '00000000-0000-0000-0000-000000000000',
              unique: true,
              index: true,
              required: true,
            }),
            blob('users', 'email', {
              id: '11110000-0000-0000-0000-000000000000',
              unique: true,
              index: true,
              required: true,
            }),
            blob('users', 'name', { id: '22220000-0000-0000-0000-000000000000' }),
          ],
          GUEST,
        ),
      );
      // `[:add-triple [email "niki@email"] id [email "niki@email"]]` + `[... name "Niki"]` is what this sends.
      expectOk(await app.transact([['update', 'users', ['email', 'niki@email'], { name: 'Niki' }]], GUEST));
      expect(await app.mustQuery({ users: {} })).toEqual({
        users: [{ id: expect.stringMatching(UUID_RE), email: 'niki@email', name: 'Niki' }],
      });
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › update-modes`, () => {
  const book1 = 'b00c0000-0000-0000-0000-000000000000';
  const book2 = 'b00d0000-0000-0000-0000-000000000000';
  const rand = (): string => String(Math.random());

  async function setup(app: App): Promise<void> {
    expectOk(await app.transact([blob('book', 'title', { unique: true }), blob('book', 'desc')]));
    expectOk(
      await app.transact(
        [
          ['update', 'book', book1, { title: 'book 1', desc: 'book 1 desc' }],
          ['update', 'book', book2, { title: 'book 2' }],
        ],
        GUEST,
      ),
    );
  }
  const run = (steps: unknown[][]) => (app: App) => app.transact(steps, GUEST);
  const strict = { upsert: false };

  // :add-triple with {:mode :create} → `create`; with {:mode :update} → `update` + {"upsert": false}.
  it(':add-triple › create › new id', () =>
    fresh(async (app) => {
      await setup(app);
      const id = uuid();
      expectOk(await run([['create', 'book', id, { title: `book ${rand()}`, desc: `book desc ${rand()}` }]])(app));
    }));

  it(':add-triple › create › new lookup ref', () =>
    fresh(async (app) => {
      await setup(app);
      expectOk(await run([['create', 'book', ['title', `book ${rand()}`], { desc: `book desc ${rand()}` }]])(app));
    }));

  it(':add-triple › create › existing id', () =>
    fresh(async (app) => {
      await setup(app);
      expectValidationFailed(await run([['create', 'book', book1, { title: `book 1 ${rand()}` }]])(app));
    }));

  it(':add-triple › create › existing lookup ref', () =>
    fresh(async (app) => {
      await setup(app);
      expectValidationFailed(
        await run([['create', 'book', ['title', 'book 2'], { desc: `book 2 desc ${rand()}` }]])(app),
      );
    }));

  // The admin API has no merge in create mode (`convert-opts` only yields :upsert / :update), so the
  // :deep-merge-triple iteration covers the update mode only.
  for (const [op, action] of [
    [':add-triple', 'update'],
    [':deep-merge-triple', 'merge'],
  ] as const) {
    it(`${op} › update › new id`, () =>
      fresh(async (app) => {
        await setup(app);
        const id = uuid();
        expectValidationFailed(
          await run([[action, 'book', id, { title: `book ${rand()}`, desc: `book desc ${rand()}` }, strict]])(app),
        );
      }));

    it(`${op} › update › new lookup ref`, () =>
      fresh(async (app) => {
        await setup(app);
        expectValidationFailed(
          await run([[action, 'book', ['title', 'book 3'], { desc: `book 3 desc ${rand()}` }, strict]])(app),
        );
      }));

    it(`${op} › update › existing id`, () =>
      fresh(async (app) => {
        await setup(app);
        expectOk(
          await run([[action, 'book', book1, { title: `book 1 ${rand()}`, desc: `book 1 desc ${rand()}` }, strict]])(
            app,
          ),
        );
      }));

    it(`${op} › update › existing lookup ref`, () =>
      fresh(async (app) => {
        await setup(app);
        expectOk(await run([[action, 'book', ['title', 'book 2'], { desc: `book 2 desc ${rand()}` }, strict]])(app));
      }));
  }

  it(':add-triple › all together › valid modes succeed', () =>
    fresh(async (app) => {
      await setup(app);
      const id = uuid();
      expectOk(
        await run([
          ['create', 'book', id, { title: `book ${rand()}`, desc: `book desc ${rand()}` }],
          ['create', 'book', ['title', `book ${rand()}`], { desc: `book desc ${rand()}` }],
          ['update', 'book', book1, { title: `book 1 ${rand()}`, desc: `book 1 desc ${rand()}` }, strict],
          ['update', 'book', ['title', 'book 2'], { desc: `book 2 desc ${rand()}` }, strict],
        ])(app),
      );
    }));

  it(':add-triple › all together › invalid modes fail', () =>
    fresh(async (app) => {
      await setup(app);
      const id = uuid();
      expectValidationFailed(
        await run([
          ['create', 'book', book1, { title: `book 1 ${rand()}` }],
          ['create', 'book', ['title', 'book 2'], { desc: `book 2 desc ${rand()}` }],
          ['update', 'book', id, { title: `book ${rand()}`, desc: `book desc ${rand()}` }, strict],
          ['update', 'book', ['title', 'book 3'], { desc: `book 3 desc ${rand()}` }, strict],
        ])(app),
      );
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › create-same-eid-different-etype`, () => {
  it('the same id can be created in two namespaces', () =>
    fresh(async (app) => {
      const id = '00000000-0000-0000-0000-000000000000';
      expectOk(
        await app.transact([
          blob('users', 'id', { required: true, index: true, unique: true }),
          blob('users', 'name', { required: true }),
          blob('profiles', 'id', { required: true, index: true, unique: true }),
          blob('profiles', 'name', { required: true, index: true, unique: true }),
        ]),
      );
      expectOk(await app.transact([['create', 'users', id, { name: 'user' }]], GUEST));
      expectOk(await app.transact([['create', 'profiles', id, { name: 'profile' }]], GUEST));
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › attrs-update`, () => {
  // Everything after "attrs are created" uses update-attr, which the admin API rejects (see file comment).
  it('attrs are created', () =>
    fresh(async (app) => {
      const stopa = '0a348563-c343-4fd5-a18a-c699d1099a8d';
      const tagOne = 'da5e3210-c002-4743-ad9e-27206e048926';
      expectOk(
        await app.transact([
          ref('users', 'tags', 'tags', 'taggers', { id: 'f62e00dc-156c-47fb-a532-4dbb0bbd31b3', cardinality: 'many' }),
          blob('users', 'name', { id: 'ba2fbd34-3934-4b13-9f9d-415f8181bdfe' }),
        ]),
      );
      const steps = [
        ['link', 'users', stopa, { tags: tagOne }],
        ['update', 'users', stopa, { name: 'Stopa' }],
      ];
      expect(await missingAttrs(app, steps)).toEqual(['users.id']);
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › transact-map-form`, () => {
  // `{:id user-id :etype "users" :name "Niki" :age 40}` expands to one `:add-triple` per key, which is
  // what `update users user-id {name, age}` sends over HTTP.
  it('a map of attributes is written as add-triples', () =>
    fresh(async (app) => {
      const user = uuid();
      expectOk(
        await app.transact([blob('users', 'id', { required: true, index: true, unique: true }), blob('users', 'name')]),
      );
      expectOk(await app.transact([blob('users', 'age')], GUEST));
      expectOk(await app.transact([['update', 'users', user, { name: 'Niki', age: 40 }]], GUEST));
      expect(await app.mustQuery({ users: {} })).toEqual({ users: [{ id: user, name: 'Niki', age: 40 }] });
    }));
});

// ---------------------------------------------------------------------------------------------------

/** obj-normal / obj-indexed / obj-unique share one shape: a cardinality-one data attribute overwritten in place. */
function objCases(
  attr: { label: string; id: string; index: boolean; unique: boolean },
  stopa: string,
  first: string,
  second: string,
) {
  async function setup(app: App): Promise<void> {
    expectOk(await app.transact([blob('users', attr.label, { id: attr.id, index: attr.index, unique: attr.unique })]));
    expectOk(await app.transact([['update', 'users', stopa, { [attr.label]: first }]]));
  }

  // The triple's :ea index means one value per entity: it reads back as a scalar field.
  it(`attr is created; triple is created (${attr.index ? (attr.unique ? 'ea ave av' : 'ea ave') : 'ea'})`, () =>
    fresh(async (app) => {
      await setup(app);
      expect(await app.mustQuery({ users: {} })).toEqual({ users: [{ id: stopa, [attr.label]: first }] });
    }));

  it(`implicit retract ${attr.index ? 'still ' : ''}works`, () =>
    fresh(async (app) => {
      await setup(app);
      expectOk(await app.transact([['update', 'users', stopa, { [attr.label]: second }]]));
      expect(await app.mustQuery({ users: {} })).toEqual({ users: [{ id: stopa, [attr.label]: second }] });
      const old = await app.mustQuery({ users: { $: { where: { [attr.label]: first } } } });
      expect(old).toEqual({ users: [] });
    }));

  return setup;
}

describe(`${FILE} › obj-normal`, () => {
  objCases(
    { label: 'name', id: '5f410bcd-0fea-4592-b391-5c8a0dba4d3d', index: false, unique: false },
    '476c9d7f-14db-4ee3-8639-0fe2a135f438',
    'Stopa',
    'Joe',
  );
});

describe(`${FILE} › obj-indexed`, () => {
  objCases(
    { label: 'zip', id: '06b87294-81df-4316-bb09-4d63b17fb768', index: true, unique: false },
    '72aa9c7b-a288-4579-b308-d314219a1e1f',
    '11206',
    '11207',
  );
});

describe(`${FILE} › obj-unique`, () => {
  const stopa = '23c6400b-72a5-4147-8a06-79cdcda0b0d1';
  const joe = '9f64613b-286a-44f8-a228-3c3e6a4fa4ce';
  const setup = objCases(
    { label: 'email', id: '4f3b1902-0025-4f5a-9624-12c5ee27a191', index: true, unique: true },
    stopa,
    'test@instantdb.com',
    'test2@instantdb.com',
  );

  it('unicity throws', () =>
    fresh(async (app) => {
      await setup(app);
      expectOk(await app.transact([['update', 'users', stopa, { email: 'test2@instantdb.com' }]]));
      const answer = await app.transact([['update', 'users', joe, { email: 'test2@instantdb.com' }]]);
      expect(answer.status, answer.text).toBe(400);
      expect(answer.body.type).toBe('record-not-unique');
      expect(answer.body.message).toBe(
        '`email` is a unique attribute on `users` and an entity already exists with `users.email` = "test2@instantdb.com"',
      );
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › duplicate-ident-data-test`, () => {
  // Instant's test inserts `:value-type :instant` / `:string` straight into tx/transact!; the admin API
  // validates the attr spec (value-type blob|ref, unique? and index? required), so both are sent as blob
  // attrs, the second with a checked `string` type.
  const original = blob('todos', 'createdAt', { id: '5f3b1902-0025-4f5a-9624-12c5ee27a192', index: true });
  const duplicate = blob('todos', 'createdAt', {
    id: '6f3b1902-0025-4f5a-9624-12c5ee27a193',
    index: true,
    checkedType: 'string',
  });

  it('original attribute is created successfully', () =>
    fresh(async (app) => {
      expectOk(await app.transact([original]));
      expect(await missingAttrs(app, [['update', 'todos', uuid(), { createdAt: 1 }]])).toEqual(['todos.id']);
    }));

  it('adding duplicate attribute label throws with proper error message', () =>
    fresh(async (app) => {
      expectOk(await app.transact([original]));
      const answer = await app.transact([duplicate]);
      expect(answer.status, answer.text).toBe(400);
      expect(answer.body.type).toBe('record-not-unique');
      expect(answer.body.message).toBe('`createdAt` already exists on `todos`');
      expect(answer.body.hint).toEqual({ 'record-type': 'ident', etype: 'todos', label: 'createdAt' });
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › tx-ref-many-to-many`, () => {
  const tagAttrId = '0192cabe-916f-48b1-acb9-637c35fd3e8b';
  const stopa = '77832968-d093-460e-bf62-360e5c4b1388';
  const tagOne = '0651748f-cf27-49a6-b895-7baa00ebf805';
  const tagTwo = '374b9692-fdf5-4682-b2c3-3ce87f267784';

  async function setup(app: App): Promise<void> {
    expectOk(await app.transact([ref('users', 'tags', 'tags', 'taggers', { id: tagAttrId, cardinality: 'many' })]));
    expectOk(
      await app.transact([
        ['update', 'users', stopa, {}],
        ['update', 'tags', tagOne, {}],
        ['update', 'tags', tagTwo, {}],
      ]),
    );
    expectOk(await app.transact([['link', 'users', stopa, { tags: tagOne }]]));
  }

  // eav → the forward label lists the targets; vae → the reverse label lists the sources; cardinality
  // many → no scalar `tags` field on the user.
  it('attr is created; triple is created with eav, vae indexes', () =>
    fresh(async (app) => {
      await setup(app);
      expect(await app.mustQuery({ users: { tags: {} } })).toEqual({ users: [{ id: stopa, tags: [{ id: tagOne }] }] });
      const tags = await app.mustQuery({ tags: { taggers: {} } });
      expect(byId(tags.tags)).toEqual({
        [tagOne]: { id: tagOne, taggers: [{ id: stopa }] },
        [tagTwo]: { id: tagTwo, taggers: [] },
      });
    }));

  it('cardinality many works', () =>
    fresh(async (app) => {
      await setup(app);
      expectOk(await app.transact([['link', 'users', stopa, { tags: tagTwo }]]));
      const data = await app.mustQuery({ users: { tags: {} } });
      expect(data.users).toHaveLength(1);
      expect(ids(data.users[0].tags)).toEqual([tagOne, tagTwo].sort());
    }));

  // `[:add-triple stopa tags "Foo"]` is what `update users stopa {tags: "Foo"}` sends (a link label
  // in `update` writes the link triple as given).
  it('invalid uuids are rejected › a string', () =>
    fresh(async (app) => {
      await setup(app);
      const answer = await app.transact([['update', 'users', stopa, { tags: 'Foo' }]]);
      expect(answer.body?.type, answer.text).toBe('validation-failed');
    }));

  it('invalid uuids are rejected › an object', () =>
    fresh(async (app) => {
      await setup(app);
      const answer = await app.transact([['update', 'users', stopa, { tags: { foo: 'bar' } }]]);
      expect(answer.body?.message, answer.text).toBe('Linked value must be a valid uuid.');
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › tx-ref-many-to-one`, () => {
  const post = '9ad3b0f6-e251-40a9-a39e-ea36154b2128';
  const stopa = '75297d98-bc86-484d-94cd-170f4f607a22';
  const joe = '2d9d4ed7-6b72-46e1-8564-af033861a5b1';

  async function setup(app: App): Promise<void> {
    expectOk(
      await app.transact([ref('posts', 'owner', 'users', 'posts', { id: '71e6c46e-5559-41ea-8a5c-1c812ef6fd83' })]),
    );
    expectOk(
      await app.transact([
        ['update', 'posts', post, {}],
        ['update', 'users', stopa, {}],
        ['update', 'users', joe, {}],
      ]),
    );
    expectOk(await app.transact([['link', 'posts', post, { owner: stopa }]]));
  }

  // ea → the has-one link reads back as a scalar id field; eav/vae → both labels traverse it.
  it('attr is created; triple is created with eav vae ea', () =>
    fresh(async (app) => {
      await setup(app);
      expect(await app.mustQuery({ posts: {} })).toEqual({ posts: [{ id: post, owner: stopa }] });
      expect(await app.mustQuery({ posts: { owner: {} } })).toEqual({ posts: [{ id: post, owner: [{ id: stopa }] }] });
      const users = await app.mustQuery({ users: { posts: {} } });
      expect(byId(users.users)).toEqual({
        [stopa]: { id: stopa, posts: [{ id: post, owner: stopa }] },
        [joe]: { id: joe, posts: [] },
      });
    }));

  it('implicit retract works', () =>
    fresh(async (app) => {
      await setup(app);
      expectOk(await app.transact([['link', 'posts', post, { owner: joe }]]));
      expect(await app.mustQuery({ posts: {} })).toEqual({ posts: [{ id: post, owner: joe }] });
      const users = await app.mustQuery({ users: { posts: {} } });
      expect(byId(users.users)).toEqual({
        [stopa]: { id: stopa, posts: [] },
        [joe]: { id: joe, posts: [{ id: post, owner: joe }] },
      });
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › tx-ref-one-to-one`, () => {
  const config = '9ad3b0f6-e251-40a9-a39e-ea36154b2128';
  const secondConfig = '897faeb2-8aa9-48c9-a358-87ead4188f5a';
  const stopa = '75297d98-bc86-484d-94cd-170f4f607a22';
  const joe = '2d9d4ed7-6b72-46e1-8564-af033861a5b1';

  async function setup(app: App): Promise<void> {
    expectOk(
      await app.transact([
        ref('users', 'configObject', 'configObjects', 'user', {
          id: '864cc199-c4e8-4e13-8da5-87f27b98400d',
          unique: true,
        }),
      ]),
    );
    expectOk(
      await app.transact([
        ['update', 'users', stopa, {}],
        ['update', 'users', joe, {}],
        ['update', 'configObjects', config, {}],
        ['update', 'configObjects', secondConfig, {}],
      ]),
    );
    expectOk(await app.transact([['link', 'users', stopa, { configObject: config }]]));
  }

  it('attr is created; triple is created with eav, vae, ea, av indexes', () =>
    fresh(async (app) => {
      await setup(app);
      const users = await app.mustQuery({ users: {} });
      expect(byId(users.users)).toEqual({ [stopa]: { id: stopa, configObject: config }, [joe]: { id: joe } });
      const configs = await app.mustQuery({ configObjects: { user: {} } });
      expect(byId(configs.configObjects)).toEqual({
        [config]: { id: config, user: [{ id: stopa, configObject: config }] },
        [secondConfig]: { id: secondConfig, user: [] },
      });
    }));

  it('implicit retract works', () =>
    fresh(async (app) => {
      await setup(app);
      expectOk(await app.transact([['link', 'users', stopa, { configObject: secondConfig }]]));
      const users = await app.mustQuery({ users: {} });
      expect(byId(users.users)).toEqual({ [stopa]: { id: stopa, configObject: secondConfig }, [joe]: { id: joe } });
      const configs = await app.mustQuery({ configObjects: { user: {} } });
      expect(byId(configs.configObjects)).toEqual({
        [config]: { id: config, user: [] },
        [secondConfig]: { id: secondConfig, user: [{ id: stopa, configObject: secondConfig }] },
      });
    }));

  it('linking a second source to a has-one target is record-not-unique', () =>
    fresh(async (app) => {
      await setup(app);
      expectOk(await app.transact([['link', 'users', stopa, { configObject: secondConfig }]]));
      const answer = await app.transact([['link', 'users', joe, { configObject: secondConfig }]]);
      expect(answer.body?.type, answer.text).toBe('record-not-unique');
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › lookup-refs`, () => {
  const feynmanIsbn = '9780393079814';

  /**
   * Zeneca as Instant's server fixture has it where it matters here: `books.isbn13` is unique
   * (data/bootstrap.clj makes email, handle and isbn13 unique), so it can be used in lookups. The
   * attributes go in their own request, before the data.
   */
  async function zeneca(app: App): Promise<void> {
    const steps = zenecaSteps().map((step) => {
      const attr = step[1] as Record<string, any>;
      if (step[0] !== 'add-attr' || attr['forward-identity'][2] !== 'isbn13') return step;
      return ['add-attr', { ...attr, 'unique?': true }];
    });
    await app.mustTransact(steps.filter((step) => step[0] === 'add-attr'));
    const data = steps.filter((step) => step[0] !== 'add-attr');
    for (let start = 0; start < data.length; start += 1000) await app.mustTransact(data.slice(start, start + 1000));
  }

  const userByHandle = async (app: App, handle: string): Promise<any[]> =>
    (await app.mustQuery({ users: { $: { where: { handle } } } })).users;

  it('updates existing entities', () =>
    fresh(async (app) => {
      await zeneca(app);
      const [alex] = await userByHandle(app, 'alex');
      expect(alex.email).toBe('alex@instantdb.com');
      expectOk(await app.transact([['update', 'users', ['handle', 'alex'], { email: 'a@example.com' }]]));
      const [after] = await userByHandle(app, 'alex');
      expect(after.id).toBe(alex.id);
      expect(after.email).toBe('a@example.com');
      expect((await app.mustQuery({ users: { $: { where: { email: 'alex@instantdb.com' } } } })).users).toEqual([]);
    }));

  // Over HTTP `update` also writes the `id` triple, so the new user has an `id` (Instant's internal
  // add-triple did not write one, and its result has only handle and email).
  it('upserts if necessary', () =>
    fresh(async (app) => {
      await zeneca(app);
      expectOk(await app.transact([['update', 'users', ['handle', 'nobody'], { email: 'nobody@example.com' }]]));
      expect(await userByHandle(app, 'nobody')).toEqual([
        { id: expect.stringMatching(UUID_RE), handle: 'nobody', email: 'nobody@example.com' },
      ]);
    }));

  it('setting ids works', () =>
    fresh(async (app) => {
      await zeneca(app);
      // `[:add-triple [handle "id-test"] email …]` + `[:add-triple [handle "id-test"] id [handle "id-test"]]`
      expectOk(await app.transact([['update', 'users', ['handle', 'id-test'], { email: 'id-test@example.com' }]]));
      const [user] = await userByHandle(app, 'id-test');
      expect({ handle: user.handle, email: user.email }).toEqual({ handle: 'id-test', email: 'id-test@example.com' });
      expect(user.id).toMatch(UUID_RE);
    }));

  // `[:retract-triple [handle "alex"] email "a@example.com"]`: the value is cleared with null (file comment).
  it('retractions work', () =>
    fresh(async (app) => {
      await zeneca(app);
      expectOk(await app.transact([['update', 'users', ['handle', 'alex'], { email: 'a@example.com' }]]));
      expectOk(await app.transact([['update', 'users', ['handle', 'alex'], { email: null }]]));
      const [alex] = await userByHandle(app, 'alex');
      expect(alex.email ?? null).toBeNull();
      expect((await app.mustQuery({ users: { $: { where: { email: 'a@example.com' } } } })).users).toEqual([]);
    }));

  it('delete entity works', () =>
    fresh(async (app) => {
      await zeneca(app);
      const [stopa] = await userByHandle(app, 'stopa');
      expect(stopa).toBeDefined();
      expectOk(await app.transact([['delete', 'users', ['handle', 'stopa']]]));
      expect(await userByHandle(app, 'stopa')).toEqual([]);
      expect((await app.mustQuery({ users: { $: { where: { id: stopa.id } } } })).users).toEqual([]);
    }));

  it('value lookup refs work', () =>
    fresh(async (app) => {
      await zeneca(app);
      const q = {
        bookshelves: { $: { where: { name: 'Nonfiction' } }, books: { $: { where: { isbn13: feynmanIsbn } } } },
      };
      const feynmanIn = async (): Promise<unknown[]> => {
        const shelves = (await app.mustQuery(q)).bookshelves;
        expect(shelves).toHaveLength(1);
        return shelves[0].books.filter((book: any) => book.isbn13 === feynmanIsbn).map((book: any) => book.isbn13);
      };
      expect(await feynmanIn()).toEqual([feynmanIsbn]);
      const [nonfiction] = (await app.mustQuery(q)).bookshelves;
      const target = `lookup__isbn13__${JSON.stringify(feynmanIsbn)}`;
      // `[:retract-triple nonfiction bookshelves/books [isbn13 feynman]]`
      expectOk(await app.transact([['unlink', 'bookshelves', nonfiction.id, { books: target }]]));
      expect((await app.mustQuery(q)).bookshelves[0].books).toEqual([]);
      // `[:add-triple nonfiction bookshelves/books [isbn13 feynman]]`
      expectOk(await app.transact([['link', 'bookshelves', nonfiction.id, { books: target }]]));
      expect(await feynmanIn()).toEqual([feynmanIsbn]);
    }));

  it('value lookup refs are ignored for regular attributes', () =>
    fresh(async (app) => {
      await zeneca(app);
      const [alex] = await userByHandle(app, 'alex');
      const emailAttrId = zenecaAttrId('users', 'email');
      // `[:add-triple alex users/email [email-attr-id "test"]]`
      expectOk(await app.transact([['update', 'users', alex.id, { email: [emailAttrId, 'test'] }]]));
      const [after] = await userByHandle(app, 'alex');
      expect(after.email).toEqual([emailAttrId, 'test']);
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › tx-retract`, () => {
  const stopa = '38f7038b-19e4-4c5e-9a3f-4ca9949014bc';
  const joe = 'efdaf919-9384-4afc-9629-6aef505ff589';

  async function setup(app: App): Promise<void> {
    expectOk(await app.transact([blob('users', 'color', { id: 'cb0423a4-9d12-4e88-87aa-cbf8e29564f7' })]));
    expectOk(
      await app.transact([
        ['update', 'users', stopa, { color: 'Blue' }],
        ['update', 'users', joe, { color: 'Red' }],
      ]),
    );
  }

  it('triples are created', () =>
    fresh(async (app) => {
      await setup(app);
      const users = await app.mustQuery({ users: {} });
      expect(byId(users.users)).toEqual({ [stopa]: { id: stopa, color: 'Blue' }, [joe]: { id: joe, color: 'Red' } });
    }));

  // `[:retract-triple stopa color "Blue"]`: the value is cleared with null (file comment).
  it('retract works', () =>
    fresh(async (app) => {
      await setup(app);
      expectOk(await app.transact([['update', 'users', stopa, { color: null }]]));
      expect((await app.mustQuery({ users: { $: { where: { color: 'Blue' } } } })).users).toEqual([]);
      expect((await app.mustQuery({ users: { $: { where: { color: 'Red' } } } })).users).toEqual([
        { id: joe, color: 'Red' },
      ]);
    }));
});

// ---------------------------------------------------------------------------------------------------

/** The attrs shared by tx-dupes and delete-entity. */
const likesSchema = [
  ref('users', 'likes', 'users', 'likedBy', { id: '49632e3c-d0a1-490b-8c48-551dfb118ab4', cardinality: 'many' }),
  blob('users', 'favNickname', { id: '1615e33c-791a-4435-a3c4-743447d46d8d', unique: true }),
];
const stopaId = 'df934243-0697-4de0-a8d8-c4ca054ec115';
const joeId = '6ea7045a-0d1b-4d30-bd91-dacaf6655206';
const billyId = '29d5eaa4-8eee-4a30-bb3a-1aa6ee4ce3f9';

describe(`${FILE} › tx-dupes`, () => {
  it('double-inserting on ea works', () =>
    fresh(async (app) => {
      expectOk(await app.transact(likesSchema));
      expectOk(
        await app.transact([
          ['update', 'users', stopaId, { favNickname: 'Stoopa' }],
          ['update', 'users', joeId, { favNickname: 'Joski' }],
          ['update', 'users', stopaId, { favNickname: 'Stopachka' }],
        ]),
      );
      const users = await app.mustQuery({ users: {} });
      expect(byId(users.users)).toEqual({
        [stopaId]: { id: stopaId, favNickname: 'Stopachka' },
        [joeId]: { id: joeId, favNickname: 'Joski' },
      });
    }));

  it('double-inserting on eav works', () =>
    fresh(async (app) => {
      expectOk(await app.transact(likesSchema));
      expectOk(
        await app.transact([
          ['update', 'users', stopaId, {}],
          ['update', 'users', joeId, {}],
          ['update', 'users', billyId, {}],
        ]),
      );
      expectOk(
        await app.transact([
          ['link', 'users', stopaId, { likes: billyId }],
          ['link', 'users', joeId, { likes: stopaId }],
          ['link', 'users', stopaId, { likes: joeId }],
          ['link', 'users', stopaId, { likes: joeId }],
        ]),
      );
      const users = byId((await app.mustQuery({ users: { likes: {} } })).users) as Record<string, any>;
      expect(ids(users[stopaId].likes)).toEqual([billyId, joeId].sort());
      expect(ids(users[joeId].likes)).toEqual([stopaId]);
      expect(ids(users[billyId].likes)).toEqual([]);
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › delete-entity`, () => {
  it('delete entity removes both object triples and references', () =>
    fresh(async (app) => {
      expectOk(await app.transact(likesSchema));
      expectOk(
        await app.transact([
          ['update', 'users', stopaId, { favNickname: 'Stopa' }],
          ['update', 'users', joeId, { favNickname: 'Joski' }],
          ['update', 'users', billyId, { favNickname: 'Billy' }],
          ['link', 'users', stopaId, { likes: [billyId, joeId] }],
        ]),
      );
      const before = byId((await app.mustQuery({ users: { likes: {} } })).users) as Record<string, any>;
      expect(Object.keys(before).sort()).toEqual([stopaId, joeId, billyId].sort());
      expect(ids(before[stopaId].likes)).toEqual([billyId, joeId].sort());
      expect(before[billyId].favNickname).toBe('Billy');

      expectOk(await app.transact([['delete', 'users', billyId]]));
      const after = byId((await app.mustQuery({ users: { likes: {} } })).users);
      expect(after).toEqual({
        [stopaId]: { id: stopaId, favNickname: 'Stopa', likes: [{ id: joeId, favNickname: 'Joski' }] },
        [joeId]: { id: joeId, favNickname: 'Joski', likes: [] },
      });
      expect((await app.mustQuery({ users: { $: { where: { favNickname: 'Billy' } } } })).users).toEqual([]);
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › delete-entity-cleans-references`, () => {
  it('deleting the target of a unique link removes the link triple', () =>
    fresh(async (app) => {
      const board = uuid();
      const node = uuid();
      expectOk(
        await app.transact([
          blob('boards', 'id'),
          blob('nodes', 'id'),
          ref('boards', 'nodes', 'nodes', 'board', { cardinality: 'many', unique: true }),
        ]),
      );
      expectOk(
        await app.transact([
          ['update', 'boards', board, {}],
          ['update', 'nodes', node, {}],
          ['link', 'boards', board, { nodes: node }],
        ]),
      );
      expect(await app.mustQuery({ boards: { nodes: {} }, nodes: { board: {} } })).toEqual({
        boards: [{ id: board, nodes: [{ id: node }] }],
        nodes: [{ id: node, board: [{ id: board }] }],
      });
      expectOk(await app.transact([['delete', 'nodes', node]]));
      expect(await app.mustQuery({ boards: { nodes: {} }, nodes: {} })).toEqual({
        boards: [{ id: board, nodes: [] }],
        nodes: [],
      });
    }));
});

// ---------------------------------------------------------------------------------------------------

describe(`${FILE} › delete-with-updates`, () => {
  for (const [variant, caller] of [
    ['tx/transact!', ADMIN],
    ['permissioned-tx/transact!', GUEST],
  ] as const) {
    const id = uuid();
    const write = ['update', 'ns', id, { field: 'value' }];
    const del = ['delete', 'ns', id];

    async function setup(app: App): Promise<void> {
      expectOk(await app.transact([blob('ns', 'id', { unique: true }), blob('ns', 'field')], caller));
    }

    it(`${variant} › delete happens last`, () =>
      fresh(async (app) => {
        await setup(app);
        expectOk(await app.transact([write, del], caller));
        expect(await app.mustQuery({ ns: {} })).toEqual({ ns: [] });
      }));

    it(`${variant} › delete happens first`, () =>
      fresh(async (app) => {
        await setup(app);
        expectOk(await app.transact([del, write], caller));
        expect(await app.mustQuery({ ns: {} })).toEqual({ ns: [{ id, field: 'value' }] });
      }));

    // Instant records this as current behaviour: ops run grouped by kind, so both deletes run first.
    it(`${variant} › mixed deletes have undesirable behavior`, () =>
      fresh(async (app) => {
        await setup(app);
        expectOk(await app.transact([del, write], caller));
        expectOk(await app.transact([del, write, del], caller));
        expect(await app.mustQuery({ ns: {} })).toEqual({ ns: [{ id, field: 'value' }] });
      }));
  }
});
