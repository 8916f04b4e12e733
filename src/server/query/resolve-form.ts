import type { AttrRegistry } from '../store/attr-registry.ts';
import type { RawCursor } from './parse-cursor.ts';
import { queryValidationError } from './query-errors.ts';
import {
  type Cursor,
  type NamespaceNode,
  type NodeOptions,
  type OrderNode,
  PlanNodes,
  type WhereNode,
} from './query-plan.ts';
import { resolveChildOrder, resolveTopOrder } from './resolve-order.ts';
import { findLink, UnresolvedReference } from './resolve-path.ts';
import { resolveWhere } from './resolve-where.ts';
import type { ShapedForm } from './shape-forms.ts';

/** What resolving needs: the registry, the query (for error hints), the caller's kind and the clock. */
export interface ResolveContext {
  readonly registry: AttrRegistry;
  readonly root: unknown;
  readonly admin: boolean;
  readonly now: number;
  readonly numberText: ReadonlyMap<number, string>;
}

/**
 * Resolves one shape-checked node against the registry, in Instant's `query-one` order: its namespace
 * (or its link from `parentNs`), its `where`, its order and cursors (top level), its children, then its
 * `aggregate` (admin only, and never with children). A namespace, link or `where` attribute that does
 * not exist leaves the node `unresolved` (no rows), as Instant does.
 */
export function resolveForm(form: ShapedForm, parentNs: string | undefined, context: ResolveContext): NamespaceNode {
  const link = parentNs === undefined ? undefined : findLink(context.registry, parentNs, form.label);
  const ns = parentNs === undefined ? form.label : (link?.target ?? form.label);
  let unresolved = parentNs !== undefined && !link ? `${parentNs}.${form.label}` : undefined;
  let where: WhereNode | undefined;
  if (!unresolved && form.options.where) {
    try {
      where = resolveWhere(form.options.where, { ...context, ns, formIn: form.in });
    } catch (error) {
      if (!(error instanceof UnresolvedReference)) throw error;
      unresolved = error.reference;
    }
  }
  if (!unresolved && parentNs === undefined && !where && !context.registry.forward(ns, 'id')) unresolved = `${ns}.id`;
  const order: OrderNode =
    parentNs !== undefined || unresolved
      ? resolveChildOrder(form.options.order, context.registry, ns)
      : resolveTopOrder(form.options, { ...context, ns, formIn: form.in });
  const children = parentNs !== undefined && !link ? [] : form.children.map((child) => resolveForm(child, ns, context));
  checkAggregate(form, children.length > 0, context);
  return PlanNodes.namespace({
    label: form.label,
    ns,
    link,
    unresolved,
    options: nodeOptions(form, where, order),
    children,
  });
}

function checkAggregate(form: ShapedForm, hasChildren: boolean, context: ResolveContext): void {
  if (!form.options.aggregate) return;
  const at = [...form.in, '$', 'aggregate'];
  if (!context.admin)
    throw queryValidationError('query', context.root, [
      { expected: 'admin?', in: at, message: 'Aggregates are currently only available for admin queries.' },
    ]);
  if (hasChildren)
    throw queryValidationError('query', context.root, [
      { expected: 'valid-query?', in: at, message: 'You can not combine aggregates with child queries at this time.' },
    ]);
}

function nodeOptions(form: ShapedForm, where: WhereNode | undefined, order: OrderNode): NodeOptions {
  const options = form.options;
  const cursor = (raw: RawCursor | undefined, inclusive: boolean): Cursor | undefined =>
    raw ? Object.freeze({ ...raw, inclusive }) : undefined;
  return {
    where,
    order,
    limit: options.limit ?? options.first,
    last: options.last,
    offset: options.offset ?? 0,
    after: cursor(options.after, options.afterInclusive),
    before: cursor(options.before, options.beforeInclusive),
    fields: options.fields ? Object.freeze([...options.fields]) : undefined,
    aggregate: options.aggregate,
  };
}
