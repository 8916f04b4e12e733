import type { InstantAPIError } from '../errors/instant-api-error.ts';
import type { InstantNetworkError } from '../errors/instant-network-error.ts';
import type { InstantResponseError } from '../errors/instant-response-error.ts';
import type { CallOptions } from './http-client.ts';

/** Whether a subscription's connection is being made, is open, or is closed for good. */
export type SubscriptionReadyState = 'closed' | 'connecting' | 'open';

/** Which server and session serve a subscription (from its `sse-init` event); null until it arrives. */
export interface SubscribeQuerySessionInfo {
  readonly machineId: string;
  readonly sessionId: string;
}

/** A paginated top-level node's cursors, as `@instantdb/admin` reports them. */
export interface PageInfo {
  readonly startCursor: unknown;
  readonly endCursor: unknown;
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
}

/**
 * What a subscription can fail with: the server's `error` event or an HTTP error answer
 * ({@link InstantAPIError}), a connection that could not be made or kept ({@link InstantNetworkError}),
 * or an answer that is not an event stream ({@link InstantResponseError}).
 */
export type SubscriptionError = InstantAPIError | InstantNetworkError | InstantResponseError;

/**
 * One delivery of a subscription: the query's current result (`type: 'ok'`), or an error. An error with
 * `isClosed: false` leaves the subscription running (the server reported a failed run and keeps the
 * stream); `isClosed: true` is its last delivery.
 */
export type SubscribeQueryPayload<R> =
  | {
      readonly type: 'ok';
      readonly data: R;
      readonly pageInfo: Readonly<Record<string, PageInfo>> | undefined;
      readonly sessionInfo: SubscribeQuerySessionInfo | null;
    }
  | {
      readonly type: 'error';
      readonly error: SubscriptionError;
      readonly readyState: SubscriptionReadyState;
      readonly isClosed: boolean;
      readonly sessionInfo: SubscribeQuerySessionInfo | null;
    };

/** Called with every payload of a subscription. */
export type SubscribeQueryCallback<R> = (payload: SubscribeQueryPayload<R>) => void;

/** Options of `db.subscribeQuery`. */
export interface SubscribeQueryOptions extends Pick<CallOptions, 'signal' | 'timeout'> {
  /** Passed to permission rules as `ruleParams` (impersonated queries). */
  readonly ruleParams?: Readonly<Record<string, unknown>>;
}
