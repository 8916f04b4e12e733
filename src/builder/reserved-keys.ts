/**
 * Property names that libraries probe on arbitrary objects (promise resolution, test matchers, React,
 * DOM checks, Immutable.js). Reading them from a builder yields `undefined` instead of an id, a
 * namespace or an error, so `await chunk`, `expect(chunk)` and pretty-printers behave.
 */
const PROBE_KEYS: ReadonlySet<string> = new Set([
  'then',
  'toJSON',
  'asymmetricMatch',
  'nodeType',
  'tagName',
  '_isMockFunction',
  'prototype',
]);

/**
 * True for names that must read as `undefined` on a builder (see {@link PROBE_KEYS}), including any
 * `$$…` or `@@…` name, a convention for library-private markers.
 *
 * @example
 * isProbeKey('then') // true
 * isProbeKey('goals') // false
 */
export function isProbeKey(key: string): boolean {
  return PROBE_KEYS.has(key) || key.startsWith('$$') || key.startsWith('@@');
}

/** Well-known symbol Node's `util.inspect` looks for; reached through the registry so the builder needs no `node:` import. */
export const INSPECT_CUSTOM: unique symbol = Symbol.for('nodejs.util.inspect.custom') as never;
