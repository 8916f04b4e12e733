import fc from 'fast-check';
import {
  changeText,
  heavyValue,
  hostileValue,
  mutate,
  mutation,
  objectOf,
  oddText,
  textChange,
  toJsonText,
} from './fuzz-json.ts';

/** What the fuzzer knows about the seeded server: credentials, a user, entity ids, names, a file. */
export interface FuzzContext {
  readonly appId: string;
  readonly adminToken: string;
  readonly userId: string;
  readonly userEmail: string;
  readonly userToken: string;
  readonly namespaces: readonly string[];
  readonly labels: readonly string[];
  readonly ids: readonly string[];
  readonly filePath: string;
  readonly fileUrlPath: string;
}

/** One request as fetch sends it; a header left out is absent. */
export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

const ACTIONS = ['update', 'merge', 'create', 'link', 'unlink', 'delete', 'ruleParams', 'add-attr', 'delete-attr'];
const OPERATORS = ['$in', 'in', '$not', '$ne', '$isNull', '$like', '$ilike', '$gt', '$gte', '$lt', '$lte', '$foo'];

/** The step and query arbitraries for one seeded server. */
function dataArbitraries(ctx: FuzzContext) {
  const usually = <T>(common: readonly T[], rare: readonly T[]) =>
    fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...common) }, { weight: 1, arbitrary: fc.constantFrom(...rare) });
  const namespace = usually(ctx.namespaces, ['$users', '$files', 'fresh', '__proto__', 'constructor', '']);
  const label = usually(ctx.labels, ['id', 'email', '__proto__', 'constructor', 'toString', '']);
  const id = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<unknown>(...ctx.ids, ctx.userId) },
    { weight: 2, arbitrary: fc.uuid({ version: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>(['email', ctx.userEmail], ['title', 'seed'], { title: 'seed' }) },
  );
  const scalar = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double());
  const attrs = fc
    .array(fc.tuple(label, fc.oneof(scalar, fc.jsonValue({ maxDepth: 2 }))), { maxLength: 3 })
    .map(objectOf);
  const links = fc.array(fc.tuple(label, fc.oneof(id, fc.array(id, { maxLength: 3 }))), { maxLength: 2 }).map(objectOf);
  const attrRecord = fc.record({
    id: fc.uuid({ version: 4 }),
    'forward-identity': fc.tuple(fc.uuid({ version: 4 }), namespace, label),
    'reverse-identity': fc.option(fc.tuple(fc.uuid({ version: 4 }), namespace, label), { nil: undefined }),
    'value-type': fc.constantFrom('blob', 'ref'),
    cardinality: fc.constantFrom('one', 'many'),
    'unique?': fc.boolean(),
    'index?': fc.boolean(),
  });
  const step = fc.oneof(
    fc.tuple(fc.constantFrom('update', 'merge', 'create'), namespace, id, attrs),
    fc.tuple(fc.constantFrom('update', 'merge'), namespace, id, attrs, fc.record({ upsert: fc.boolean() })),
    fc.tuple(fc.constantFrom('link', 'unlink'), namespace, id, links),
    fc.tuple(fc.constant('delete'), namespace, id),
    fc.tuple(fc.constant('ruleParams'), namespace, id, attrs),
    fc.tuple(fc.constant('add-attr'), attrRecord),
    fc.tuple(fc.constant('delete-attr'), fc.uuid({ version: 4 })),
    fc.tuple(
      fc.constantFrom('upsert', 'restore', 'UPDATE', '__proto__', 'constructor', 'toString', ...ACTIONS),
      namespace,
      id,
      attrs,
    ),
  );
  const whereValue = fc.oneof(
    scalar,
    fc
      .tuple(fc.constantFrom(...OPERATORS), fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })))
      .map(([op, value]) => objectOf([[op, value]])),
  );
  const wherePath = fc.oneof(
    label,
    fc.tuple(label, label).map(([a, b]) => `${a}.${b}`),
  );
  const where = fc.array(fc.tuple(wherePath, whereValue), { maxLength: 2 }).map(objectOf);
  const count = fc.oneof(
    fc.constant({}),
    fc.record({ limit: fc.integer({ min: 1, max: 5 }) }),
    fc.record({ first: fc.integer({ min: 1, max: 5 }) }),
  );
  const options = fc
    .tuple(
      fc.record(
        {
          where: fc.oneof(where, fc.record({ or: fc.array(where, { minLength: 1, maxLength: 2 }) })),
          order: fc.tuple(label, fc.constantFrom('asc', 'desc')).map(([key, dir]) => objectOf([[key, dir]])),
          fields: fc.array(label, { maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
      count,
    )
    .map(([some, counted]) => ({ ...some, ...counted }));
  const { node } = fc.letrec<{ node: Record<string, unknown> }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', maxDepth: 3 },
      fc.constant({}),
      fc
        .tuple(fc.option(options, { nil: undefined }), fc.array(fc.tuple(label, tie('node')), { maxLength: 2 }))
        .map(([opts, children]) => objectOf(opts === undefined ? children : [['$', opts], ...children])),
    ),
  }));
  const query = fc
    .tuple(
      fc.array(fc.tuple(namespace, node), { minLength: 1, maxLength: 2 }),
      fc.option(fc.record({ secret: fc.constantFrom('s3', 'no') }), { nil: undefined }),
    )
    .map(([nodes, ruleParams]) => objectOf(ruleParams ? [...nodes, ['$$ruleParams', ruleParams]] : nodes));
  return { steps: fc.array(step, { minLength: 1, maxLength: 4 }), query };
}

type Shape = { readonly method: string; readonly path: string; readonly body?: unknown; readonly search?: string };

/** A valid request (before mutation) for each route of the route table. */
function routeShapes(ctx: FuzzContext): fc.Arbitrary<Shape> {
  const { steps, query } = dataArbitraries(ctx);
  const email = fc.constantFrom(ctx.userEmail, 'spare@example.com', 'nobody@example.com', 'NOT AN EMAIL');
  const token = fc.oneof(fc.constant(ctx.userToken), fc.uuid({ version: 4 }));
  const userParam = fc.oneof(
    email.map((value) => ({ email: value })),
    fc.constantFrom({ id: ctx.userId }, { id: 'x' }, { refresh_token: ctx.userToken }, {}),
  );
  const flag = fc.option(fc.boolean(), { nil: undefined });
  const post = (path: string, body: fc.Arbitrary<unknown>): fc.Arbitrary<Shape> =>
    body.map((value) => ({ method: 'POST', path, body: value }));
  const get = (method: string, path: string, params: fc.Arbitrary<Record<string, string>>): fc.Arbitrary<Shape> =>
    params.map((value) => ({ method, path, search: new URLSearchParams(value).toString() }));
  return fc.oneof(
    { weight: 6, arbitrary: post('/admin/transact', fc.record({ steps, 'throw-on-missing-attrs?': flag })) },
    { weight: 4, arbitrary: post('/admin/query', fc.record({ query, 'inference?': flag })) },
    post('/admin/query_perms_check', fc.record({ query, 'rules-override': fc.constantFrom(undefined, {}, { x: 1 }) })),
    {
      weight: 2,
      arbitrary: post('/admin/transact_perms_check', fc.record({ steps, 'dangerously-commit-tx': flag })),
    },
    post('/admin/refresh_tokens', userParam),
    post('/runtime/auth/verify_refresh_token', fc.record({ 'app-id': fc.constant(ctx.appId), 'refresh-token': token })),
    post('/admin/sign_out', fc.constantFrom({ email: 'spare@example.com' }, { refresh_token: ctx.userId }, {})),
    post('/admin/magic_code', fc.record({ email })),
    post('/admin/storage/files/delete', fc.record({ filenames: fc.array(fc.constantFrom('a.txt', 'gone.txt')) })),
    get('GET', '/admin/users', userParam as fc.Arbitrary<Record<string, string>>),
    get('DELETE', '/admin/users', fc.constant({ email: 'spare@example.com' })),
    get('GET', '/admin/schema', fc.constant({})),
    get('GET', '/admin/soft_deleted_attrs', fc.constant({})),
    get('DELETE', '/admin/storage/files', fc.constantFrom({ filename: 'gone.txt' }, { filename: '' }, {})),
    get('GET', ctx.fileUrlPath, fc.constantFrom({}, { filename: '../x' })),
    get('GET', '/admin/storage/files', fc.constant({})),
    get('GET', '/admin/storage/signed-download-url', fc.constantFrom({ filename: 'a.txt' }, { filename: ' ' }, {})),
    post('/admin/storage/signed-upload-url', fc.constantFrom({ filename: 'a.txt' }, { filename: 7 }, {})),
    fc.constantFrom<Shape>(
      {
        method: 'PUT',
        path: `/storage/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}/consume-upload-url`,
        body: 'x',
      },
      { method: 'PUT', path: '/storage/not-a-uuid/consume-upload-url', body: 'x' },
    ),
    fc.constantFrom<Shape>(
      { method: 'PUT', path: '/admin/storage/upload', body: 'file bytes' },
      { method: 'PUT', path: '/admin/storage/upload' },
    ),
  );
}

/** Paths no route answers, or that only look like one. */
const ODD_PATHS = ['/', '//', '//[', '//x/admin/query', '/admin', '/admin/transact/', '/ADMIN/QUERY', '/admin//query'];
const odd = ODD_PATHS.concat(['/admin/query/../query', '/%', '/%00', '/admin/query%00', '/storage/', '/storage/x/y']);
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'post', 'FOO'];

/** A route of the table with its method swapped, or a path no route answers. */
const strayRoute: fc.Arbitrary<Shape> = fc.record({
  method: fc.constantFrom(...METHODS),
  path: fc.oneof(
    fc.constantFrom(...odd, `/${'a'.repeat(5000)}`, '/admin/transact', '/admin/query', '/admin/users'),
    fc.webPath().filter((path) => path.startsWith('/')),
  ),
  body: fc.constantFrom<unknown>(undefined, {}, { steps: [] }),
});

/** Header text fetch can send (printable Latin-1: no CR, LF or NUL, which fetch refuses). */
const headerText = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter((code) => code !== 0x7f && (code < 0x80 || code >= 0xa0))
    .map((code) => String.fromCharCode(code)),
  maxLength: 40,
});

/** One header's value, `undefined` when it is left out; the first choice is the usual one. */
const oneOf = (usual: string | undefined, ...others: fc.Arbitrary<string | undefined>[]) =>
  fc.oneof({ weight: 3 * others.length, arbitrary: fc.constant(usual) }, ...others);

/** Headers: the admin's, a clean impersonation, or a hostile mix of every header. */
function headersFor(ctx: FuzzContext): fc.Arbitrary<Record<string, string>> {
  const missing = fc.constant(undefined);
  const huge = fc.constantFrom('a'.repeat(9000), 'a'.repeat(20_000));
  const uuid = fc.uuid({ version: 4 });
  const admin = { 'app-id': ctx.appId, authorization: `Bearer ${ctx.adminToken}`, 'content-type': 'application/json' };
  const hostile = fc.record({
    'app-id': oneOf(ctx.appId, missing, huge, uuid, headerText, fc.constant(` ${ctx.appId.toUpperCase()} `)),
    authorization: oneOf(
      `Bearer ${ctx.adminToken}`,
      missing,
      headerText,
      fc.constantFrom(ctx.adminToken, 'Bearer', `Basic ${ctx.adminToken}`, `Bearer Bearer ${ctx.adminToken}`),
      uuid.map((value) => `Bearer ${value}`),
    ),
    'as-guest': oneOf(undefined, fc.constantFrom('true', 'false', ''), headerText),
    'as-email': oneOf(undefined, fc.constantFrom(ctx.userEmail, 'nobody@example.com', ''), headerText),
    'as-token': oneOf(undefined, fc.constantFrom(ctx.userToken, ''), uuid, headerText, huge),
    'content-type': oneOf(
      'application/json',
      missing,
      fc.constantFrom('text/plain', 'APPLICATION/JSON; charset=utf-8', 'application/jsonx', 'multipart/form-data'),
    ),
    path: oneOf(undefined, fc.constantFrom('a.txt', '', '../../etc/passwd', 'x'.repeat(2000)), headerText),
  });
  return fc
    .oneof(
      { weight: 4, arbitrary: fc.constant(admin) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          { ...admin, authorization: undefined, 'as-token': ctx.userToken },
          { ...admin, authorization: undefined, 'as-guest': 'true' },
          { ...admin, 'as-email': ctx.userEmail },
        ),
      },
      { weight: 3, arbitrary: hostile },
    )
    .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)))
    .map((headers) => headers as Record<string, string>);
}

/** A body as text: valid, mutated 1–3 times, cut short or junked, or not JSON at all. */
function bodyText(shape: fc.Arbitrary<Shape>, slotValue: fc.Arbitrary<unknown>): fc.Arbitrary<Shape> {
  const asText = (value: Shape, body: unknown): Shape => ({
    ...value,
    body: body === undefined ? undefined : typeof body === 'string' && value.method === 'PUT' ? body : toJsonText(body),
  });
  return fc.oneof(
    { weight: 4, arbitrary: shape.map((value) => asText(value, value.body)) },
    {
      weight: 5,
      arbitrary: fc
        .tuple(shape, fc.array(mutation(slotValue), { minLength: 1, maxLength: 3 }))
        .map(([value, changes]) => asText(value, changes.reduce(mutate, value.body ?? {}))),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(shape, textChange)
        .map(([value, change]) => ({ ...value, body: changeText(toJsonText(value.body ?? {}), change) })),
    },
    { weight: 1, arbitrary: fc.tuple(shape, oddText).map(([value, text]) => ({ ...value, body: text })) },
  );
}

/** Shortens a long header or body in a failure report (huge values are 2 MB). */
const cut = (text: string): string => (text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text);

function toRequest(shape: Shape, headers: Record<string, string>): FuzzRequest {
  const noBody = shape.method === 'GET' || shape.method === 'HEAD';
  const request = {
    method: shape.method,
    path: shape.search ? `${shape.path}?${shape.search}` : shape.path,
    headers,
    ...(noBody || shape.body === undefined ? {} : { body: shape.body as string }),
  };
  const shown = {
    ...request,
    path: cut(request.path),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, cut(v)])),
    ...(request.body === undefined ? {} : { body: cut(request.body) }),
  };
  return Object.defineProperty(request, fc.toStringMethod, { value: () => JSON.stringify(shown) });
}

/** Requests to every route and to none, with mutated bodies and hostile headers; no costly values. */
export function fuzzRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const shape = fc.oneof({ weight: 8, arbitrary: routeShapes(ctx) }, { weight: 1, arbitrary: strayRoute });
  return fc.tuple(bodyText(shape, hostileValue), headersFor(ctx)).map(([value, headers]) => toRequest(value, headers));
}

/** Valid admin requests to the JSON routes with one slot replaced by a costly value (deep, huge). */
export function heavyRequest(ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const headers = {
    'app-id': ctx.appId,
    authorization: `Bearer ${ctx.adminToken}`,
    'content-type': 'application/json',
  };
  return fc
    .tuple(routeShapes(ctx), fc.nat(), heavyValue)
    .filter(([value]) => value.method === 'POST')
    .map(([value, at, heavy]) =>
      toRequest({ ...value, body: toJsonText(mutate(value.body, { kind: 'replace', at, value: heavy })) }, headers),
    );
}
