/**
 * Instant turns an `$in` list into a Clojure hash set before it prints it in an error message, so the
 * items come out in the set's iteration order, not the order sent. That order is a fact of Clojure's
 * `PersistentHashSet`: `nil` first, then by the item's `hasheq`, five bits at a time from the lowest
 * (the hash trie's branch index at each level); items with equal hashes keep their insertion order.
 * Used only to print `$in` lists the way Instant does.
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function mixK1(k: number): number {
  const mixed = Math.imul(k, C1);
  return Math.imul((mixed << 15) | (mixed >>> 17), C2);
}

function mixH1(h: number, k: number): number {
  const mixed = h ^ k;
  return (Math.imul((mixed << 13) | (mixed >>> 19), 5) + 0xe6546b64) | 0;
}

function finalMix(h: number, length: number): number {
  let mixed = h ^ length;
  mixed ^= mixed >>> 16;
  mixed = Math.imul(mixed, 0x85ebca6b);
  mixed ^= mixed >>> 13;
  mixed = Math.imul(mixed, 0xc2b2ae35);
  return mixed ^ (mixed >>> 16);
}

/** Clojure's `Murmur3.hashInt`. */
function hashInt(input: number): number {
  return input === 0 ? 0 : finalMix(mixH1(0, mixK1(input)), 4);
}

/** Clojure's `Murmur3.hashLong`. */
function hashLong(input: bigint): number {
  if (input === 0n) return 0;
  const low = Number(BigInt.asIntN(32, input));
  const high = Number(BigInt.asIntN(32, input >> 32n));
  return finalMix(mixH1(mixH1(0, mixK1(low)), mixK1(high)), 8);
}

/** Java's `String.hashCode`. */
function javaStringHash(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index++) hash = (Math.imul(31, hash) + text.charCodeAt(index)) | 0;
  return hash;
}

/** Java's `Double.hashCode`. */
function javaDoubleHash(value: number): number {
  if (Object.is(value, -0)) return 0;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  return view.getInt32(0) ^ view.getInt32(4);
}

/** Clojure's `hasheq` of a JSON scalar as Instant's JSON reader makes it (integers are longs). */
function hasheq(value: unknown): number {
  if (typeof value === 'string') return hashInt(javaStringHash(value));
  if (typeof value === 'boolean') return value ? 1231 : 1237;
  if (typeof value === 'number') return Number.isSafeInteger(value) ? hashLong(BigInt(value)) : javaDoubleHash(value);
  return 0;
}

/** Compares two hashes by their 5-bit trie indexes, lowest bits first. */
function compareTriePosition(a: number, b: number): number {
  for (let shift = 0; shift < 32; shift += 5) {
    const diff = ((a >>> shift) & 31) - ((b >>> shift) & 31);
    if (diff !== 0) return diff;
  }
  return 0;
}

/**
 * The distinct items of `values` in the order Clojure iterates `(set values)`.
 *
 * @example
 * inClojureSetOrder(['00000000-0000-0000-0000-000000000000', 'hello']) // ['hello', '00000000-…']
 */
export function inClojureSetOrder(values: readonly unknown[]): unknown[] {
  const distinct = [...new Set(values)];
  const nil = distinct.filter((value) => value === null);
  const keyed = distinct.filter((value) => value !== null).map((value) => ({ value, hash: hasheq(value) }));
  keyed.sort((a, b) => compareTriePosition(a.hash, b.hash));
  return [...nil, ...keyed.map((entry) => entry.value)];
}
