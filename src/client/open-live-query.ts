import { checkCallTimeout } from './number-options.ts';
import type { ClientConfig } from './client-config.ts';
import { toJsonText } from './http-client.ts';
import { LiveQuery } from './live-query.ts';
import type { Secrets } from './secrets.ts';
import type { SubscribeQueryCallback, SubscribeQueryOptions } from './subscription-types.ts';
import { subscribeVersions } from './version.ts';

/** What `db.subscribeQuery` opens a stream with: the db's settings and headers, and the checked query. */
export interface LiveQueryRequest {
  readonly config: ClientConfig;
  /** The db's headers (admin token or impersonation). */
  readonly headers: Readonly<Record<string, string>>;
  readonly secrets: Secrets;
  /** Whether the db has a schema (Instant's `inference?`: has-one links as objects). */
  readonly inference: boolean;
  readonly query: object;
  readonly options: SubscribeQueryOptions;
}

/**
 * Opens `POST /admin/subscribe-query` for `db.subscribeQuery` (whose query `assertValidQuery` checked,
 * nesting included): the body as the official SDK sends it, serialised now, and a {@link LiveQuery}
 * that keeps the stream open.
 */
export function openLiveQuery<Result>(
  request: LiveQueryRequest,
  callback?: SubscribeQueryCallback<Result>,
): LiveQuery<Result> {
  const { config, query, options } = request;
  const { ruleParams, signal, timeout } = options;
  const url = new URL(`${config.apiURI}/admin/subscribe-query`);
  url.searchParams.set('local_connection_id', crypto.randomUUID());
  const body = {
    query: ruleParams ? { $$ruleParams: ruleParams, ...query } : query,
    'inference?': request.inference,
    versions: subscribeVersions(),
  };
  const { limit } = config.retry;
  return new LiveQuery<Result>(
    {
      url,
      headers: { ...config.headers, 'content-type': 'application/json', ...request.headers },
      body: toJsonText(body, 'query'),
      fetch: config.fetch ?? globalThis.fetch,
      secrets: request.secrets,
      timeout: checkCallTimeout(timeout, 'admin/subscribe-query') ?? config.timeout,
      // A stream lives long: at least 10 reconnections in a row, unless retries are off (`retry: false`).
      reconnects: limit === 0 ? 0 : Math.max(10, limit),
      signal,
    },
    callback,
  );
}
