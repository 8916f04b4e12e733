import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { ApiError } from '../api/api-error.ts';
import type { ApiRequest } from '../api/api-request.ts';
import type { AnyRoute, FileAnswer, ServerContext } from '../routes/context.ts';
import { excerpt, excerptMessage } from './error-excerpt.ts';
import { JsonText, type OffloadRead } from './json-text.ts';
import { MALFORMED_JSON, MalformedJsonError, readJsonBody } from './read-json-body.ts';
import { findRoute } from './route-table.ts';

const NOT_FOUND = { message: "Oops! We couldn't match this route." };
const UNKNOWN = 'Something went wrong. Sorry about this!';

/** Where unexpected failures are reported: one line with the trace id the client also receives. */
export type ErrorLog = (line: string) => void;

/**
 * Sends a JSON answer. When the request's body was not read to its end (an upload refused part way),
 * the connection is closed after the answer instead of reading the rest.
 */
function send(res: ServerResponse, status: number, body: unknown): void {
  const text = body instanceof JsonText ? body.text : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...(res.req.complete ? {} : { connection: 'close' }),
  });
  res.end(text);
}

/** Streams a file answer (206 for a range); a client that goes away mid-download just ends it. */
async function sendFile(res: ServerResponse, file: FileAnswer): Promise<void> {
  const { range } = file;
  res.writeHead(range ? 206 : 200, {
    'content-type': file.contentType,
    'content-length': file.size,
    'content-disposition': file.contentDisposition,
    'accept-ranges': 'bytes',
    ...(range ? { 'content-range': `bytes ${range.start}-${range.end}/${range.total}` } : {}),
  });
  await pipeline(file.body, res).catch(() => res.destroy());
}

/**
 * Answers one HTTP request: routes it, runs the handler (write routes inside one `Storage.write`), and
 * maps failures to Instant's statuses and bodies: API errors with their status (hints cut to an
 * excerpt of the input), plain-text 400 for malformed JSON, 404 for unknown routes. Anything else is a
 * bug, never the caller's fault: it is logged with a trace id and answered 500 `unknown` with that id,
 * and the server goes on serving. This function never rejects. With `offload`, the `offMainThread`
 * routes run there (on a read worker) instead of on this thread, once it can take them.
 */
export async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ServerContext,
  log: ErrorLog,
  offload?: OffloadRead,
): Promise<void> {
  try {
    await answer(req, res, ctx, offload);
  } catch (error) {
    answerServerError(req, res, error, log);
  }
}

/**
 * The boundary's answer to an unexpected exception (a server bug): logged with a trace id and answered
 * 500 `unknown` with that id (the connection closed if the answer had begun). Also used for what the
 * server answers before a request reaches {@link handleRequest} (the explorer's page).
 */
export function answerServerError(req: IncomingMessage, res: ServerResponse, error: unknown, log: ErrorLog): void {
  const traceId = crypto.randomUUID();
  log(`[instant-tx server] 500 ${req.method} ${req.url?.split('?')[0]} trace-id ${traceId}: ${describe(error)}`);
  if (res.headersSent) res.destroy();
  else send(res, 500, { type: 'unknown', message: UNKNOWN, hint: {}, 'trace-id': traceId });
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: ServerContext,
  offload: OffloadRead | undefined,
): Promise<void> {
  const url = readTarget(req.url);
  const route = url && findRoute(req.method, url.pathname);
  if (!url || !route) {
    req.resume();
    send(res, 404, NOT_FOUND);
    return;
  }
  try {
    const request = {
      method: req.method!,
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: {},
    };
    if ('file' in route) {
      req.resume();
      await sendFile(res, route.file(request, ctx));
    } else if ('sse' in route) route.sse({ ...request, ...(await readJsonBody(req)) }, res, ctx);
    else send(res, 200, await run(route, req, request, ctx, offload));
  } catch (error) {
    if (error instanceof ApiError) {
      send(res, error.status, { type: error.type, message: excerptMessage(error.message), hint: excerpt(error.hint) });
    } else if (error instanceof MalformedJsonError) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(MALFORMED_JSON);
    } else throw error;
  }
}

/**
 * The request target's path and query. A target is a path (origin form), so it is read against a fixed
 * origin: `//x/admin/query` is that path, not host `x` and path `/admin/query`, and `//` is not an
 * invalid URL. Any other form (`*`, an absolute URL) is no route's.
 */
function readTarget(target: string | undefined): URL | undefined {
  return target?.startsWith('/') ? (URL.parse(`http://localhost${target}`) ?? undefined) : undefined;
}

/**
 * Runs a JSON or stream route: a JSON route gets the parsed body, a `write` one its transaction, and an
 * `offMainThread` one goes to `offload` when there is one.
 */
async function run(
  route: Exclude<AnyRoute, { file: unknown } | { sse: unknown }>,
  req: IncomingMessage,
  request: ApiRequest,
  ctx: ServerContext,
  offload: OffloadRead | undefined,
): Promise<unknown> {
  if ('stream' in route) return route.stream(request, req, ctx);
  const withBody = { ...request, ...(await readJsonBody(req)) };
  const offloaded = route.offMainThread ? offload?.(withBody) : undefined;
  if (offloaded) return offloaded;
  // The time budget wraps the transaction, so a write stopped by it rolls back whole.
  return ctx.storage.budget.run(ctx.timeoutMs, () =>
    route.access === 'write' ? ctx.storage.write(() => route.handler(withBody, ctx)) : route.handler(withBody, ctx),
  );
}

/** The error's name, message and first stack frames; never request data (which may hold tokens). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return (error.stack ?? `${error.name}: ${error.message}`).split('\n').slice(0, 4).join(' | ');
}
