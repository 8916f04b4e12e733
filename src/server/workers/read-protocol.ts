import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../api/api-error.ts';
import type { ApiRequest } from '../api/api-request.ts';
import type { Rules } from '../permissions/rules.ts';
import type { DataFootprint } from '../store/data-footprint.ts';

/** What a read worker is started with: where the database is and how the server is set up. */
export interface ReadWorkerConfig {
  readonly dbPath: string;
  readonly appId: string;
  readonly adminToken: string;
  /** The server's address (files' download URLs are built from it). */
  readonly url: string;
  readonly rules: Rules;
  readonly timeoutMs: number;
}

/** A request as it crosses to a worker: plain, structured-cloneable data. */
export interface ReadJob {
  readonly id: number;
  readonly method: string;
  readonly path: string;
  readonly query: readonly (readonly [string, string])[];
  readonly headers: IncomingHttpHeaders;
  readonly body: Record<string, unknown>;
  readonly numberText?: ReadonlyMap<number, string>;
  /** Answer with what the query read too (a live query's re-run needs its footprint). */
  readonly trackReads?: true;
}

/** A worker's message: ready to take jobs, or one job's answer (JSON text, an API error, or a crash). */
export type ReadMessage =
  | { readonly kind: 'ready'; readonly threadId?: number | undefined }
  | { readonly kind: 'ok'; readonly id: number; readonly json: string; readonly reads?: DataFootprint }
  | {
      readonly kind: 'api-error';
      readonly id: number;
      readonly status: number;
      readonly type: string;
      readonly message: string;
      readonly hint: unknown;
    }
  | {
      readonly kind: 'crash';
      readonly id: number;
      readonly name: string;
      readonly message: string;
      readonly stack: string;
    };

/**
 * The job for a request (its query string as entries).
 *
 * @example
 * const job = toReadJob(7, { method: 'POST', path: '/admin/query', query: new URLSearchParams(), headers: {}, body: {} });
 */
export function toReadJob(id: number, request: ApiRequest, trackReads = false): ReadJob {
  return {
    ...(trackReads ? { trackReads: true } : {}),
    id,
    method: request.method,
    path: request.path,
    query: [...request.query],
    headers: request.headers,
    body: request.body,
    ...(request.numberText ? { numberText: request.numberText } : {}),
  };
}

/** The request a job carries, as a route handler gets it. */
export function fromReadJob(job: ReadJob): ApiRequest {
  return {
    method: job.method,
    path: job.path,
    query: new URLSearchParams(job.query.map(([name, value]) => [name, value])),
    headers: job.headers,
    body: job.body,
    ...(job.numberText ? { numberText: job.numberText } : {}),
  };
}

/** The message for a job that threw: an `ApiError`'s parts, or (a bug) the error's name, message and stack. */
export function errorMessage(id: number, error: unknown): ReadMessage {
  if (error instanceof ApiError) {
    const { status, type, message, hint } = error;
    return { kind: 'api-error', id, status, type, message, hint };
  }
  const failure = error instanceof Error ? error : new Error(String(error));
  return { kind: 'crash', id, name: failure.name, message: failure.message, stack: failure.stack ?? '' };
}

/** The error a failed job's message stands for, rebuilt on the main thread. */
export function errorFrom(message: Extract<ReadMessage, { kind: 'api-error' | 'crash' }>): Error {
  if (message.kind === 'api-error') return new ApiError(message.status, message.type, message.message, message.hint);
  const error = new Error(message.message);
  error.name = message.name;
  error.stack = message.stack;
  return error;
}
