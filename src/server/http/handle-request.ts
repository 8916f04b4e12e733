import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServerContext } from '../routes/context.ts';
import { ApiError } from './api-error.ts';
import { MALFORMED_JSON, MalformedJsonError, readJsonBody } from './read-json-body.ts';
import { ROUTES } from './route-table.ts';

const NOT_FOUND = { message: "Oops! We couldn't match this route." };

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Answers one HTTP request: routes it, runs the handler, and maps failures to Instant's statuses and
 * bodies (400 for API errors, plain-text 400 for malformed JSON, 404 for unknown routes, 500 otherwise).
 */
export async function handleRequest(req: IncomingMessage, res: ServerResponse, ctx: ServerContext): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const handler = ROUTES.get(`${req.method} ${url.pathname}`);
  try {
    if (!handler) {
      req.resume();
      send(res, 404, NOT_FOUND);
      return;
    }
    const body = await readJsonBody(req);
    send(
      res,
      200,
      handler({ method: req.method!, path: url.pathname, query: url.searchParams, headers: req.headers, body }, ctx),
    );
  } catch (error) {
    if (error instanceof ApiError) send(res, error.status, error.body());
    else if (error instanceof MalformedJsonError) {
      res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(MALFORMED_JSON);
    } else {
      send(res, 500, { type: 'unknown', message: 'Something went wrong. Sorry about this!', hint: {} });
    }
  }
}
