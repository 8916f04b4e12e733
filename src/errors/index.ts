export { InstantError, isInstantError } from './instant-error.ts';
export { InstantValidationError } from './instant-validation-error.ts';
export { UnknownOperationError } from './unknown-operation-error.ts';
export { createIssue, type ValidationIssue, type ValidationIssueCode } from './validation-issue.ts';
