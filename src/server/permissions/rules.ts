import { isPlainObject } from '../../protocol/json.ts';
import { validationFailed } from '../api/api-error.ts';
import { authRefProblems } from './auth-ref-check.ts';
import { bindsOf, fieldRuleProblems, ruleProgram, type RuleAction, type Rules } from './rule-program.ts';

export type { RuleAction, Rules } from './rule-program.ts';

/**
 * Checks a rules object's shape, its `auth.ref` calls and that no field rule is set for `id`; a
 * malformed one is a `validation-failed` for `rule` (each error with `in`, where Instant has it).
 *
 * @example
 * validateRules({ goals: { allow: { view: 'isOwner' }, bind: ['isOwner'] } })
 * // throws ApiError 'Validation failed for rule: goals.bind must have an even number of elements.'
 */
export function validateRules(rules: unknown): Rules {
  if (!isPlainObject(rules)) throw validationFailed('rule', rules, ['Rules must be an object.']);
  for (const [ns, entry] of Object.entries(rules)) {
    if (!isPlainObject(entry)) throw validationFailed('rule', rules, [`Rules for ${ns} must be an object.`]);
    const bind = entry.bind;
    if (Array.isArray(bind) && bind.length % 2 !== 0)
      throw validationFailed('rule', rules, [`${ns}.bind must have an even number of elements.`]);
  }
  const fieldIssues = fieldRuleProblems(rules).map(({ ns, message }) => ({ message, in: [ns, 'fields'] }));
  const issues = [...authRefProblems(rules), ...fieldIssues];
  if (issues.length > 0)
    throw validationFailed(
      'rule',
      rules,
      issues.map((issue) => issue.message),
      issues.map((issue) => ({ in: issue.in })),
    );
  return rules;
}

const ACTIONS: readonly RuleAction[] = ['view', 'create', 'update', 'delete'];
/** `link` / `unlink` rules are objects keyed by link label (or `$default`), as in Instant's rules. */
const LINK_ACTIONS = new Set(['link', 'unlink']);
const ALLOW_KEYS = new Set<string>([...ACTIONS, ...LINK_ACTIONS, '$default']);

/**
 * Every problem with a rules object, checked before the server starts: its shape, `allow` keys that
 * are not actions (`veiw`), rule code that is not a string, and rules or binds that do not compile
 * (`compile` throws the CEL parse error). Empty when the rules are usable.
 *
 * @example
 * ruleProblems({ goals: { allow: { veiw: 'true' } } }, () => {}) // with a `compile` that accepts every rule:
 * // ["goals.allow.veiw: unknown action 'veiw'; expected one of view, create, update, delete, link, unlink, $default"]
 */
export function ruleProblems(rules: unknown, compile: (code: string) => void): string[] {
  if (!isPlainObject(rules)) return ['rules must be a JSON object'];
  const problems: string[] = [];
  const tryCompile = (where: string, code: string): void => {
    try {
      compile(code);
    } catch (error) {
      problems.push(`${where} does not compile: ${String((error as Error).message).split('\n')[0]}`);
    }
  };
  for (const [ns, entry] of Object.entries(rules)) {
    if (ns === '$rateLimits') continue;
    if (!isPlainObject(entry)) {
      problems.push(`${ns} must be an object`);
      continue;
    }
    const bind = entry.bind;
    if (Array.isArray(bind) && bind.length % 2 !== 0) problems.push(`${ns}.bind must have an even number of elements`);
    for (const [name, code] of bindsOf(entry)) tryCompile(`${ns}.bind.${name}`, code);
    if (entry.fields !== undefined) checkCodeMap(`${ns}.fields`, entry.fields, problems, tryCompile);
    const allow = entry.allow;
    if (allow === undefined) continue;
    if (!isPlainObject(allow)) {
      problems.push(`${ns}.allow must be an object`);
      continue;
    }
    for (const [action, code] of Object.entries(allow)) {
      if (!ALLOW_KEYS.has(action))
        problems.push(
          `${ns}.allow.${action}: unknown action '${action}'; expected one of ${[...ALLOW_KEYS].join(', ')}`,
        );
      else if (LINK_ACTIONS.has(action)) checkCodeMap(`${ns}.allow.${action}`, code, problems, tryCompile);
      else checkCode(`${ns}.allow.${action}`, code, problems, tryCompile);
    }
  }
  for (const { ns, message } of fieldRuleProblems(rules)) problems.push(`${ns}.fields.id: ${message}`);
  if (problems.length > 0) return problems;
  for (const ns of Object.keys(rules)) {
    if (ns === '$rateLimits') continue;
    for (const action of ACTIONS) {
      const program = ruleProgram(rules, ns, action);
      if (program !== undefined) tryCompile(`the ${action} rule of ${ns} (with its binds)`, program);
    }
  }
  for (const issue of authRefProblems(rules)) problems.push(`${issue.in.join('.')}: ${issue.message}`);
  return problems;
}

function checkCode(
  where: string,
  code: unknown,
  problems: string[],
  tryCompile: (where: string, code: string) => void,
): void {
  if (typeof code !== 'string' && typeof code !== 'boolean' && code !== null)
    problems.push(`${where} must be a string of CEL`);
  else if (code !== null) tryCompile(where, String(code));
}

/** A map of label → rule (`allow.link`, `allow.unlink`, `fields`): each value must be rule code. */
function checkCodeMap(
  where: string,
  map: unknown,
  problems: string[],
  tryCompile: (where: string, code: string) => void,
): void {
  if (!isPlainObject(map)) {
    problems.push(`${where} must be an object of label → rule`);
    return;
  }
  for (const [label, code] of Object.entries(map)) checkCode(`${where}.${label}`, code, problems, tryCompile);
}
