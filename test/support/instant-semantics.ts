/**
 * Instant's update and merge, applied to one entity in memory (spec §3.2): update overwrites each key;
 * merge deep-merges per key, where inside nested objects `null` deletes and arrays/scalars replace.
 */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function deepMerge(old: Json | undefined, patch: Json): Json {
  if (!isObject(old) || !isObject(patch)) return patch;
  const out: Record<string, Json> = { ...old };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = deepMerge(out[key], value);
  }
  return out;
}

export function applySteps(entity: Record<string, Json>, steps: readonly (readonly unknown[])[]): Record<string, Json> {
  const out = { ...entity };
  for (const [action, , , attrs] of steps) {
    for (const [key, value] of Object.entries(attrs as Record<string, Json>)) {
      out[key] = action === 'merge' ? deepMerge(out[key], value) : value;
    }
  }
  return out;
}
