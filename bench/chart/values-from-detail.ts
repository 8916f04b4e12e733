import type { BenchValues } from './bench-result.ts';

const NUMBER = String.raw`(\d[\d,]*(?:\.\d+)?)`;
const UNIT = '(ms|µs|s|B|KB|MB|GB|[a-z]+/s)';
const NAMED = new RegExp(String.raw`\b([A-Za-z@][\w@/-]*) ${NUMBER} ?${UNIT}(?![\w/])`, 'g');
const VERSUS = new RegExp(String.raw`${NUMBER} ?${UNIT}? vs ${NUMBER} ?${UNIT}(?![\w/])`);

/**
 * The figures behind a ratio, read from a result line written before `report` took them as data:
 * `ours 12.5 ms, tuples 5.1 ms` or `official 30 ms, ours 2 ms` (named), or `12 vs 5 ms` (ours first).
 * A pair is used only when it reproduces the ratio (within 5%), so a misread detail never draws wrong
 * bars: the chart then shows the ratio alone (unit `x`).
 */
export function valuesFromDetail(detail: string, ratio: number, label = ''): BenchValues {
  return named(detail, ratio) ?? versus(detail, ratio, label) ?? { unit: 'x', ours: ratio };
}

function toNumber(text: string): number {
  return Number(text.replaceAll(',', ''));
}

function named(detail: string, ratio: number): BenchValues | undefined {
  const found = new Map<string, { value: number; unit: string }>();
  for (const [, name, value, unit] of detail.matchAll(NAMED))
    if (!found.has(name!)) found.set(name!, { value: toNumber(value!), unit: unit! });
  const ours = found.get('ours');
  if (!ours) return undefined;
  const official = found.get('official');
  const baseline = [...found].find(
    ([name, figure]) => name !== 'ours' && name !== 'official' && figure.unit === ours.unit,
  );
  const sameUnit = official?.unit === ours.unit ? official : undefined;
  const pairs = [sameUnit?.value, baseline?.[1].value].filter((value): value is number => value !== undefined);
  if (!pairs.some((other) => fits(ours.value, other, ratio))) return undefined;
  return {
    unit: ours.unit,
    ours: ours.value,
    ...(sameUnit ? { official: sameUnit.value } : {}),
    ...(baseline ? { baseline: baseline[1].value, baselineName: baseline[0] } : {}),
  };
}

function versus(detail: string, ratio: number, label: string): BenchValues | undefined {
  const match = VERSUS.exec(detail);
  if (!match) return undefined;
  const [, first, firstUnit, second, unit] = match;
  if (firstUnit !== undefined && firstUnit !== unit) return undefined;
  // The label reads `numerator / denominator`: ours is whichever figure divides into the ratio.
  let [ours, baseline] = [toNumber(first!), toNumber(second!)];
  if (!fits(ours, baseline, ratio)) return undefined;
  const miss = (value: number) => Math.abs(value - ratio);
  if (miss(baseline / ours) < miss(ours / baseline)) [ours, baseline] = [baseline, ours];
  const other =
    label
      .split(/ \/ | vs /)[1]
      ?.replace(/\s*\([^)]*\)$/, '')
      .trim() || 'baseline';
  // "ours / @instantdb/admin": the other side is the official SDK, not a baseline.
  if (/@instantdb\/admin|official/.test(other) && !/naive/.test(other))
    return { unit: unit!, ours, official: baseline };
  return { unit: unit!, ours, baseline, baselineName: other };
}

/** Whether a/b or b/a is the reported ratio: a ratio is written either way up (ours / x, x / ours). */
function fits(a: number, b: number, ratio: number): boolean {
  const close = (value: number) => Math.abs(value - ratio) <= 0.05 * ratio;
  return a > 0 && b > 0 && (close(a / b) || close(b / a));
}
