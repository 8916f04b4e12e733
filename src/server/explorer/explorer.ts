import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AppCredentials } from '../auth/authenticate.ts';
import type { RecentTransactions } from '../store/recent-transactions.ts';
import { type Asset, loadAssets } from './assets.ts';
import { refusalPage, SECURITY_HEADERS } from './explorer-pages.ts';
import { cookieValue } from '../../protocol/cookie-header.ts';
import { type GuardOptions, refusal } from './request-guard.ts';
import { DEFAULT_LOGIN_TTL_MS, ExplorerSessions } from './sessions.ts';

/** Options of the explorer page (`startLocalServer({explorer})`). */
export interface ExplorerOptions {
  /** Answer requests from other machines and host names too (default false: loopback only). */
  readonly allowRemote?: boolean;
  /** How long a login link works, in ms (default 10 minutes). */
  readonly loginTtlMs?: number;
}

/** Answers an Admin API request (the server's own request handler). */
export type Dispatch = (req: IncomingMessage, res: ServerResponse) => void;

/** Everything the explorer needs from the server that serves it. */
export interface ExplorerConfig {
  readonly app: AppCredentials;
  /** The server's base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  readonly recent: RecentTransactions;
  readonly options: ExplorerOptions;
  /**
   * The hook for the server's outbox: the messages it would have sent (magic codes), newest first, each
   * a JSON value the activity view shows as it is. Undefined until the server keeps one: the page then
   * says there is none.
   */
  readonly outbox?: () => readonly unknown[];
}

export const EXPLORER_PREFIX = '/explorer';

/** Explorer API paths and the Admin API route each one runs (as the admin, or impersonating). */
const FORWARDED: ReadonlyMap<string, Forward> = new Map([
  ['POST /explorer/api/query', { method: 'POST', path: '/admin/query' }],
  ['POST /explorer/api/transact', { method: 'POST', path: '/admin/transact' }],
  ['POST /explorer/api/query_perms_check', { method: 'POST', path: '/admin/query_perms_check' }],
  ['GET /explorer/api/schema', { method: 'GET', path: '/admin/schema' }],
]);

/** Headers a browser must not choose: the explorer sets who the request acts as. */
const CALLER_HEADERS = ['authorization', 'app-id', 'as-token', 'as-email', 'as-guest', 'cookie', 'x-explorer-as'];

/**
 * The explorer: a page served by the local server, opened with a one-time login link, whose API calls
 * (with the session cookie, from the page's own origin) run the server's own Admin API routes as the
 * admin — or as a guest or a user, through the impersonation headers. The admin token never reaches
 * the browser: the explorer adds it to the forwarded request.
 *
 * @example
 * const server = await startLocalServer();
 * console.log(`Open ${server.explorerUrl}`);
 */
export class Explorer {
  readonly #config: ExplorerConfig;
  readonly #sessions: ExplorerSessions;
  readonly #assets: ReadonlyMap<string, Asset>;
  /** The cookie's name carries the port: cookies are per host, not per port, and two servers may run. */
  readonly #cookie: string;
  readonly #guard: GuardOptions;

  constructor(config: ExplorerConfig) {
    this.#config = config;
    this.#guard = { port: config.port, allowRemote: config.options.allowRemote === true };
    this.#sessions = new ExplorerSessions(config.options.loginTtlMs ?? DEFAULT_LOGIN_TTL_MS);
    this.#assets = loadAssets();
    this.#cookie = `instant_tx_explorer_${config.port}`;
  }

  /** A new one-time login link. */
  link(): string {
    return `${this.#config.url}${EXPLORER_PREFIX}/login?secret=${this.#sessions.mintSecret()}`;
  }

  /** True when the request is the explorer's (its page, assets, login or API). */
  static handles(target: string | undefined): boolean {
    return target === EXPLORER_PREFIX || (target?.startsWith(`${EXPLORER_PREFIX}/`) ?? false);
  }

  /** Answers an explorer request; Admin API calls go on to `dispatch`. */
  handle(req: IncomingMessage, res: ServerResponse, dispatch: Dispatch): void {
    const reply = this.#answer(req);
    if ('method' in reply) {
      this.#forward(req, res, reply);
      dispatch(req, res);
      return;
    }
    req.resume();
    res.writeHead(reply.status, { ...SECURITY_HEADERS, ...reply.headers });
    res.end(reply.body);
  }

  /** What to answer: a reply, or the Admin API route to forward to. */
  #answer(req: IncomingMessage): Reply | Forward {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const api = path.startsWith(`${EXPLORER_PREFIX}/api/`);
    const refused = refusal(req.headers, req.socket.remoteAddress, this.#guard, req.method === 'GET' && !api);
    if (refused) return refuse(403, 'Refused', refused, api);
    if (req.method === 'GET' && path === `${EXPLORER_PREFIX}/login`) return this.#login(url);
    const session = cookieValue(req.headers.cookie ?? '', this.#cookie);
    if (!this.#sessions.isOpen(session))
      return refuse(401, 'Not logged in', 'This browser has no explorer session.', api);
    if (api) return this.#api(req, path);
    if (req.method === 'POST' && path === `${EXPLORER_PREFIX}/logout`) {
      this.#sessions.close(session);
      return { status: 303, headers: { location: `${EXPLORER_PREFIX}/`, 'set-cookie': this.#setCookie('', 0) } };
    }
    if (req.method !== 'GET') return refuse(405, 'Not allowed', `${req.method} is not allowed.`);
    const name = path === EXPLORER_PREFIX || path === `${EXPLORER_PREFIX}/` ? 'index.html' : assetName(path);
    const asset = name === undefined ? undefined : this.#assets.get(name);
    if (!asset) return refuse(404, 'Not found', `There is no explorer page at ${path}.`);
    return { status: 200, headers: { 'content-type': asset.contentType }, body: asset.body };
  }

  /** Redeems a login link: a session cookie and a redirect to the page (the secret leaves the address bar). */
  #login(url: URL): Reply {
    const session = this.#sessions.redeem(url.searchParams.get('secret'));
    if (!session) return refuse(401, 'Login link not valid', 'This login link has expired or was already used.');
    return { status: 303, headers: { location: `${EXPLORER_PREFIX}/`, 'set-cookie': this.#setCookie(session) } };
  }

  #api(req: IncomingMessage, path: string): Reply | Forward {
    // A header a page on another origin cannot send without a CORS preflight, which is never granted.
    if (req.headers['x-explorer-request'] !== '1')
      return refuse(403, 'Refused', 'the x-explorer-request header is missing', true);
    const key = `${req.method} ${path}`;
    if (key === 'GET /explorer/api/activity') return json({ transactions: this.#config.recent.list() });
    if (key === 'GET /explorer/api/outbox') {
      const outbox = this.#config.outbox;
      return json(outbox ? { available: true, messages: outbox() } : { available: false, messages: [] });
    }
    return FORWARDED.get(key) ?? refuse(404, 'Not found', `no explorer API at ${key}`, true);
  }

  /**
   * Turns the browser's request into the Admin API request it stands for: the admin's credentials
   * (which only the server knows), and `as-guest` / `as-email` when the page runs as someone else.
   */
  #forward(req: IncomingMessage, res: ServerResponse, target: Forward): void {
    const as = req.headers['x-explorer-as'];
    for (const name of CALLER_HEADERS) delete req.headers[name];
    req.headers['app-id'] = this.#config.app.appId;
    req.headers.authorization = `Bearer ${this.#config.app.adminToken}`;
    if (as === 'guest') req.headers['as-guest'] = 'true';
    else if (typeof as === 'string' && as.startsWith('user:')) req.headers['as-email'] = as.slice(5);
    req.method = target.method;
    req.url = target.path;
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
  }

  #setCookie(session: string, maxAge?: number): string {
    const age = maxAge === undefined ? '' : `; Max-Age=${maxAge}`;
    return `${this.#cookie}=${session}; Path=${EXPLORER_PREFIX}; HttpOnly; SameSite=Strict${age}`;
  }
}

/** An answer the explorer gives itself. */
interface Reply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body?: string | Buffer;
}

/** An Admin API route an explorer API call runs. */
interface Forward {
  readonly method: string;
  readonly path: string;
}

const json = (body: unknown): Reply => ({
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});

/** A refusal: a JSON error for the API, a small page (no data, no script) for the browser. */
function refuse(status: number, title: string, reason: string, api = false): Reply {
  if (api)
    return {
      status,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ type: 'explorer-refused', message: `${title}: ${reason}` }),
    };
  return { status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: refusalPage(title, reason) };
}

/** `/explorer/<name>` → `<name>` when it is one plain file name (no folder, no dot-dot), else undefined. */
function assetName(path: string): string | undefined {
  const name = path.slice(EXPLORER_PREFIX.length + 1);
  return /^[a-z0-9-]+\.(?:js|css|svg)$/.test(name) ? name : undefined;
}
