/**
 * The events of Instant's `subscribe-query` stream, as JSON text (`op` names and keys as Instant's
 * session sends them). A result arrives as JSON text already (from a read worker) and is spliced in
 * without being parsed again.
 */

/** What every event about one query carries. */
export interface QueryEventBase {
  /** The query as the client sent it, as JSON text. */
  readonly queryJson: string;
  /** The transaction counter when the result was read. */
  readonly txId: number;
}

/** `result-meta`: Instant's page-info and aggregates per top-level label (none are computed here). */
const RESULT_META = '{"page-info":{},"aggregate":{}}';

/**
 * Instant's `processed-isn` is a log position (`<slot>/<LSN>`); here it is made from the transaction
 * counter in the same format, so it grows as Instant's does.
 */
export function isnOf(txId: number): string {
  return `0/0/${txId.toString(16).toUpperCase()}`;
}

/** The first event of a stream: who serves it. */
export function sseInitEvent(machineId: string, sessionId: string, sseToken: string): string {
  return JSON.stringify({ op: 'sse-init', 'machine-id': machineId, 'session-id': sessionId, 'sse-token': sseToken });
}

/** The query's first result. */
export function addQueryOkEvent(base: QueryEventBase, clientEventId: string, resultJson: string): string {
  return (
    `{"op":"add-query-ok","q":${base.queryJson},"result":${resultJson},"result-meta":${RESULT_META},` +
    `"processed-tx-id":${base.txId},"processed-isn":"${isnOf(base.txId)}","client-event-id":"${clientEventId}"}`
  );
}

/** A changed result, after a commit. */
export function refreshOkEvent(base: QueryEventBase, resultJson: string, durationMs: number): string {
  const computation =
    `{"instaql-query":${base.queryJson},"instaql-result":${resultJson},"result-meta":${RESULT_META},` +
    `"result-changed?":true,"duration-ms":${Math.round(durationMs)}}`;
  return `{"op":"refresh-ok","processed-tx-id":${base.txId},"processed-isn":"${isnOf(base.txId)}","computations":[${computation}]}`;
}

/** An error Instant reports on the stream instead of closing it: its status, type, message and hint. */
export interface StreamError {
  readonly status: number;
  readonly type: string | undefined;
  readonly message: string;
  readonly hint: unknown;
}

/** An `error` event about `originalEvent` (the `add-query` or `refresh` that failed). */
export function errorEvent(error: StreamError, clientEventId: string | undefined, originalEvent: object): string {
  return JSON.stringify({
    op: 'error',
    status: error.status,
    'client-event-id': clientEventId ?? null,
    'original-event': originalEvent,
    ...(error.type === undefined ? {} : { type: error.type }),
    message: error.message,
    hint: error.hint ?? null,
  });
}
