import { isPlainObject } from '../../protocol/json.ts';
import { requireAdmin, resolveCaller } from '../auth/authenticate.ts';
import type { Caller } from '../permissions/caller.ts';
import { paramMissing, validationFailed } from '../api/api-error.ts';
import type { ApiRequest } from '../api/api-request.ts';
import { Permissions, type CheckResult } from '../permissions/permissions.ts';
import { validateRules } from '../permissions/rules.ts';
import { runQuery } from '../query/run-query.ts';
import { runTransaction } from '../transact/run-transaction.ts';
import type { Handler, ServerContext } from './context.ts';

function impersonated(req: ApiRequest, ctx: ServerContext): { caller: Caller; permissions: Permissions } {
  requireAdmin(req, ctx.app);
  const caller = resolveCaller(req, ctx.app, ctx.users);
  if (caller.kind === 'admin') throw validationFailed('non-admin', null, ['Cannot test perms as admin']);
  const override = req.body['rules-override'];
  const permissions =
    override === undefined ? ctx.permissions : new Permissions(() => validateRules(override), ctx.storage);
  return { caller, permissions };
}

function program(result: CheckResult): Record<string, unknown> {
  return result.code === undefined
    ? {}
    : { etype: result.ns, action: result.action, code: result.code, 'display-code': result.code };
}

/**
 * `POST /admin/query_perms_check` → `{check-results, result, rule-wheres}` (SDK `debugQuery`).
 */
export const queryPermsCheckRoute: Handler = (req, ctx) => {
  const { caller, permissions } = impersonated(req, ctx);
  const query = req.body.query;
  if (query === undefined) throw paramMissing(['body', 'query']);
  if (!isPlainObject(query)) throw validationFailed('query', query, ['The query must be an object.']);
  const ruleParams = isPlainObject(query.$$ruleParams) ? query.$$ruleParams : {};
  const checks: Record<string, unknown>[] = [];
  const canView = (ns: string, entity: Record<string, unknown>): boolean => {
    const result = permissions.check(caller, ns, 'view', entity, ruleParams);
    checks.push({
      id: result.id,
      entity: ns,
      label: null,
      record: entity,
      program: program(result),
      check: result.pass,
    });
    return result.pass;
  };
  const result = runQuery(ctx.storage.registry, ctx.storage.store, query, {
    inference: req.body['inference?'] === true,
    canView,
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
