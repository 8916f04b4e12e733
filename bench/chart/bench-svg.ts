import type { BenchResult } from './bench-result.ts';

/** What a chart says about itself: its heading and a line under it (machine, date). */
export interface ChartCaption {
  readonly title: string;
  readonly subtitle?: string;
}

const WIDTH = 960;
const LABEL_WIDTH = 190;
const BAR_AREA = 560;
const BAR_HEIGHT = 16;
const BAR_GAP = 4;
const GROUP_GAP = 18;
const HEADING = 20;
const MARGIN = 20;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';
const ESCAPES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' };
const COLOURS = { ours: '#2563eb', official: '#f59e0b', baseline: '#9ca3af' } as const;

type Series = keyof typeof COLOURS;

/** One bar as drawn: which series, its label on the left, its value and unit. */
interface Bar {
  readonly series: Series;
  readonly label: string;
  readonly value: number;
  readonly unit: string;
}

/**
 * An SVG chart of benchmark results: one group per benchmark, a horizontal bar each for ours, the official
 * SDK's (when measured) and the baseline's figure, scaled within the group (units differ between groups),
 * each labelled with its value; the group's heading names the benchmark, the ratio and the goal. Pure: the
 * same results give the same text. Sized by `viewBox`, so it scales to the page.
 *
 * @example
 * writeFileSync('docs/bench.svg', benchSvg(reportedResults(), { title: 'instant-tx benchmarks' }));
 */
export function benchSvg(results: readonly BenchResult[], caption: ChartCaption): string {
  const parts: string[] = [];
  let y = MARGIN + 18;
  parts.push(text(MARGIN, y, caption.title, 'font-size="18" font-weight="600"'));
  if (caption.subtitle !== undefined) {
    y += 20;
    parts.push(text(MARGIN, y, caption.subtitle, 'font-size="12" fill="#4b5563"'));
  }
  y += 24;
  parts.push(legend(MARGIN, y));
  y += 22;
  for (const result of results) {
    const drawn = group(result, y);
    parts.push(drawn.svg);
    y = drawn.bottom + GROUP_GAP;
  }
  const height = Math.ceil(y - GROUP_GAP + MARGIN);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" aria-label="${escapeXml(caption.title)}" ${FONT} font-size="13" fill="#111827">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}

function legend(x: number, y: number): string {
  const entries: [Series, string][] = [
    ['ours', 'instant-tx (ours)'],
    ['official', '@instantdb/admin (official)'],
    ['baseline', 'baseline (named per benchmark)'],
  ];
  let left = x;
  return entries
    .map(([series, label]) => {
      const swatch = `<rect x="${left}" y="${y - 11}" width="12" height="12" rx="2" fill="${COLOURS[series]}"/>`;
      const entry = swatch + text(left + 18, y, label, 'font-size="12"');
      left += 18 + label.length * 7 + 24;
      return entry;
    })
    .join('\n');
}

function barsOf(result: BenchResult): Bar[] {
  const { values } = result;
  // With only the ratio known, the one bar is that ratio.
  const label = values.unit === 'x' ? 'ratio' : 'instant-tx';
  const bars: Bar[] = [{ series: 'ours', label, value: values.ours, unit: values.unit }];
  if (values.official !== undefined)
    bars.push({ series: 'official', label: '@instantdb/admin', value: values.official, unit: values.unit });
  if (values.baseline !== undefined)
    bars.push({
      series: 'baseline',
      label: values.baselineName ?? 'baseline',
      value: values.baseline,
      unit: values.unit,
    });
  return bars;
}

function group(result: BenchResult, top: number): { svg: string; bottom: number } {
  const bars = barsOf(result);
  const largest = Math.max(...bars.map((bar) => (Number.isFinite(bar.value) ? Math.abs(bar.value) : 0)));
  const verdict = `${result.met ? '✓' : '✗'} ${formatNumber(result.ratio)}x, goal ${result.goal}`;
  const parts = [
    `<g class="benchmark">`,
    text(MARGIN, top + 14, result.name, 'font-size="14" font-weight="600"'),
    text(
      WIDTH - MARGIN,
      top + 14,
      verdict,
      `font-size="12" text-anchor="end" fill="${result.met ? '#15803d' : '#b91c1c'}"`,
    ),
  ];
  let y = top + HEADING + 4;
  for (const bar of bars) {
    const finite = Number.isFinite(bar.value) ? Math.abs(bar.value) : 0;
    const width = largest > 0 ? Math.max(finite > 0 ? 1 : 0, (finite / largest) * BAR_AREA) : 0;
    const x = MARGIN + LABEL_WIDTH;
    parts.push(
      text(x - 8, y + BAR_HEIGHT - 4, shorten(bar.label, 28), 'font-size="12" text-anchor="end" fill="#374151"'),
      `<rect x="${x}" y="${y}" width="${round(width)}" height="${BAR_HEIGHT}" rx="2" fill="${COLOURS[bar.series]}"/>`,
      text(x + width + 6, y + BAR_HEIGHT - 4, withUnit(bar.value, bar.unit), 'font-size="12"'),
    );
    y += BAR_HEIGHT + BAR_GAP;
  }
  parts.push('</g>');
  return { svg: parts.join('\n'), bottom: y - BAR_GAP };
}

function withUnit(value: number, unit: string): string {
  return unit === 'x' ? `${formatNumber(value)}x` : `${formatNumber(value)} ${unit}`;
}

function shorten(label: string, length: number): string {
  return label.length <= length ? label : `${label.slice(0, length - 1)}…`;
}

function text(x: number, y: number, content: string, attributes: string): string {
  return `<text x="${round(x)}" y="${round(y)}" ${attributes}>${escapeXml(content)}</text>`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

/** A figure as a person reads it: 3 significant digits below 100, whole numbers with separators above. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const size = Math.abs(value);
  if (size >= 100) return Math.round(value).toLocaleString('en-US');
  if (size >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** Text safe inside an XML element or a quoted attribute; characters XML 1.0 cannot hold are dropped. */
export function escapeXml(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    // XML 1.0 cannot hold C0 controls other than tab, line feed and carriage return.
    if (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) continue;
    out += ESCAPES[char] ?? char;
  }
  return out;
}
