export { InstantError, isInstantError } from './instant-error.ts';
export { InstantValidationError } from './instant-validation-error.ts';
export { UnknownOperationError } from './unknown-operation-error.ts';
export { InstantAPIError, type ApiErrorDetails } from './instant-api-error.ts';
export { InstantTimeoutError } from './instant-timeout-error.ts';
export { InstantNetworkError } from './instant-network-error.ts';
export { InstantAbortError } from './instant-abort-error.ts';
export { InstantResponseError } from './instant-response-error.ts';
export { createIssue, type ValidationIssue, type ValidationIssueCode } from './validation-issue.ts';
