import { createReadStream, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { InputError } from './input-error.ts';
import { parseJson } from './parse-json.ts';

/** One item of a steps source — a step, or an array of steps kept together — and where it was read. */
export interface SourceItem {
  readonly item: unknown[];
  /** `steps.jsonl:7` for JSON Lines, `steps.json, step 3` for a JSON array; `stdin` for `-`. */
  readonly where: string;
}

const isStep = (value: unknown): boolean => Array.isArray(value) && typeof value[0] === 'string';

/**
 * Streams steps from a file or stdin (`-`). Two formats:
 * - a JSON array of steps (pretty-printed or on one line): yields each step;
 * - JSON Lines, each line a step or an array of steps (kept together, like a chunk).
 * A first line starting with `[` that is not JSON by itself means a pretty-printed array; a file of one
 * line holding an array of steps is an array. JSON Lines are read line by line, so a huge file never sits
 * in memory. A line that is not JSON, or not a step, is an {@link InputError} naming file and line.
 *
 * @example
 * for await (const { item, where } of readSteps('steps.jsonl', process.stdin)) console.log(where, item.length);
 */
export async function* readSteps(file: string, stdin: NodeJS.ReadableStream): AsyncGenerator<SourceItem> {
  const name = file === '-' ? 'stdin' : file;
  if (file !== '-' && statSync(file).isDirectory()) throw new InputError(`cannot read ${file}: is a directory`);
  const lines = createInterface({ input: file === '-' ? stdin : createReadStream(file), crlfDelay: Infinity })[
    Symbol.asyncIterator
  ]();
  let lineNumber = 0;
  const nextLine = async (): Promise<string | undefined> => {
    const next = await lines.next();
    if (next.done) return undefined;
    lineNumber++;
    return next.value;
  };
  let text = await nextLine();
  while (text !== undefined && text.trim() === '') text = await nextLine();
  if (text === undefined) return;
  if (text.trimStart().startsWith('[') && !isJson(text)) {
    const rest: string[] = ['\n'.repeat(lineNumber - 1) + text];
    for (let more = await nextLine(); more !== undefined; more = await nextLine()) rest.push(more);
    yield* arrayFile(parseJson(rest.join('\n'), name), name);
    return;
  }
  let pending: SourceItem = {
    item: parseJson(text, `${name}:${lineNumber}`, { singleLine: true }) as unknown[],
    where: `${name}:${lineNumber}`,
  };
  let count = 1;
  for (let next = await nextLine(); next !== undefined; next = await nextLine()) {
    if (next.trim() === '') continue;
    yield line(pending);
    pending = {
      item: parseJson(next, `${name}:${lineNumber}`, { singleLine: true }) as unknown[],
      where: `${name}:${lineNumber}`,
    };
    count++;
  }
  if (count === 1 && Array.isArray(pending.item) && pending.item.every(isStep)) yield* arrayFile(pending.item, name);
  else yield line(pending);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function* arrayFile(value: unknown, name: string): Generator<SourceItem> {
  if (!Array.isArray(value)) throw new InputError(`${name}: expected a JSON array of steps, or JSON Lines of steps`);
  for (const [index, step] of value.entries()) {
    if (!isStep(step)) throw new InputError(`${name}, step ${index + 1}: expected a step (["update", ns, id, {...}])`);
    yield { item: step as unknown[], where: `${name}, step ${index + 1}` };
  }
}

function line(pending: SourceItem): SourceItem {
  const value: unknown = pending.item;
  if (isStep(value) || (Array.isArray(value) && value.length > 0 && value.every(isStep))) return pending;
  throw new InputError(
    `${pending.where}: each JSON line must be a step (["update", ns, id, {...}]) or an array of steps`,
  );
}
