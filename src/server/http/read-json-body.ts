import type { IncomingMessage } from 'node:http';
import { ApiError } from '../api/api-error.ts';
import { INSTANT_MAX_JSON_DEPTH, jsonDepthExceeds } from '../../protocol/json-depth.ts';
import { type ParsedBody, parseJsonBody } from './parse-json-body.ts';

/** Largest request body accepted: 32 MiB (Instant's own limit is not published; batches of 500 steps are far smaller). */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Deepest nesting a body may have: Instant's own ({@link INSTANT_MAX_JSON_DEPTH}). The bound also keeps
 * every recursive walk of a request (merges, rules, answers) far from the stack limit.
 */
export const MAX_BODY_DEPTH = INSTANT_MAX_JSON_DEPTH;

/** Sent when a body is not JSON, the text ring-json answers with (spec §1.1). */
export const MALFORMED_JSON = 'Malformed JSON in request body.';

/**
 * Reads and parses a JSON request body. A body over {@link MAX_BODY_BYTES} is a 413; a body without a
 * JSON content type is treated as absent, as Instant's server does.
 */
export async function readJsonBody(req: IncomingMessage): Promise<JsonBody> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw tooLarge();
    chunks.push(chunk);
  }
  if (!/application\/json/i.test(req.headers['content-type'] ?? '')) return noBody();
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return noBody();
  if (jsonDepthExceeds(text, MAX_BODY_DEPTH)) throw tooDeep();
  let parsed: ParsedBody;
  try {
    parsed = parseJsonBody(text);
  } catch {
    throw new MalformedJsonError();
  }
  const { value, numberText } = parsed;
  const body = typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
  return { body: body as Record<string, unknown>, numberText };
}

/** A JSON body: the object (empty when absent or not an object) and its oversized integers' digits. */
export interface JsonBody {
  readonly body: Record<string, unknown>;
  readonly numberText: ReadonlyMap<number, string>;
}

/** An absent body: a fresh empty object each time, since handlers receive it as their own. */
const noBody = (): JsonBody => ({ body: {}, numberText: new Map() });

/** The body could not be parsed: answered with a plain-text 400, as Instant's server does. */
export class MalformedJsonError extends Error {
  override name = 'MalformedJsonError';
}

function tooLarge(): ApiError {
  return new ApiError(
    413,
    'payload-too-large',
    `Request body is larger than ${MAX_BODY_BYTES} bytes. Send the steps in smaller batches.`,
    { 'max-bytes': MAX_BODY_BYTES },
  );
}

function tooDeep(): ApiError {
  return new ApiError(400, 'param-malformed', `The request body is nested deeper than ${MAX_BODY_DEPTH} levels.`, {
    in: ['body'],
    'max-depth': MAX_BODY_DEPTH,
  });
}
