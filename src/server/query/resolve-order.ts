import type { AttrRegistry } from '../store/attr-registry.ts';
import type { Attr } from '../store/attr.ts';
import type { RawCursor } from './parse-cursor.ts';
import type { ShapedOptions } from './parse-options.ts';
import type { RawOrder } from './parse-order.ts';
import { type PathPart, type QueryProblem, queryValidationError } from './query-errors.ts';
import type { OrderNode } from './query-plan.ts';

/** What resolving a top-level order needs: the registry, the namespace, its path and the query. */
export interface OrderContext {
  readonly registry: AttrRegistry;
  readonly ns: string;
  readonly formIn: readonly PathPart[];
  readonly root: unknown;
}

const CREATED_AT_ASC: OrderNode = Object.freeze({ kind: 'createdAt', direction: 'asc' });

/**
 * The order of a top-level node, checked as Instant's `page-info-of-form` does when the node pages or
 * orders at all: the order key must be an indexed, typed, cardinality-one attribute of the namespace
 * (or `serverCreatedAt`, which needs its `id` attribute), and a cursor must come from a query ordered
 * by the same attribute. Without paging or order, rows come in creation order.
 */
export function resolveTopOrder(options: ShapedOptions, context: OrderContext): OrderNode {
  const { order, after, before } = options;
  const paged = [options.limit, options.first, options.last, options.offset].some((count) => count !== undefined);
  if (!paged && !order && !after && !before) return CREATED_AT_ASC;
  const key = order?.key ?? 'serverCreatedAt';
  const orderAttr = orderAttrOf(key, context);
  if (before) checkCursor('before', before, orderAttr, context);
  if (after) checkCursor('after', after, orderAttr, context);
  const direction = order?.direction ?? 'asc';
  if (key === 'serverCreatedAt') return Object.freeze({ kind: 'createdAt', direction });
  return Object.freeze({ kind: 'attr', attr: orderAttr, direction, dates: orderAttr.checkedType === 'date' });
}

/**
 * The order of a child node: by the named attribute when the namespace has it, else by creation time.
 * Instant does not check it, since child nodes cannot be paginated.
 */
export function resolveChildOrder(order: RawOrder | undefined, registry: AttrRegistry, ns: string): OrderNode {
  const attr = order && order.key !== 'serverCreatedAt' ? registry.forward(ns, order.key) : undefined;
  if (attr)
    return Object.freeze({ kind: 'attr', attr, direction: order!.direction, dates: attr.checkedType === 'date' });
  return order ? Object.freeze({ kind: 'createdAt', direction: order.direction }) : CREATED_AT_ASC;
}

function orderAttrOf(key: string, context: OrderContext): Attr {
  const { registry, ns, formIn, root } = context;
  const at = [...formIn, '$', 'order'];
  const attr = registry.forward(ns, key === 'serverCreatedAt' ? 'id' : key);
  if (!attr) {
    const name = key === 'serverCreatedAt' ? 'id' : key;
    throw queryValidationError('query', root, [
      { expected: 'supported-order?', in: at, message: `There is no \`${name}\` attribute for ${ns}.` },
    ]);
  }
  if (key === 'serverCreatedAt') return attr;
  const name = `${attr.ns}.${attr.label}`;
  const messages = [
    attr.indexed
      ? ''
      : `The \`${name}\` attribute is not indexed. Only indexed and typed attributes can be used to order by.`,
    attr.checkedType
      ? ''
      : `The \`${name}\` attribute is not typed. Only typed and indexed attributes can be used to order by.`,
    attr.cardinality === 'one'
      ? ''
      : `The \`${name}\` attribute has cardinality \`${attr.cardinality}\`. Only attributes with cardinality \`one\` can be used to order by.`,
  ].filter((message) => message !== '');
  if (messages.length > 0)
    throw queryValidationError(
      'query',
      root,
      messages.map((message): QueryProblem => ({ expected: 'supported-order?', in: at, message })),
    );
  return attr;
}

function checkCursor(which: 'before' | 'after', cursor: RawCursor, orderAttr: Attr, context: OrderContext): void {
  if (cursor.attrId === orderAttr.id.toLowerCase()) return;
  const label = (attr: Attr) => (attr.label === 'id' ? 'serverCreatedAt' : attr.label);
  const cursorAttr =
    context.registry.byId(cursor.attrId) ?? context.registry.all().find((a) => a.id.toLowerCase() === cursor.attrId);
  const source = cursorAttr ? `\`${label(cursorAttr)}\`` : 'a missing attribute';
  throw queryValidationError('query', context.root, [
    {
      expected: 'valid-cursor?',
      in: [...context.formIn, '$', which],
      message: `Invalid ${which} cursor. The query orders by \`${label(orderAttr)}\`, but the query that returned the cursor orders by ${source}.`,
    },
  ]);
}
