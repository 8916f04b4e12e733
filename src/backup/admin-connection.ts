import { Readable } from 'node:stream';
import { InstantAPIError } from '../errors/instant-api-error.ts';
import { InstantNetworkError } from '../errors/instant-network-error.ts';
import { InstantAdminDatabase } from '../client/admin-database.ts';
import { type ClientConfig, type InitOptions, resolveConfig } from '../client/client-config.ts';
import { HttpClient } from '../client/http-client.ts';
import { Secrets } from '../client/secrets.ts';

/** Where an app is: its id, admin token and API address (env `INSTANT_*` fill what is missing). */
export type AppConnection = Omit<InitOptions<undefined>, 'schema'>;

/**
 * One app's Admin API for backups: the client (`db`) for queries and batched transactions, plus the
 * calls the client does not have: the schema (`GET /admin/schema`), uploading a file's bytes as a
 * stream, downloading from a file's url. The admin token is masked in every error.
 */
export class AdminConnection {
  readonly db: InstantAdminDatabase<undefined>;
  /** Private, so inspecting a connection never shows the admin token. */
  readonly #config: ClientConfig;
  readonly #http: HttpClient;
  readonly #secrets = new Secrets();

  constructor(connection: AppConnection) {
    this.#config = resolveConfig(connection, process.env);
    this.#secrets.add(this.#config.adminToken);
    this.#http = new HttpClient(this.#config, this.#secrets);
    this.db = new InstantAdminDatabase<undefined>(
      this.#config,
      undefined,
      {},
      { secrets: this.#secrets, http: this.#http },
    );
  }

  get appId(): string {
    return this.#config.appId;
  }

  /** The address and app, for messages and checkpoints (never the token). */
  get label(): string {
    return `app ${this.#config.appId} at ${this.#config.apiURI}`;
  }

  #headers(): Record<string, string> {
    return { 'app-id': this.#config.appId, authorization: `Bearer ${this.#config.adminToken}` };
  }

  /** `GET /admin/schema`: the body's `schema` (whatever shape the server answers; see `backup-schema.ts`). */
  async schema(): Promise<unknown> {
    const body = (await this.#http.send({
      method: 'get',
      path: 'admin/schema',
      kind: 'read',
      headers: this.#headers(),
    })) as {
      schema?: unknown;
    };
    return body?.schema ?? body;
  }

  /** `PUT /admin/storage/upload` with the bytes streamed; resolves with the new `$files` id. */
  async upload(
    path: string,
    body: Readable,
    headers: { contentType?: string; contentDisposition?: string },
  ): Promise<string> {
    const url = new URL('admin/storage/upload', `${this.#config.apiURI.replace(/\/?$/, '/')}`);
    url.searchParams.set('app_id', this.#config.appId);
    const response = await this.#fetch(url, {
      method: 'PUT',
      headers: {
        ...this.#headers(),
        path,
        ...(headers.contentType ? { 'content-type': headers.contentType } : {}),
        ...(headers.contentDisposition ? { 'content-disposition': headers.contentDisposition } : {}),
      },
      body: Readable.toWeb(body) as ReadableStream,
      duplex: 'half',
    } as RequestInit);
    const json = (await this.#json(response, 'PUT', '/admin/storage/upload')) as { data?: { id?: unknown } };
    if (typeof json?.data?.id !== 'string') throw new Error('PUT /admin/storage/upload answered without data.id');
    return json.data.id;
  }

  /** The bytes at a file's `url`, streamed. */
  async download(url: string): Promise<Readable> {
    const response = await this.#fetch(new URL(url), { method: 'GET' });
    if (!response.ok || !response.body) await this.#json(response, 'GET', new URL(url).pathname);
    return Readable.fromWeb(response.body as never);
  }

  async #fetch(url: URL, init: RequestInit): Promise<Response> {
    try {
      return await (this.#config.fetch ?? globalThis.fetch)(url, init);
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      throw new InstantNetworkError(init.method ?? 'GET', url.pathname, code, { cause: error });
    }
  }

  async #json(response: Response, method: string, path: string): Promise<unknown> {
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    if (response.ok) return body;
    const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
    throw new InstantAPIError({
      status: response.status,
      type: typeof record.type === 'string' ? record.type : 'http-error',
      message: this.#secrets.redact(typeof record.message === 'string' ? record.message : text.slice(0, 200)),
      hint: record.hint,
      traceId: response.headers.get('x-instant-trace-id') ?? undefined,
      body,
      method,
      path,
    });
  }
}
