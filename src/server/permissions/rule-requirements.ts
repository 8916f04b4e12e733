import type { ASTNode } from '@marcbachmann/cel-js';

/** What a required value is compared with: a literal (as its stored JSON text) or a key of `auth`. */
export type RequiredTerm =
  | { readonly kind: 'literal'; readonly json: string }
  | { readonly kind: 'auth'; readonly key: string };

/** `data.<label> == term`, a condition that every entity passing the rule meets. */
export interface RuleRequirement {
  readonly label: string;
  readonly term: RequiredTerm;
}

/**
 * The equalities `data.<label> == <literal | auth.key>` that a rule requires of every entity it lets
 * through, read off its syntax tree as Instant derives `where` clauses from a view rule to page in
 * the database: the conjuncts of a top-level `&&` chain (through `cel.bind`s of literals and `auth`
 * keys). Anything else — `||`, `!`, functions, `ruleParams`, `data.ref` — requires nothing.
 *
 * Pruning rows that fail a requirement never changes an answer: CEL's `false && x` is false even when
 * `x` errs, and `==` across types is false, so such a row fails the rule however it is evaluated.
 * Only literals whose JSON text is what the store keeps are used: strings, booleans, finite numbers.
 */
export function ruleRequirements(ast: ASTNode): RuleRequirement[] {
  return requirementsOf(ast, new Map());
}

/** Names bound by enclosing `cel.bind`s: a term, or null for a name bound to anything else. */
type Scope = ReadonlyMap<string, RequiredTerm | null>;

function requirementsOf(node: ASTNode, scope: Scope): RuleRequirement[] {
  if (node.op === '&&') return [...requirementsOf(node.args[0], scope), ...requirementsOf(node.args[1], scope)];
  if (node.op === 'rcall' && node.args[0] === 'bind' && isId(node.args[1], 'cel') && node.args[2].length === 3) {
    const [name, value, body] = node.args[2];
    if (name?.op !== 'id' || !value || !body) return [];
    return requirementsOf(body, new Map(scope).set(name.args, termOf(value, scope)));
  }
  if (node.op !== '==') return [];
  const [left, right] = node.args;
  const pair = (label: string | undefined, other: ASTNode): RuleRequirement[] => {
    const term = label === undefined || label === 'id' ? null : termOf(other, scope);
    return term ? [{ label: label!, term }] : [];
  };
  const leftLabel = dataLabel(left, scope);
  return leftLabel !== undefined ? pair(leftLabel, right) : pair(dataLabel(right, scope), left);
}

/** `label` when the node reads `data.label` (or `data["label"]`) and `data` is not rebound. */
function dataLabel(node: ASTNode, scope: Scope): string | undefined {
  if (scope.has('data')) return undefined;
  if (node.op === '.' && isId(node.args[0], 'data')) return node.args[1];
  if (node.op === '[]' && isId(node.args[0], 'data') && node.args[1].op === 'value') {
    const key = node.args[1].args;
    return typeof key === 'string' ? key : undefined;
  }
  return undefined;
}

/** The node as a term: a literal kept as JSON, `auth.key`, or a name bound to one; else null. */
function termOf(node: ASTNode, scope: Scope): RequiredTerm | null {
  if (node.op === 'value') return literalTerm(node.args);
  if (node.op === 'id') return scope.get(node.args) ?? null;
  if (node.op === '.' && isId(node.args[0], 'auth') && !scope.has('auth')) return { kind: 'auth', key: node.args[1] };
  return null;
}

function literalTerm(value: unknown): RequiredTerm | null {
  if (typeof value === 'string' || typeof value === 'boolean') return { kind: 'literal', json: JSON.stringify(value) };
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'literal', json: JSON.stringify(value) };
  if (typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER))
    return { kind: 'literal', json: JSON.stringify(Number(value)) };
  return null;
}

function isId(node: ASTNode, name: string): boolean {
  return node.op === 'id' && node.args === name;
}
