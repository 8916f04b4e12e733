import { expectAssignable, expectNotAssignable, expectType } from 'tsd';
import { isInstantError, MAX_JSON_DEPTH, type InstantError, type ValidationIssueCode } from 'instant-tx';

// isInstantError narrows unknown to the base class every instant-tx error extends.
declare const caught: unknown;
if (isInstantError(caught)) expectType<InstantError>(caught);

// The depth limit is a documented, exported number.
expectAssignable<number>(MAX_JSON_DEPTH);

// Query validation adds two issue codes.
expectAssignable<ValidationIssueCode>('unknown-option');
expectAssignable<ValidationIssueCode>('unknown-operator');
expectNotAssignable<ValidationIssueCode>('unknown-thing');
