import ky, { type KyInstance, type Options } from 'ky';
import { InstantResponseError } from '../errors/instant-response-error.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { createIssue } from '../errors/validation-issue.ts';
import { CallBudget } from './call-budget.ts';
import type { ClientConfig } from './client-config.ts';
import { mapError, type CallSite } from './map-error.ts';
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
  readonly method: 'get' | 'post' | 'delete';
  readonly path: string;
  readonly kind: CallKind;
  /** Reuse one object per client (or per `asUser` copy): the merged request headers are cached by it. */
  readonly headers: Readonly<Record<string, string>>;
  /** The JSON body as a value (serialised here) … */
  readonly json?: unknown;
  /** … or already serialised as JSON text. */
  readonly body?: string;
  readonly searchParams?: Record<string, string>;
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
    const timeout = call.timeout ?? this.#config.timeout;
    const budget = new CallBudget(this.#config.retry.totalTimeout, call.signal);
    const policy = this.#retry[call.kind];
    const body = call.body ?? (call.json === undefined ? undefined : toJsonText(call.json));
    const options: Options = {
      method: call.method,
      headers: this.#parts.headers(call.headers, body !== undefined),
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
    if (body !== undefined) options.body = body;
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
      totalTimeout: this.#config.retry.totalTimeout,
    };
  }
}

/** A body as JSON text; a value JSON cannot carry (a cycle, a BigInt) is a validation error, nothing is sent. */
function toJsonText(json: unknown): string {
  try {
    return JSON.stringify(json);
  } catch (error) {
    throw new InstantValidationError([
      createIssue('invalid-argument', 'body', `cannot be sent as JSON: ${(error as Error).message}`),
    ]);
  }
}
