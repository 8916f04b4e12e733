import { isPlainObject } from '../../protocol/json.ts';
import { requireAdmin, resolveCaller } from '../auth/authenticate.ts';
import { type Caller, callerLabel } from '../permissions/caller.ts';
import { paramMissing, validationFailed } from '../api/api-error.ts';
import type { ApiRequest } from '../api/api-request.ts';
import { Permissions, type CheckResult } from '../permissions/permissions.ts';
import { readPolicy } from '../permissions/read-policy.ts';
import { type Rules, validateRules } from '../permissions/rules.ts';
import { runQuery } from '../query/run-query.ts';
import { runTransaction } from '../transact/run-transaction.ts';
import type { Handler, ServerContext } from './context.ts';

/**
 * The impersonated caller of a perms-check route and the permissions to check with: the app's, or the
 * `rules-override`, validated once, when `validateOverride` is called or the rules are first used.
 */
function impersonated(
  req: ApiRequest,
  ctx: ServerContext,
): { caller: Caller; permissions: Permissions; validateOverride: () => void } {
  requireAdmin(req, ctx.app);
  const caller = resolveCaller(req, ctx.app, ctx.users);
  if (caller.kind === 'admin') throw validationFailed('non-admin', null, ['Cannot test perms as admin']);
  const override = req.body['rules-override'];
  if (override === undefined) return { caller, permissions: ctx.permissions, validateOverride: () => {} };
  let rules: Rules | undefined;
  const overrideRules = (): Rules => {
    rules ??= validateRules(override);
    return rules;
  };
  return {
    caller,
    permissions: new Permissions(overrideRules, ctx.storage),
    validateOverride: () => void overrideRules(),
  };
}

function program(result: CheckResult): Record<string, unknown> {
  return result.code === undefined
    ? {}
    : { etype: result.ns, action: result.action, code: result.code, 'display-code': result.code };
}

/**
 * `POST /admin/query_perms_check` → `{check-results, result, rule-wheres}` (SDK `debugQuery`): the query
 * as the impersonated caller sees it, and every view rule (`label` null) and field rule it evaluated,
 * once per entity.
 */
export const queryPermsCheckRoute: Handler = (req, ctx) => {
  const { caller, permissions, validateOverride } = impersonated(req, ctx);
  validateOverride();
  const query = req.body.query;
  if (query === undefined) throw paramMissing(['body', 'query']);
  if (!isPlainObject(query)) throw validationFailed('query', query, ['The query must be an object.']);
  const ruleParams = isPlainObject(query.$$ruleParams) ? query.$$ruleParams : {};
  const checks: Record<string, unknown>[] = [];
  const policy = readPolicy(permissions, caller, ruleParams, ({ result, label, record }) =>
    checks.push({ id: result.id, entity: result.ns, label, record, program: program(result), check: result.pass }),
  );
  const result = runQuery(ctx.storage.registry, ctx.storage.store, query, {
    inference: req.body['inference?'] === true,
    numberText: req.numberText,
    fileUrl: (locationId) => ctx.files.url(locationId),
    policy,
  });
  return { 'check-results': checks, result, 'rule-wheres': null };
};

/**
 * `POST /admin/transact_perms_check` → `{tx-id, all-checks-ok?, committed?, check-results}` (SDK
 * `debugTransact`). Commits only with `dangerously-commit-tx: true` and every check passing.
 */
export const transactPermsCheckRoute: Handler = (req, ctx) => {
  const { caller, permissions } = impersonated(req, ctx);
  const steps = req.body.steps;
  if (steps === undefined) throw paramMissing(['body', 'steps']);
  const results: CheckResult[] = [];
  const commit = req.body['dangerously-commit-tx'] === true;
  const txId = runTransaction(ctx.storage, steps, {
    throwOnMissingAttrs: req.body['throw-on-missing-attrs?'] === true,
    by: callerLabel(caller),
    beforeCommit: (changes, ruleParams) => {
      results.push(...permissions.checkChanges(caller, changes, ruleParams));
      // Every check runs, before and after the write; only then is the write kept or undone.
      return changes.phase === 'before-write' || (commit && results.every((result) => result.pass));
    },
  });
  const allOk = results.every((result) => result.pass);
  return {
    'tx-id': txId,
    'all-checks-ok?': allOk,
    'committed?': commit && allOk,
    'check-results': results.map((result) => ({
      scope: result.scope,
      action: result.action,
      etype: result.ns,
      eid: result.id,
      program: program(result),
      bindings: {},
      'check-result': result.pass,
      'check-pass?': result.pass,
    })),
  };
};
