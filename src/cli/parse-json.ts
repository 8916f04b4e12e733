import { InputError } from './input-error.ts';

/**
 * `JSON.parse` for text the user gave, where a syntax error becomes an {@link InputError} naming the
 * place: `where` is a file name (the line and column are added) or `file:line` for one line of JSON
 * Lines (the column is added).
 *
 * @example
 * parseJson('{\n  "a": 1,\n}', 'rules.json') // throws InputError 'rules.json:3:1: invalid JSON: Expected double-quoted…'
 * parseJson('{"a": }', 'steps.jsonl:7', { singleLine: true }) // throws InputError 'steps.jsonl:7: invalid JSON: …'
 */
export function parseJson(text: string, where: string, { singleLine = false } = {}): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const position = /at position (\d+)/.exec(error.message);
    const reason = error.message.replace(/ (?:in JSON )?at position \d+.*$/, '').replace(/\s*\n\s*/g, ' ');
    if (!position) throw new InputError(`${where}: invalid JSON: ${reason}`, { cause: error });
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    throw new InputError(
      singleLine
        ? `${where}: invalid JSON: ${reason} at column ${column}`
        : `${where}:${line}:${column}: invalid JSON: ${reason}`,
      { cause: error },
    );
  }
}
