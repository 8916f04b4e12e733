import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { AppCredentials } from '../auth/authenticate.ts';
import type { ApiRequest } from '../api/api-request.ts';
import type { Storage } from '../store/storage.ts';
import type { EmailRateLimits } from '../users/email-rate-limit.ts';
import type { FileStore } from '../users/file-store.ts';
import type { Outbox } from '../users/outbox.ts';
import type { UserStore } from '../users/user-store.ts';
import type { Permissions } from '../permissions/permissions.ts';

/** Everything a route handler needs besides the request. */
export interface ServerContext {
  readonly app: AppCredentials;
  readonly storage: Storage;
  readonly users: UserStore;
  readonly files: FileStore;
  readonly permissions: Permissions;
  /** Where "sent" magic-code emails go. */
  readonly outbox: Outbox;
  /** Instant's per-email limits on sending and checking magic codes. */
  readonly emailLimits: EmailRateLimits;
  /** The time one JSON request may spend before it is stopped and answered 429 `timeout`. */
  readonly timeoutMs: number;
  /** The live queries (`POST /admin/subscribe-query`); absent where none are served (a read worker). */
  readonly live?: LiveQueries;
}

/**
 * Where a checked `subscribe-query` request goes (implemented in `server/live`): `open` either throws an
 * ApiError before anything is sent (too many subscriptions) or takes over the response as an event stream.
 */
export interface LiveQueries {
  open(req: ApiRequest, res: ServerResponse): void;
}

/** A route: answers with a JSON body (status 200) or throws an ApiError. */
export type Handler = (req: ApiRequest, ctx: ServerContext) => unknown;

/**
 * A route and whether it writes: the HTTP layer runs every `write` route inside one `Storage.write`
 * (all of the request's changes commit, or none do), and `read` routes outside any transaction.
 */
export interface Route {
  readonly handler: Handler;
  readonly access: 'read' | 'write';
  /**
   * A `read` route whose time grows with the data (a query): it runs on a read worker, off the main
   * thread, inside one read transaction, so a long one never holds up other requests.
   */
  readonly offMainThread?: true;
}

/**
 * A route that reads the raw request body itself (an upload): `req.body` is empty, `body` is the byte
 * stream. It runs outside any transaction and opens its own `Storage.write` for what it records;
 * answers with a JSON body (status 200) or throws an ApiError.
 */
export interface StreamRoute {
  readonly stream: (req: ApiRequest, body: Readable, ctx: ServerContext) => Promise<unknown>;
}

/** A file to answer with instead of JSON: its bytes and headers. */
export interface FileAnswer {
  readonly body: Readable;
  readonly size: number;
  readonly contentType: string;
  readonly contentDisposition: string;
}

/** A route that answers with a file (a download), or throws an ApiError. */
export interface FileRoute {
  readonly file: (req: ApiRequest, ctx: ServerContext) => FileAnswer;
}

/**
 * A route that answers with a stream it keeps open (Server-Sent Events): it gets the parsed JSON body
 * and the response, and either throws an ApiError (before anything is sent) or owns the response.
 */
export interface SseRoute {
  readonly sse: (req: ApiRequest, res: ServerResponse, ctx: ServerContext) => void;
  /** What each stream runs, on a read worker when it can (a JSON handler, as an `offMainThread` route's). */
  readonly live: Handler;
}

/** Any route of the route table. */
export type AnyRoute = Route | StreamRoute | FileRoute | SseRoute;
