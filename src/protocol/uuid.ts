/**
 * 1 at the char codes of the hex digits `0-9a-f` and `A-F`, 0 elsewhere. Every UTF-16 code unit
 * (`charCodeAt` gives 0–65,535) indexes it, so a lookup needs no range test and no bounds branch.
 */
const HEX = new Uint8Array(65_536);
for (const digit of '0123456789abcdefABCDEF') HEX[digit.charCodeAt(0)] = 1;

const DASH = 45;

/**
 * True for a 36-character UUID string in any case (`8-4-4-4-12` hex digits), the form Instant accepts as
 * an entity id. It runs for every id, so it is written for speed: the four dashes are compared first, then
 * the 32 digits are looked up in a table and the results ANDed without a branch per character (about
 * twice as fast as a per-character range test, and several times faster than a regex).
 *
 * @example
 * isUuid('8aa64e4c-64f9-472e-8a61-3fa28870e6cb') // true
 * isUuid('goal-1') // false
 */
export function isUuid(value: unknown): boolean {
  if (typeof value !== 'string' || value.length !== 36) return false;
  const s = value;
  if (s.charCodeAt(8) !== DASH || s.charCodeAt(13) !== DASH || s.charCodeAt(18) !== DASH || s.charCodeAt(23) !== DASH)
    return false;
  return (
    (HEX[s.charCodeAt(0)]! &
      HEX[s.charCodeAt(1)]! &
      HEX[s.charCodeAt(2)]! &
      HEX[s.charCodeAt(3)]! &
      HEX[s.charCodeAt(4)]! &
      HEX[s.charCodeAt(5)]! &
      HEX[s.charCodeAt(6)]! &
      HEX[s.charCodeAt(7)]! &
      HEX[s.charCodeAt(9)]! &
      HEX[s.charCodeAt(10)]! &
      HEX[s.charCodeAt(11)]! &
      HEX[s.charCodeAt(12)]! &
      HEX[s.charCodeAt(14)]! &
      HEX[s.charCodeAt(15)]! &
      HEX[s.charCodeAt(16)]! &
      HEX[s.charCodeAt(17)]! &
      HEX[s.charCodeAt(19)]! &
      HEX[s.charCodeAt(20)]! &
      HEX[s.charCodeAt(21)]! &
      HEX[s.charCodeAt(22)]! &
      HEX[s.charCodeAt(24)]! &
      HEX[s.charCodeAt(25)]! &
      HEX[s.charCodeAt(26)]! &
      HEX[s.charCodeAt(27)]! &
      HEX[s.charCodeAt(28)]! &
      HEX[s.charCodeAt(29)]! &
      HEX[s.charCodeAt(30)]! &
      HEX[s.charCodeAt(31)]! &
      HEX[s.charCodeAt(32)]! &
      HEX[s.charCodeAt(33)]! &
      HEX[s.charCodeAt(34)]! &
      HEX[s.charCodeAt(35)]!) ===
    1
  );
}
