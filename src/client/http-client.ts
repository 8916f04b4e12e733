import ky, { type KyInstance } from 'ky';
import { InstantResponseError } from '../errors/instant-response-error.ts';
import type { ClientConfig } from './client-config.ts';
import { mapError, responseError } from './map-error.ts';
import { retryOptions, type CallKind } from './retry-policy.ts';
import type { Secrets } from './secrets.ts';

/** Per-call options every public method accepts. */
export interface CallOptions {
  readonly signal?: AbortSignal;
  /** Per-attempt timeout in ms for this call. */
  readonly timeout?: number;
}

/** One call to the Admin HTTP API. */
export interface Call extends CallOptions {
  readonly method: 'get' | 'post' | 'delete' | 'put';
  readonly path: string;
  readonly kind: CallKind;
  readonly headers: Record<string, string>;
  readonly json?: unknown;
  /** A raw body (an upload's bytes or stream) instead of `json`: anything `fetch` sends. */
  readonly body?: unknown;
  readonly searchParams?: Record<string, string>;
  /** A bound on all attempts together longer than `retry.totalTimeout`, if needed (a slow upload's). */
  readonly totalTimeout?: number;
}

/**
 * Wraps `fetch` so the whole body is read inside ky's retry scope: a connection dropped mid-body then
 * follows the same retry policy as a failed request (reads retry, transact does not). Doing it here,
 * rather than in an afterResponse hook, avoids ky teeing every response for its hooks. Also: Instant
 * sends the 429 wait in its body (`hint['retry-after']`, seconds), not a header; it is copied into
 * `Retry-After` so ky's retry waits as long as the server asked.
 */
function bufferingFetch(fetchImpl: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const buffer = await response.arrayBuffer();
    let headers = response.headers;
    if (response.status === 429 && !headers.has('retry-after')) {
      const seconds = retryAfterHint(buffer);
      if (seconds !== undefined) {
        headers = new Headers(headers);
        headers.set('retry-after', String(seconds));
      }
    }
    return new Response(buffer, { status: response.status, statusText: response.statusText, headers });
  };
}

function retryAfterHint(buffer: ArrayBuffer): number | undefined {
  try {
    const body = JSON.parse(new TextDecoder().decode(buffer)) as { hint?: { 'retry-after'?: unknown } };
    const seconds = Number(body.hint?.['retry-after']);
    return Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The client's single ky instance and the one function that sends calls through it: adds the app id,
 * bounds total time, retries per call kind, parses JSON, and maps every failure to a documented error.
 */
export class HttpClient {
  readonly #ky: KyInstance;
  readonly #config: ClientConfig;
  readonly #secrets: Secrets;
  readonly #retry: Record<CallKind, ReturnType<typeof retryOptions>>;

  constructor(config: ClientConfig, secrets: Secrets) {
    this.#config = config;
    this.#secrets = secrets;
    this.#retry = {
      read: retryOptions('read', config.retry),
      transact: retryOptions('transact', config.retry),
      write: retryOptions('write', config.retry),
    };
    this.#ky = ky.create({
      prefixUrl: config.apiURI,
      timeout: config.timeout,
      throwHttpErrors: true,
      fetch: bufferingFetch(config.fetch ?? globalThis.fetch),
    });
  }

  /** Sends a call and resolves with its parsed JSON body. */
  async send(call: Call): Promise<unknown> {
    const totalTimeout = Math.max(call.totalTimeout ?? 0, this.#config.retry.totalTimeout);
    const total = AbortSignal.timeout(totalTimeout);
    const signal = call.signal ? AbortSignal.any([call.signal, total]) : total;
    const site = {
      method: call.method.toUpperCase(),
      path: `/${call.path}`,
      timeout: call.timeout ?? this.#config.timeout,
      totalTimeout,
    };
    let text: string;
    try {
      const response = await this.#ky(call.path, {
        method: call.method,
        headers: { ...this.#config.headers, ...call.headers },
        searchParams: { app_id: this.#config.appId, ...call.searchParams },
        retry: this.#retry[call.kind],
        signal,
        ...(call.timeout !== undefined ? { timeout: call.timeout } : {}),
        ...(call.json !== undefined ? { json: call.json } : {}),
        ...(call.body !== undefined ? { body: call.body as BodyInit } : {}),
      });
      text = await response.text();
    } catch (error) {
      if (call.signal?.aborted)
        throw await mapError(Object.assign(new Error('aborted'), { name: 'AbortError' }), site, this.#secrets);
      throw await mapError(error, site, this.#secrets);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new InstantResponseError(site.method, site.path, 'JSON', `${text.length} bytes of non-JSON text`);
    }
  }

  /**
   * Sends a call once, straight through `fetch`: no retries, and the body is never cloned (ky keeps a
   * copy of every request for its retries, which for a stream means buffering all of it). For uploads
   * of streams, whose bytes cannot be sent twice. Bounded by the call's `timeout` (default: the
   * client's); resolves with the parsed JSON body, or rejects with the same errors as {@link send}.
   */
  async sendOnce(call: Call): Promise<unknown> {
    const url = new URL(`${this.#config.apiURI}/${call.path}`);
    for (const [name, value] of Object.entries({ app_id: this.#config.appId, ...call.searchParams }))
      url.searchParams.set(name, value);
    const response = await this.fetchOnce(url.href, call, call.path);
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The connection dropped (or the time ran out) while the answer was being read.
      const timeout = call.timeout ?? this.#config.timeout;
      const site = { method: call.method.toUpperCase(), path: `/${call.path}`, timeout, totalTimeout: timeout };
      throw await mapError(error, site, this.#secrets);
    }
    try {
      return JSON.parse(text);
    } catch {
      throw new InstantResponseError(
        call.method.toUpperCase(),
        `/${call.path}`,
        'JSON',
        `${text.length} bytes of non-JSON text`,
      );
    }
  }

  /**
   * One `fetch` of `url` (absolute) with the call's method, headers and body (sent as it is, half
   * duplex), bounded by the call's `timeout`; a non-2xx answer rejects with an `InstantAPIError`, a
   * failure to connect with an `InstantNetworkError`, all secrets redacted. `label` names it in errors.
   */
  async fetchOnce(url: string, call: Omit<Call, 'path' | 'kind'>, label: string): Promise<Response> {
    const timeout = call.timeout ?? this.#config.timeout;
    const bound = AbortSignal.timeout(timeout);
    const signal = call.signal ? AbortSignal.any([call.signal, bound]) : bound;
    const site = { method: call.method.toUpperCase(), path: `/${label}`, timeout, totalTimeout: timeout };
    let response: Response;
    try {
      response = await (this.#config.fetch ?? globalThis.fetch)(url, {
        method: call.method.toUpperCase(),
        headers: { ...this.#config.headers, ...call.headers },
        body: call.body as BodyInit,
        signal,
        duplex: 'half',
        // Without both, fetch (per the spec) clones the request first, teeing a stream body so that the
        // unsent branch holds every byte until the end; Instant never redirects an API call anyway.
        redirect: 'error',
        window: null,
      } as RequestInit);
    } catch (error) {
      if (call.signal?.aborted)
        throw await mapError(Object.assign(new Error('aborted'), { name: 'AbortError' }), site, this.#secrets);
      throw await mapError(error, site, this.#secrets);
    }
    if (!response.ok) throw await responseError(response, site, this.#secrets);
    return response;
  }
}
