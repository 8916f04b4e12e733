export { init } from './init.ts';
export { InstantAdminDatabase, type DebugOptions, type QueryCallOptions } from './admin-database.ts';
export {
  AuthApi,
  type CheckMagicCodeOptions,
  type ExtraFieldsFor,
  type SignInAsGuestOptions,
  type User,
  type UserLookup,
} from './auth-api.ts';
export { RoomsApi, type PresencePeer } from './rooms-api.ts';
export type { RequestHeaders } from './request-cookie.ts';
export { DEFAULT_API_URI, type InitOptions, type RetryConfig, type TransactRetry } from './client-config.ts';
export type { CallOptions } from './http-client.ts';
export type { Impersonation } from './impersonation.ts';
export { LiveQuery } from './live-query.ts';
export type {
  PageInfo,
  SubscribeQueryCallback,
  SubscribeQueryOptions,
  SubscribeQueryPayload,
  SubscribeQuerySessionInfo,
  SubscriptionError,
  SubscriptionReadyState,
} from './subscription-types.ts';
export type {
  EntityResult,
  InstaQLQuery,
  SystemUserRow,
  QueryFor,
  QueryNode,
  QueryNodeResult,
  QueryOptions,
  QueryResult,
  QueryResultFor,
} from './query-types.ts';
export {
  transactBatches,
  type BatchOptions,
  type BatchOutcome,
  type BatchProgress,
  type BatchReport,
  type SendSteps,
} from './batch/transact-batches.ts';
export { fileCheckpoint, type Checkpoint } from './batch/checkpoint.ts';
export type { Batch, BatchItem, BatchLimits } from './batch/make-batches.ts';
