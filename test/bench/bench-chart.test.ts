import { describe, expect, it } from 'vitest';
import type { BenchResult } from '../../bench/chart/bench-result.ts';
import { benchSvg, escapeXml, formatNumber } from '../../bench/chart/bench-svg.ts';
import { valuesFromDetail } from '../../bench/chart/values-from-detail.ts';
import { mergeResults } from '../../bench/chart/write-chart.ts';
import { xmlProblems } from './xml-well-formed.ts';

const result = (name: string, values: BenchResult['values'], ratio = 1, met = true): BenchResult => ({
  name,
  ratio,
  goal: '<= 1.15x',
  met,
  detail: '',
  values,
});

const results: BenchResult[] = [
  result(
    'client CPU per transact',
    { unit: 'µs', ours: 410, official: 250, baseline: 440, baselineName: 'bare ky' },
    0.93,
  ),
  result('16,000-call chain', { unit: 'ms', ours: 7.5, official: 1500 }, 200),
  result('heap per step', { unit: 'B', ours: 216, baseline: 120, baselineName: 'the tuple' }, 1.8, false),
  result('type instantiations', { unit: 'x', ours: 0.44 }, 0.44),
];

const groups = (svg: string) => svg.split('<g class="benchmark">').slice(1);
const rects = (group: string) => [...group.matchAll(/<rect [^>]*width="([\d.]+)"[^>]*fill="(#[0-9a-f]+)"/g)];

describe('benchmark chart (SVG writer: results in, SVG text out)', () => {
  const svg = benchSvg(results, { title: 'instant-tx benchmarks', subtitle: 'Node 24, one run' });

  it('checks well-formedness for real (the checker rejects broken XML)', () => {
    for (const broken of [
      '<svg><g></svg>',
      '<svg a="1" a="2"/>',
      '<svg>&</svg>',
      '<svg>a < b</svg>',
      '<a/><b/>',
      '<svg>',
    ])
      expect(xmlProblems(broken), broken).not.toEqual([]);
    expect(xmlProblems('<svg a="&amp;"><g>x &#60; y</g></svg>')).toEqual([]);
  });

  it('is well-formed XML with an svg root that scales by its viewBox', () => {
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 960 \d+"/);
    const [, height] = /viewBox="0 0 960 (\d+)"/.exec(svg)!;
    expect(svg).toContain(`height="${height}"`);
  });

  it('draws one bar group per benchmark, with a bar for ours, the official (when measured) and the baseline', () => {
    expect(groups(svg)).toHaveLength(results.length);
    const [client, chain, heap, ratioOnly] = groups(svg).map(rects);
    expect(client!.map(([, , fill]) => fill)).toEqual(['#2563eb', '#f59e0b', '#9ca3af']);
    expect(chain!.map(([, , fill]) => fill)).toEqual(['#2563eb', '#f59e0b']);
    expect(heap!.map(([, , fill]) => fill)).toEqual(['#2563eb', '#9ca3af']);
    expect(ratioOnly).toHaveLength(1);
    expect(groups(svg)[3]).toContain('>ratio<');
    expect(groups(svg)[3]).toContain('>0.44x<');
  });

  it('scales bars within each group: the largest figure fills the bar area, the others in proportion', () => {
    const widths = groups(svg).map((group) => rects(group).map(([, width]) => Number(width)));
    expect(widths[0]).toEqual([521.8, 318.2, 560]);
    expect(widths[1]![1]).toBe(560);
    expect(widths[1]![0]).toBeCloseTo(2.8, 1);
  });

  it('labels each bar with its value and unit, and each group with its ratio, goal and verdict', () => {
    const [client, , heap] = groups(svg);
    expect(client).toContain('>410 µs<');
    expect(client).toContain('>bare ky<');
    expect(client).toContain('✓ 0.93x, goal &lt;= 1.15x');
    expect(heap).toContain('✗ 1.80x, goal &lt;= 1.15x');
    expect(svg).toContain('>instant-tx (ours)<');
    expect(svg).toContain('>@instantdb/admin (official)<');
  });

  it('escapes <, & and quotes in names, so a hostile name cannot break the XML', () => {
    const hostile = benchSvg(
      [
        result('a <b> & "c" \'d\' </svg><script>x</script>\u0001', {
          unit: 'ms',
          ours: 1,
          baselineName: '<&>',
          baseline: 2,
        }),
      ],
      { title: 'x & <y>' },
    );
    expect(xmlProblems(hostile)).toEqual([]);
    expect(hostile).toContain(
      'a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39; &lt;/svg&gt;&lt;script&gt;x&lt;/script&gt;<',
    );
    expect(hostile).not.toContain('<script');
    expect(hostile).toContain('aria-label="x &amp; &lt;y&gt;"');
    expect(escapeXml('\t\n ok\u0000')).toBe('\t\n ok');
  });

  it('is a pure function: the same results give the same text; no results give an empty, valid chart', () => {
    expect(benchSvg(results, { title: 't' })).toBe(benchSvg(results, { title: 't' }));
    const empty = benchSvg([], { title: 'nothing measured' });
    expect(xmlProblems(empty)).toEqual([]);
    expect(groups(empty)).toHaveLength(0);
  });

  it('formats figures for reading', () => {
    expect([formatNumber(1234.5), formatNumber(56.78), formatNumber(0.4449), formatNumber(Number.NaN)]).toEqual([
      '1,235',
      '56.8',
      '0.44',
      'NaN',
    ]);
  });
});

describe('results as data from the lines benchmarks print', () => {
  it('reads named figures: ours, the official and a baseline, when they reproduce the ratio', () => {
    expect(valuesFromDetail('ours 412.3 ms, tuples 161.0 ms, 100k chunks', 2.56)).toEqual({
      unit: 'ms',
      ours: 412.3,
      baseline: 161,
      baselineName: 'tuples',
    });
    expect(valuesFromDetail('official 1500.0 ms, ours 7.50 ms', 200)).toEqual({
      unit: 'ms',
      ours: 7.5,
      official: 1500,
    });
  });

  it('reads "x vs y unit" as ours vs the label\'s other side, whichever way up the ratio is written', () => {
    expect(valuesFromDetail('1.50 vs 0.90 ms, 100000 rows', 1.67, 'guest page / admin page')).toEqual({
      unit: 'ms',
      ours: 1.5,
      baseline: 0.9,
      baselineName: 'admin page',
    });
    expect(valuesFromDetail('110 MB vs 140 MB; 12 samples', 1.27, 'second half / first half (peak)')).toEqual({
      unit: 'MB',
      ours: 140,
      baseline: 110,
      baselineName: 'first half',
    });
    expect(valuesFromDetail('check 117 ms vs 130 ms', 0.9, 'type-check time, ours / @instantdb/admin')).toEqual({
      unit: 'ms',
      ours: 117,
      official: 130,
    });
  });

  it('falls back to the ratio alone when the detail does not reproduce it', () => {
    expect(valuesFromDetail('ours 10 ms, tuples 5 ms', 7)).toEqual({ unit: 'x', ours: 7 });
    expect(valuesFromDetail('nothing to read here', 0.44)).toEqual({ unit: 'x', ours: 0.44 });
  });

  it('a partial run replaces the saved results of the same name and keeps the rest in order', () => {
    const saved = [result('a', { unit: 'x', ours: 1 }), result('b', { unit: 'x', ours: 2 })];
    const fresh = [result('b', { unit: 'x', ours: 3 }), result('c', { unit: 'x', ours: 4 })];
    expect(mergeResults(saved, fresh).map((entry) => [entry.name, entry.values.ours])).toEqual([
      ['a', 1],
      ['b', 3],
      ['c', 4],
    ]);
  });
});
