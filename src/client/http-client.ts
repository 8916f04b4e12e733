import { checkCallTimeout } from './number-options.ts';
import ky, { type KyInstance, type Options } from 'ky';
import { InstantResponseError } from '../errors/instant-response-error.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue } from '../errors/validation-issue.ts';
import { CallBudget } from './call-budget.ts';
import type { ClientConfig } from './client-config.ts';
import { mapError, responseError, type CallSite } from './map-error.ts';
import { RequestParts } from './request-parts.ts';
import { bodyText, readingFetch } from './response-body.ts';
import { retryPolicy, type CallKind, type RetryPolicy } from './retry-policy.ts';
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
  /** Reuse one object per client (or per `asUser` copy): the merged request headers are cached by it. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body as a value (serialised here) … */
  readonly json?: unknown;
  /** … or already serialised as JSON text. */
  readonly jsonText?: string;
  /** A raw body (an upload's bytes or stream) instead of JSON: anything `fetch` sends, with the call's own `content-type`. */
  readonly body?: unknown;
  readonly searchParams?: Record<string, string>;
  /** A bound on all attempts together longer than `retry.totalTimeout`, if needed (a slow upload's). */
  readonly totalTimeout?: number;
}

/**
 * The client's single ky instance and the one function that sends calls through it: adds the app id,
 * bounds each attempt and the total time, retries per call kind, parses JSON, and maps every failure to
 * a documented error. Per call it builds only what differs between calls: URLs and headers are made
 * once ({@link RequestParts}), ky builds one `Request`, each attempt has ky's one timeout, a signal is
 * combined only when the caller passed one, and the body is read once and never re-wrapped.
 */
export class HttpClient {
  readonly #ky: KyInstance;
  readonly #config: ClientConfig;
  readonly #secrets: Secrets;
  readonly #parts: RequestParts;
  readonly #retry: Record<CallKind, RetryPolicy>;
  readonly #fetch: typeof globalThis.fetch;

  constructor(config: ClientConfig, secrets: Secrets) {
    this.#config = config;
    this.#secrets = secrets;
    this.#parts = new RequestParts(config);
    this.#retry = {
      read: retryPolicy('read', config.retry),
      transact: retryPolicy('transact', config.retry),
      write: retryPolicy('write', config.retry),
    };
    this.#fetch = readingFetch(config.fetch ?? globalThis.fetch);
    this.#ky = ky.create({ throwHttpErrors: true });
  }

  /** Sends a call and resolves with its parsed JSON body. */
  async send(call: Call): Promise<unknown> {
    const timeout = checkCallTimeout(call.timeout, call.path) ?? this.#config.timeout;
    const totalTimeout = Math.max(call.totalTimeout ?? 0, this.#config.retry.totalTimeout);
    const budget = new CallBudget(totalTimeout, call.signal);
    const policy = this.#retry[call.kind];
    const json = call.jsonText ?? (call.json === undefined ? undefined : toJsonText(call.json));
    const options: Options = {
      method: call.method,
      headers: this.#parts.headers(call.headers, json !== undefined),
      timeout,
      retry: {
        ...policy.kyOptions,
        shouldRetry: async ({ error, retryCount }) => {
          if (!(await policy.mayRetry(error))) return false;
          await budget.wait(await policy.waitBefore(error, retryCount));
          return true;
        },
      },
      // async, so a deadline already past rejects (and ky clears its attempt timer) rather than throwing.
      fetch: async (input, init) => {
        const signal = budget.attemptSignal(input as Request, timeout);
        return this.#fetch(input, signal ? { ...init, signal } : init);
      },
    };
    const body = json ?? call.body;
    if (body !== undefined) options.body = body as BodyInit;
    if (call.signal) options.signal = call.signal;
    let text: string;
    try {
      text = await bodyText(await this.#ky(this.#parts.url(call.path, call.searchParams), options));
    } catch (error) {
      const site = this.#site(call, timeout);
      if (call.signal?.aborted)
        throw await mapError(Object.assign(new Error('aborted'), { name: 'AbortError' }), site, this.#secrets);
      throw await mapError(error, site, this.#secrets);
    }
    try {
      return JSON.parse(text);
    } catch {
      const site = this.#site(call, timeout);
      throw new InstantResponseError(site.method, site.path, 'JSON', `${text.length} bytes of non-JSON text`);
    }
  }

  #site(call: Call, timeout: number): CallSite {
    return {
      method: call.method.toUpperCase(),
      path: `/${call.path}`,
      timeout,
      totalTimeout: Math.max(call.totalTimeout ?? 0, this.#config.retry.totalTimeout),
    };
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
    const timeout = checkCallTimeout(call.timeout, label) ?? this.#config.timeout;
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

/**
 * A body as JSON text; a value JSON cannot carry (a cycle, a BigInt, nesting deeper than the stack) is a
 * validation error naming `subject`, and nothing is sent.
 *
 * @example
 * toJsonText({ query: { goals: {} } }, 'query') // '{"query":{"goals":{}}}'
 */
export function toJsonText(json: unknown, subject?: string): string {
  try {
    return JSON.stringify(json);
  } catch (error) {
    throw new InstantValidationError(
      [createIssue('invalid-argument', 'body', `cannot be sent as JSON: ${(error as Error).message}`)],
      ...(subject === undefined ? [] : [subject]),
    );
  }
}
