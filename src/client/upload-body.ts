import { createIssue, type ValidationIssue } from '../errors/validation-issue.ts';

/**
 * What `db.storage.uploadFile` takes: the bytes in memory (a `Buffer` or other `Uint8Array`, an
 * `ArrayBuffer`, a `Blob`/`File`), or a stream of them (a web `ReadableStream` or a Node `Readable`,
 * such as `fs.createReadStream`), which needs `fileSize`.
 */
export type UploadData = Uint8Array | ArrayBuffer | Blob | ReadableStream<Uint8Array> | NodeReadableLike;

/** A Node `Readable` as `@instantdb/admin` recognises one: it has `pipe` and `read` (and yields bytes). */
export interface NodeReadableLike extends AsyncIterable<unknown> {
  pipe(...args: never[]): unknown;
  read(...args: never[]): unknown;
}

/** An upload body sorted by whether it can be sent again: bytes in memory can, a stream cannot. */
export type UploadBody =
  | { readonly kind: 'bytes'; readonly body: Uint8Array | ArrayBuffer | Blob }
  | { readonly kind: 'stream'; readonly body: ReadableStream<Uint8Array> };

/** The official SDK's test for a Node stream (duck-typed, so no `node:stream` import). */
function isNodeReadable(value: unknown): value is NodeReadableLike {
  const candidate = value as { pipe?: unknown; read?: unknown } | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.pipe === 'function' &&
    typeof candidate.read === 'function'
  );
}

function isWebReadable(value: unknown): value is ReadableStream<Uint8Array> {
  return typeof (value as { getReader?: unknown } | null)?.getReader === 'function';
}

/**
 * Sorts `data` into bytes or a stream, recording an issue at `path` when it is neither (a string, a
 * number, a plain object: what the official SDK would send as text or reject on the server).
 *
 * @example
 * classifyUpload(Buffer.from('hi'), 'storage.uploadFile.data', [])?.kind // 'bytes'
 */
export function classifyUpload(data: unknown, path: string, issues: ValidationIssue[]): UploadBody | undefined {
  if (
    data instanceof Uint8Array ||
    data instanceof ArrayBuffer ||
    (typeof Blob !== 'undefined' && data instanceof Blob)
  )
    return { kind: 'bytes', body: data };
  if (isWebReadable(data)) return { kind: 'stream', body: data };
  if (isNodeReadable(data)) return { kind: 'stream', body: pullStream(data) };
  issues.push(
    createIssue(
      'invalid-argument',
      path,
      `expected a Buffer, Uint8Array, ArrayBuffer, Blob, ReadableStream or Node stream, got ${describe(data)}`,
    ),
  );
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'a plain object' : `a ${typeof value}`;
}

/**
 * A Node stream as a web `ReadableStream` that reads one chunk per pull. `fetch` (undici) given a Node
 * stream itself drains it as fast as it can, holding what the socket has not taken yet — up to the
 * whole file; pulling keeps at most a chunk or two in memory.
 */
export function pullStream(source: AsyncIterable<unknown>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await iterator.next();
        if (next.done) controller.close();
        else controller.enqueue(toBytes(next.value));
      },
      async cancel(reason) {
        await iterator.return?.(reason);
      },
    },
    { highWaterMark: 0 },
  );
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
  throw new TypeError(`a stream given to uploadFile yielded ${typeof chunk}, not bytes`);
}
