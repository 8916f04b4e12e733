import type { AttrRegistry } from '../store/attr-registry.ts';
import type { TripleStore } from '../store/triple-store.ts';
import { executeQuery, type QueryOptions } from './execute-query.ts';
import { parseQuery } from './parse-query.ts';

export type { QueryOptions } from './execute-query.ts';
export type { ReadPolicy } from './read-guard.ts';

/**
 * Parses and runs an InstaQL query in one call: {@link parseQuery} (an admin query unless a `policy` is
 * given), then {@link executeQuery}. Routes that want the plan call the two themselves.
 */
export function runQuery(
  registry: AttrRegistry,
  store: TripleStore,
  query: Readonly<Record<string, unknown>>,
  options: QueryOptions,
): Record<string, unknown> {
  const plan = parseQuery(registry, query, { admin: options.policy === undefined });
  return executeQuery(plan, registry, store, options);
}
