import { medianTime, uuids } from './harness.ts';
const N = 100_000; const ids = uuids(N);
const t = (l: string, f: () => number) => { let r = 0; const ms = medianTime(() => { r = f(); }, 15, 5); console.log(l.padEnd(24), ms.toFixed(1), r); };
function segs(v: string): boolean {
  if (v.length !== 36 || v.charCodeAt(8) !== 45 || v.charCodeAt(13) !== 45 || v.charCodeAt(18) !== 45 || v.charCodeAt(23) !== 45) return false;
  for (let i = 0; i < 36; i++) {
    if (i === 8 || i === 13 || i === 18 || i === 23) continue;
    const c = v.charCodeAt(i) | 32;
    if ((c < 48 || c > 57) && (c < 97 || c > 102)) return false;
  }
  return true;
}
const reLoose = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
function lowerFirst(v: string): boolean { return v.length === 36 && (reLoose.test(v) || reLoose.test(v.toLowerCase())); }
const reCls = /^[\da-f-]{36}$/i;
function cls(v: string): boolean { return reCls.test(v) && v.charCodeAt(8) === 45 && v.charCodeAt(13) === 45 && v.charCodeAt(18) === 45 && v.charCodeAt(23) === 45 && v.indexOf('-', 24) === -1 && v.lastIndexOf('-', 7) === -1 && v.indexOf('-', 9) === 13 && v.indexOf('-', 14) === 18 && v.indexOf('-', 19) === 23; }
t('segs', () => { let c = 0; for (let i = 0; i < N; i++) if (segs(ids[i]!)) c++; return c; });
t('regex no i', () => { let c = 0; for (let i = 0; i < N; i++) if (lowerFirst(ids[i]!)) c++; return c; });
t('class regex', () => { let c = 0; for (let i = 0; i < N; i++) if (cls(ids[i]!)) c++; return c; });
t('length only', () => { let c = 0; for (let i = 0; i < N; i++) if (ids[i]!.length === 36) c++; return c; });
