import { medianTime, uuids } from './harness.ts';
const N = 200_000; const ids = uuids(N);
const t = (l: string, f: () => void) => console.log(l.padEnd(30), medianTime(f).toFixed(1));
const plain = ids.map((g, i) => ['update', 'goals', g, { title: 'Get fit', priority: i }]);
const frozen = ids.map((g, i) => Object.freeze(['update', 'goals', g, Object.freeze({ title: 'Get fit', priority: i })]));
const copied = ids.map((g, i) => { const src = { title: 'Get fit', priority: i } as Record<string, unknown>; const o: Record<string, unknown> = {}; for (const k of Object.keys(src)) o[k] = src[k]; return ['update','goals',g,o]; });
t('stringify plain', () => JSON.stringify(plain));
t('stringify frozen', () => JSON.stringify(frozen));
t('stringify copied', () => JSON.stringify(copied));
const re = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
t('regex uuid', () => { let c = 0; for (const g of ids) if (re.test(g)) c++; });
t('freeze small obj', () => { for (let i = 0; i < N; i++) Object.freeze({ a: i, b: 2 }); });
t('alloc small obj', () => { let x; for (let i = 0; i < N; i++) x = { a: i, b: 2 }; });
class C { #a; #b; constructor(a: unknown, b: unknown) { this.#a = a; this.#b = b; } }
class D { #a; #b; constructor(a: unknown, b: unknown) { this.#a = a; this.#b = b; Object.freeze(this); } }
t('new class 2 private', () => { for (let i = 0; i < N; i++) new C(i, 2); });
t('new class 2 private+freeze', () => { for (let i = 0; i < N; i++) new D(i, 2); });
const p = new Proxy({}, { get: (t, k) => k });
t('proxy get', () => { let x; for (let i = 0; i < N; i++) x = (p as any)[ids[i]!]; });
