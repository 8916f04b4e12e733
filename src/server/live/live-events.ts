/**
 * The events of Instant's `subscribe-query` stream, as JSON text (`op` names and keys as Instant's
 * session sends them). A run's answer arrives as JSON text already (from a read worker), always
 * `{"result":…,"result-meta":…}` in that order, and is spliced in without being parsed again.
 */

/** What every event about one query carries. */
export interface QueryEventBase {
  /** The query as the client sent it, as JSON text. */
  readonly queryJson: string;
  /** The transaction counter when the result was read. */
  readonly txId: number;
}

/** How every run's answer text begins. */
const RESULT_KEY = '{"result":';

/** The answer's `"result":…,"result-meta":…` without its braces. */
function answerMembers(answerJson: string): string {
  if (!answerJson.startsWith(RESULT_KEY)) throw new Error('a live query answer must start with "result"');
  return answerJson.slice(1, -1);
}

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

/** The query's first result (`answerJson`: `{"result":…,"result-meta":…}`). */
export function addQueryOkEvent(base: QueryEventBase, clientEventId: string, answerJson: string): string {
  return (
    `{"op":"add-query-ok","q":${base.queryJson},${answerMembers(answerJson)},` +
    `"processed-tx-id":${base.txId},"processed-isn":"${isnOf(base.txId)}","client-event-id":"${clientEventId}"}`
  );
}

/** A changed result, after a commit: the answer's `result` becomes the computation's `instaql-result`. */
export function refreshOkEvent(base: QueryEventBase, answerJson: string, durationMs: number): string {
  const computation =
    `{"instaql-query":${base.queryJson},"instaql-${answerMembers(answerJson).slice(1)},` +
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
