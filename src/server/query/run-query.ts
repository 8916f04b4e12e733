import type { AttrRegistry } from '../store/attr-registry.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { executeQuery, type QueryOptions } from './execute-query.ts';
import { parseQuery } from './parse-query.ts';

export type { QueryOptions } from './execute-query.ts';
export type { ReadPolicy } from './read-guard.ts';

/**
 * Parses and runs an InstaQL query in one call: {@link parseQuery} (an admin query unless a `policy` is
 * given; `numberText` lets its errors print oversized integers as sent), then {@link executeQuery}.
 */
export function runQuery(
  registry: AttrRegistry,
  store: TripleStore,
  query: Readonly<Record<string, unknown>>,
  options: QueryOptions & { readonly numberText?: ReadonlyMap<number, string> | undefined },
): Record<string, unknown> {
  const { numberText, ...run } = options;
  const plan = parseQuery(registry, query, { admin: run.policy === undefined, ...(numberText ? { numberText } : {}) });
  return executeQuery(plan, registry, store, run);
}
