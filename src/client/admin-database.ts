import { txFor } from '../builder/tx-builder.ts';
import type { TxFor } from '../builder/types.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue } from '../errors/validation-issue.ts';
import { AuthApi } from './auth-api.ts';
import type { ClientConfig } from './client-config.ts';
import { expectField, expectObject, isNumber } from './expect-shape.ts';
import { HttpClient, type CallOptions } from './http-client.ts';
import { impersonationHeaders, type Impersonation } from './impersonation.ts';
import type { QueryFor, QueryResultFor } from './query-types.ts';
import { RoomsApi } from './rooms-api.ts';
import { Secrets } from './secrets.ts';
import { StorageApi } from './storage-api.ts';
import { toRequestSteps } from './transact-input.ts';
import { assertValidQuery } from './validate-query.ts';
import { transactBatches, type BatchOptions, type BatchReport } from './batch/transact-batches.ts';
import type { BatchItem } from './batch/make-batches.ts';
import type { LiveQuery } from './live-query.ts';
import { openLiveQuery } from './open-live-query.ts';
import type { SubscribeQueryCallback, SubscribeQueryOptions } from './subscription-types.ts';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** Options of `db.query`. */
export interface QueryCallOptions extends CallOptions {
  /** Passed to permission rules as `ruleParams` (impersonated queries). */
  readonly ruleParams?: Readonly<Record<string, unknown>>;
}

/** Options of `db.debugQuery` / `db.debugTransact`. */
export interface DebugOptions extends CallOptions {
  /** Rules to check against instead of the app's. */
  readonly rules?: unknown;
}

/**
 * An Instant app seen through its Admin HTTP API. Made by `init`; `asUser` returns a copy that acts as
 * a user. The admin token is private: `util.inspect(db)`, `JSON.stringify(db)` and `String(db)` show a
 * masked prefix only.
 *
 * @example
 * const db = init({ schema }); // app id and admin token from INSTANT_APP_ID and INSTANT_ADMIN_TOKEN
 * await db.transact(db.tx.goals[id()].update({ title: 'Get fit' }));
 */
export class InstantAdminDatabase<Schema = undefined> {
  readonly #config: ClientConfig;
  readonly #schema: Schema;
  readonly #secrets: Secrets;
  readonly #http: HttpClient;
  readonly #as: Record<string, string>;
  /** The typed transaction builder for the schema. */
  readonly tx: TxFor<Schema>;
  /** Refresh tokens and users. */
  readonly auth: AuthApi<Schema>;
  /** Realtime rooms: who is present. */
  readonly rooms: RoomsApi;
  /** Files: uploads, deletes (and the official SDK's deprecated calls); each file is a `$files` row. */
  readonly storage: StorageApi;

  /** @internal Use `init`. */
  constructor(
    config: ClientConfig,
    schema: Schema,
    as: Record<string, string> = {},
    shared?: { secrets: Secrets; http: HttpClient },
  ) {
    this.#config = config;
    this.#schema = schema;
    this.#secrets = shared?.secrets ?? new Secrets();
    this.#secrets.add(config.adminToken);
    this.#http = shared?.http ?? new HttpClient(config, this.#secrets);
    this.#as = as;
    this.tx = txFor(schema) as TxFor<Schema>;
    this.auth = new AuthApi<Schema>(this.#http, () => this.#headers(true), this.#secrets, config.appId);
    this.rooms = new RoomsApi(this.#http, () => this.#headers(true));
    this.storage = new StorageApi(this.#http, (adminOnly) => this.#headers(adminOnly));
  }

  /** The request headers, built on first use and reused (the HTTP client caches by their identity). */
  readonly #builtHeaders: { all?: Readonly<Record<string, string>>; adminOnly?: Readonly<Record<string, string>> } = {};

  #headers(adminOnly = false): Readonly<Record<string, string>> {
    const built = this.#builtHeaders[adminOnly ? 'adminOnly' : 'all'];
    if (built) return built;
    const impersonating = !adminOnly && Object.keys(this.#as).length > 0;
    if (!this.#config.adminToken && (adminOnly || !impersonating || 'as-email' in this.#as)) {
      throw new InstantValidationError([
        createIssue(
          'invalid-argument',
          'init.adminToken',
          'this call needs the admin token: pass adminToken to init (or use db.asUser({token}) / {guest: true})',
        ),
      ]);
    }
    const headers = Object.freeze({
      'app-id': this.#config.appId,
      ...(this.#config.adminToken ? { authorization: `Bearer ${this.#config.adminToken}` } : {}),
      ...(adminOnly ? {} : this.#as),
    });
    this.#builtHeaders[adminOnly ? 'adminOnly' : 'all'] = headers;
    return headers;
  }

  /**
   * Runs an InstaQL query; the result is typed by the schema. With a schema, the query is checked first
   * (unknown namespaces, links, attributes, options and operators, malformed `where`/`order`/`limit`/
   * `fields`): every problem is reported in one {@link InstantValidationError} and nothing is sent.
   *
   * @example
   * const { goals } = await db.query({ goals: { $: { where: { title: 'Get fit' } }, todos: {} } });
   */
  async query<const Q extends QueryFor<Schema>>(
    query: Q,
    options: QueryCallOptions = {},
  ): Promise<QueryResultFor<Schema, Q>> {
    const { ruleParams, ...call } = options;
    assertValidQuery(query, this.#schema, ruleParams);
    const body = await this.#http.send({
      method: 'post',
      path: 'admin/query',
      kind: 'read',
      headers: this.#headers(),
      json: {
        query: ruleParams ? { $$ruleParams: ruleParams, ...query } : query,
        'inference?': this.#schema !== undefined,
      },
      ...call,
    });
    return expectObject(body, 'POST /admin/query') as QueryResultFor<Schema, Q>;
  }

  /**
   * Subscribes to a query (`POST /admin/subscribe-query`, Server-Sent Events): the callback and every
   * `for await` loop get the result now and again after each change to it, typed as `db.query`'s. The
   * query is checked first, as `db.query` checks it. A dropped connection reconnects with jittered
   * backoff (see {@link LiveQuery}); `close()` or `options.signal` stops it and its request.
   *
   * @example
   * const sub = db.subscribeQuery({ goals: { $: { where: { title: 'Get fit' } } } });
   * for await (const payload of sub) {
   *   if (payload.type === 'error') break;
   *   console.log(payload.data.goals.length);
   * }
   * sub.close();
   */
  subscribeQuery<const Q extends QueryFor<Schema>>(
    query: Q,
    callback?: SubscribeQueryCallback<QueryResultFor<Schema, Q>>,
    options: SubscribeQueryOptions = {},
  ): LiveQuery<QueryResultFor<Schema, Q>> {
    assertValidQuery(query, this.#schema, options.ruleParams);
    return openLiveQuery<QueryResultFor<Schema, Q>>(
      {
        config: this.#config,
        headers: this.#headers(),
        secrets: this.#secrets,
        inference: this.#schema !== undefined,
        query,
        options,
      },
      callback,
    );
  }

  /**
   * Sends chunks (or ready-made steps) as one transaction. Everything is validated first; nothing is
   * sent when anything is wrong. Retries follow `retry.transact` (see the README).
   *
   * @example
   * const { txId } = await db.transact([db.tx.goals[goalId].update({ title: 'Get fit' })]);
   */
  async transact(input: object | readonly object[], options: CallOptions = {}): Promise<{ txId: number }> {
    return { txId: await this.#sendSteps(toRequestSteps(input, this.#schema), options) };
  }

  /** Posts steps that were already compiled and validated; resolves with the tx-id. */
  async #sendSteps(steps: readonly unknown[], options: CallOptions): Promise<number> {
    const body = await this.#http.send({
      method: 'post',
      path: 'admin/transact',
      kind: 'transact',
      headers: this.#headers(),
      json: { steps, 'throw-on-missing-attrs?': this.#schema !== undefined },
      ...options,
    });
    return expectField(body, 'tx-id', 'a number', isNumber, 'POST /admin/transact');
  }

  /**
   * Sends a large or streamed source of chunks (or steps) as many transactions: batches of at most
   * `maxSteps` steps and `maxBytes` bytes, `concurrency` at a time, each retried per the client's policy,
   * with an optional checkpoint so a re-run skips what was committed. Resolves with a report of every batch.
   *
   * @example
   * const rows = [{ id: id(), title: 'Get fit' }, { id: id(), title: 'Read more' }];
   * const chunks = rows.map((row) => db.tx.goals(row.id).update({ title: row.title }));
   * const report = await db.transactBatches(chunks, { checkpoint: 'import.ckpt' });
   */
  transactBatches(
    source: Iterable<BatchItem> | AsyncIterable<BatchItem>,
    options: BatchOptions = {},
  ): Promise<BatchReport> {
    // makeBatches already compiled and validated every step; send them as they are.
    return transactBatches((steps, call) => this.#sendSteps(steps, call), source, options, this.#schema);
  }

  /**
   * A copy of this client that acts as a user: `{email}` (needs the admin token), `{token}` or `{guest: true}`.
   *
   * @example
   * await db.asUser({ guest: true }).query({ goals: {} });
   */
  asUser(impersonation: Impersonation): InstantAdminDatabase<Schema> {
    const headers = impersonationHeaders(impersonation, this.#config.adminToken !== undefined);
    if ('as-token' in headers) this.#secrets.add(headers['as-token']);
    return new InstantAdminDatabase(this.#config, this.#schema, headers, { secrets: this.#secrets, http: this.#http });
  }

  /** Runs a query through the permission checker (needs `asUser`). @example await db.asUser({ guest: true }).debugQuery({ goals: {} }) */
  async debugQuery(
    query: QueryFor<Schema>,
    options: DebugOptions = {},
  ): Promise<{ result: unknown; checkResults: unknown[] }> {
    const { rules, ...call } = options;
    assertValidQuery(query, this.#schema);
    const body = await this.#http.send({
      method: 'post',
      path: 'admin/query_perms_check',
      kind: 'read',
      headers: this.#headers(),
      json: {
        query,
        'inference?': this.#schema !== undefined,
        ...(rules === undefined ? {} : { 'rules-override': rules }),
      },
      ...call,
    });
    const object = expectObject(body, 'POST /admin/query_perms_check');
    return { result: object.result, checkResults: (object['check-results'] as unknown[]) ?? [] };
  }

  /** Checks a transaction's permissions without committing it (needs `asUser`). @example await db.asUser({ email: 'alyssa@example.com' }).debugTransact(db.tx.goals[goalId].delete()) */
  async debugTransact(input: object | readonly object[], options: DebugOptions = {}): Promise<Record<string, unknown>> {
    const { rules, ...call } = options;
    const body = await this.#http.send({
      method: 'post',
      path: 'admin/transact_perms_check',
      kind: 'read',
      headers: this.#headers(),
      json: { steps: toRequestSteps(input, this.#schema), ...(rules === undefined ? {} : { 'rules-override': rules }) },
      ...call,
    });
    return expectObject(body, 'POST /admin/transact_perms_check');
  }

  /** What `JSON.stringify(db)` shows: no secrets. @example JSON.stringify(db) // '{"appId":"…","apiURI":"https://api.instantdb.com","adminToken":"3f2a…"}' */
  toJSON(): Record<string, unknown> {
    return {
      appId: this.#config.appId,
      apiURI: this.#config.apiURI,
      adminToken: this.#config.adminToken ? Secrets.mask(this.#config.adminToken) : undefined,
      asUser: this.#secrets.redactValue(this.#as),
    };
  }

  /** The app and the server it talks to. @example String(db) // 'InstantAdminDatabase(app …, https://api.instantdb.com)' */
  toString(): string {
    return `InstantAdminDatabase(app ${this.#config.appId}, ${this.#config.apiURI})`;
  }

  /** What `console.log(db)` shows: the fields of `toJSON`, no secrets. @example console.log(db) // InstantAdminDatabase {"appId":"…","adminToken":"3f2a…",…} */
  [INSPECT](): string {
    return `InstantAdminDatabase ${JSON.stringify(this.toJSON())}`;
  }
}
