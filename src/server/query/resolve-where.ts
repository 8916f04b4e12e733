import type { AttrRegistry } from '../store/attr-registry.ts';
import { coerceOperator } from './coerce-operator.ts';
import type { RawWhere } from './parse-where.ts';
import type { PathPart } from './query-errors.ts';
import { PlanNodes, type WhereNode } from './query-plan.ts';
import { resolvePath } from './resolve-path.ts';

/** What resolving a `where` needs: the registry, the node's namespace and path, the query, the clock. */
export interface WhereContext {
  readonly registry: AttrRegistry;
  readonly ns: string;
  readonly formIn: readonly PathPart[];
  readonly root: unknown;
  readonly now: number;
  readonly numberText: ReadonlyMap<number, string>;
}

/**
 * Turns a shape-checked `where` into plan nodes, condition by condition in query order: each path is
 * resolved through the registry and each operator's values checked and coerced for the attribute it
 * reaches. A lone clause of an `and`/`or` stands for itself. Throws Instant's validation errors, or
 * `UnresolvedReference` at the first path naming nothing (Instant then answers with no rows).
 */
export function resolveWhere(raw: RawWhere, context: WhereContext): WhereNode {
  if (raw.kind !== 'cond') {
    const clauses = raw.clauses.map((clause) => resolveWhere(clause, context));
    if (clauses.length === 1) return clauses[0]!;
    return raw.kind === 'and' ? PlanNodes.and(clauses) : PlanNodes.or(clauses);
  }
  const { path, leafAttr } = resolvePath(context.registry, context.ns, raw.path, raw.op.kind === 'isNull');
  const label = raw.path[raw.path.length - 1]!;
  const { op, dates } = coerceOperator(raw.op, leafAttr, {
    root: context.root,
    at: [...context.formIn, '$', 'where', label],
    label,
    now: context.now,
    numberText: context.numberText,
  });
  return PlanNodes.cond(path, op, dates);
}
