import { medianTime, uuids } from './harness.ts';
const N = 100_000; const ids = uuids(N);
const t = (l: string, f: () => void) => console.log(l.padEnd(28), medianTime(f, 15, 5).toFixed(1));
let sink: unknown;
const HEX = new Uint8Array(128); for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;
function table(v: string): boolean {
  if (v.length !== 36) return false;
  for (let i = 0; i < 36; i++) {
    const c = v.charCodeAt(i);
    if (i === 8 || i === 13 || i === 18 || i === 23) { if (c !== 45) return false; }
    else if (c > 127 || HEX[c] === 0) return false;
  }
  return true;
}
const re = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const re2 = /^[\da-fA-F]{8}-[\da-fA-F]{4}-[\da-fA-F]{4}-[\da-fA-F]{4}-[\da-fA-F]{12}$/;
t('table', () => { for (let i = 0; i < N; i++) sink = table(ids[i]!); });
t('regex i', () => { for (let i = 0; i < N; i++) sink = re.test(ids[i]!); });
t('regex2', () => { for (let i = 0; i < N; i++) sink = re2.test(ids[i]!); });
t('table again', () => { for (let i = 0; i < N; i++) sink = table(ids[i]!); });
