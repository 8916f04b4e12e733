import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError } from './cli-context.ts';

const isStep = (value: unknown): boolean => Array.isArray(value) && typeof value[0] === 'string';

/**
 * Streams steps from a file or stdin (`-`). Two formats:
 * - a JSON array of steps (pretty-printed or on one line): yields each step;
 * - JSON Lines, each line a step or an array of steps (kept together, like a chunk).
 * A first line that is not JSON by itself means a pretty-printed array; a file of one line holding an
 * array of steps is an array. JSON Lines are read line by line, so a huge file never sits in memory.
 *
 * @example
 * for await (const item of readSteps('steps.jsonl', process.stdin)) ...
 */
export async function* readSteps(file: string, stdin: NodeJS.ReadableStream): AsyncGenerator<unknown[]> {
  const input = file === '-' ? stdin : createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  let first: unknown;
  let firstText: string | undefined;
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    if (next.value.trim() === '') continue;
    firstText = next.value;
    break;
  }
  if (firstText === undefined) return;
  try {
    first = JSON.parse(firstText);
  } catch {
    const rest: string[] = [firstText];
    for (let next = await lines.next(); !next.done; next = await lines.next()) rest.push(next.value);
    yield* arrayFile(JSON.parse(rest.join('\n')));
    return;
  }
  let pending: unknown = first;
  let count = 1;
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    if (next.value.trim() === '') continue;
    yield line(pending);
    pending = JSON.parse(next.value);
    count++;
  }
  if (count === 1 && Array.isArray(pending) && pending.every(isStep)) yield* arrayFile(pending);
  else yield line(pending);
}

function* arrayFile(value: unknown): Generator<unknown[]> {
  if (!Array.isArray(value) || !value.every(isStep)) throw new UsageError('expected a JSON array of steps, or JSON Lines of steps');
  for (const step of value) yield step as unknown[];
}

function line(value: unknown): unknown[] {
  if (isStep(value) || (Array.isArray(value) && value.length > 0 && value.every(isStep))) return value as unknown[];
  throw new UsageError('each JSON line must be a step (["update", ns, id, {...}]) or an array of steps');
}
