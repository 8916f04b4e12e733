import { allowOf, ruleProgram, type RuleAction, type Rules } from './rule-program.ts';

/** One problem in a rules object, where Instant reports it (`in`: `[ns, 'allow', action]`). */
export interface RuleIssue {
  readonly message: string;
  readonly in: readonly string[];
}

const ACTIONS: readonly RuleAction[] = ['view', 'create', 'update', 'delete'];

/** Comments, string literals and `auth.ref(` calls, in the order they appear in a rule. */
const TOKENS = /\/\/[^\n]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\bauth\.ref\(\s*/g;
/** The argument of an `auth.ref(` call when it is a single string literal. */
const LITERAL_ARGUMENT = /^('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")\s*\)/;

/**
 * Instant's check of `auth.ref` calls: the argument must be a string literal starting with `$user.`
 * (`auth.ref` follows links from the `$users` entity). Checked, with its binds, for every
 * view / create / update / delete rule an entry defines.
 *
 * @example
 * authRefProblems({ goals: { allow: { view: "auth.ref('a.b')" } } })
 * // [{ message: 'auth.ref arg must start with `$user.`', in: ['goals', 'allow', 'view'] }]
 */
export function authRefProblems(rules: Rules): RuleIssue[] {
  const issues: RuleIssue[] = [];
  for (const ns of Object.keys(rules)) {
    if (ns === '$rateLimits') continue;
    const allow = allowOf(rules[ns]);
    for (const action of ACTIONS) {
      if (allow?.[action] === undefined || allow[action] === null) continue;
      const program = ruleProgram(rules, ns, action);
      if (program !== undefined && !authRefsValid(program))
        issues.push({ message: 'auth.ref arg must start with `$user.`', in: [ns, 'allow', action] });
    }
  }
  return issues;
}

function authRefsValid(code: string): boolean {
  for (const match of code.matchAll(TOKENS)) {
    if (!match[0].startsWith('auth.ref(')) continue;
    const argument = LITERAL_ARGUMENT.exec(code.slice(match.index + match[0].length));
    if (!argument?.[1]?.slice(1, -1).startsWith('$user.')) return false;
  }
  return true;
}
