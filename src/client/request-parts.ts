import type { ClientConfig } from './client-config.ts';

type Headers = Readonly<Record<string, string>>;

/**
 * The parts of a request that are the same on every call, made once per client: each endpoint's URL
 * with its `?app_id=` query string, and the request headers for each set of call headers (the client's
 * `headers` option merged with the call's, plus `content-type` when a JSON body is sent).
 */
export class RequestParts {
  readonly #base: string;
  readonly #appQuery: string;
  readonly #config: ClientConfig;
  readonly #urls = new Map<string, string>();
  readonly #withBody = new WeakMap<Headers, Headers>();
  readonly #withoutBody = new WeakMap<Headers, Headers>();

  constructor(config: ClientConfig) {
    this.#config = config;
    this.#base = `${config.apiURI}/`;
    this.#appQuery = new URLSearchParams({ app_id: config.appId }).toString();
  }

  /** The URL of `path` (no leading slash), with the app id and then `searchParams` in its query string. */
  url(path: string, searchParams?: Readonly<Record<string, string>>): string {
    if (searchParams && Object.keys(searchParams).length > 0)
      return `${this.#base}${path}?${new URLSearchParams({ app_id: this.#config.appId, ...searchParams })}`;
    let url = this.#urls.get(path);
    if (url === undefined) {
      url = `${this.#base}${path}?${this.#appQuery}`;
      this.#urls.set(path, url);
    }
    return url;
  }

  /**
   * The headers to send for a call's headers: made on first use of that headers object, then reused.
   * The call's headers win over the client's; a call's own `content-type` wins over the JSON default.
   */
  headers(call: Headers, hasBody: boolean): Headers {
    const cache = hasBody ? this.#withBody : this.#withoutBody;
    let headers = cache.get(call);
    if (headers === undefined) {
      const merged: Record<string, string> = { ...this.#config.headers, ...call };
      if (hasBody && !Object.keys(merged).some((name) => name.toLowerCase() === 'content-type'))
        merged['content-type'] = 'application/json';
      headers = Object.freeze(merged);
      cache.set(call, headers);
    }
    return headers;
  }
}
