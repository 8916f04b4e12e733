import type { WhereValue } from './query-plan.ts';

/**
 * The values of an `$in` list as sets, so membership costs the same for 10 values or 100,000 (a scan
 * of the list per row made `$in` quadratic). Membership is {@link equalValues}'s equality: strict,
 * except that 36-character strings (entity ids) compare case-insensitively; `null` is remembered apart.
 *
 * @example
 * ValueSet.of(['a', 1, null]).has(1) // true
 */
export class ValueSet {
  readonly #ids = new Set<string>();
  readonly #strings = new Set<string>();
  readonly #others = new Set<unknown>();
  readonly #hasNull: boolean;

  private constructor(values: readonly (WhereValue | null)[]) {
    let hasNull = false;
    for (const value of values) {
      if (value === null) hasNull = true;
      else if (typeof value === 'string') {
        this.#strings.add(value);
        if (value.length === 36) this.#ids.add(value.toLowerCase());
      } else this.#others.add(value);
    }
    this.#hasNull = hasNull;
  }

  /** The set of `values`, built once per list (lists are frozen plan values, so the set is cached). */
  static of(values: readonly (WhereValue | null)[]): ValueSet {
    let set = CACHE.get(values);
    if (!set) {
      set = new ValueSet(values);
      CACHE.set(values, set);
    }
    return set;
  }

  /** Whether a reached value (`null` when missing) is in the list. */
  has(value: unknown): boolean {
    if (value === null || value === undefined) return this.#hasNull;
    if (typeof value === 'string')
      return value.length === 36 ? this.#ids.has(value.toLowerCase()) : this.#strings.has(value);
    // Objects never equal a list item (equality is by identity), so only numbers and booleans remain.
    return typeof value !== 'object' && this.#others.has(value);
  }
}

const CACHE = new WeakMap<readonly unknown[], ValueSet>();
