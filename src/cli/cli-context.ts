import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.ts';

/** The process a command runs in: stdout for results, stderr for everything else, stdin, environment. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly stdin: NodeJS.ReadableStream;
  readonly isTTY: boolean;
  /** Where credentials (`INSTANT_APP_ID`, …) and `INSTANT_TX_DEBUG` are read. */
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes: 0 ok, 1 API error, 2 usage error, 3 partial batch failure. */
export const EXIT = { ok: 0, api: 1, usage: 2, partial: 3 } as const;

/** Options a command's `parseArgs` accepts. */
export type CommandOptions = NonNullable<ParseArgsConfig['options']>;

/** Where to connect: taken by every command that calls the API. */
export const CREDENTIAL_OPTIONS = {
  'app-id': { type: 'string' },
  'admin-token': { type: 'string' },
  'api-uri': { type: 'string' },
} as const satisfies CommandOptions;

/** Whom to act as: taken by the commands whose calls Instant runs through permission rules. */
export const IMPERSONATION_OPTIONS = {
  'as-email': { type: 'string' },
  'as-token': { type: 'string' },
  'as-guest': { type: 'boolean' },
} as const satisfies CommandOptions;

/** `--json`: compact JSON output. */
export const JSON_OPTION = { json: { type: 'boolean' } } as const satisfies CommandOptions;

/**
 * Parses a command's arguments with Node's built-in `parseArgs`, strictly: `--help` and the `options`
 * the command declares are accepted, anything else — an unknown flag, or one that does not apply to
 * this command, like `token create --as-guest` — is a {@link UsageError}.
 *
 * @example
 * const { values, positionals } = parseCommand('query', process.argv.slice(3), { ...CREDENTIAL_OPTIONS, ...JSON_OPTION });
 * // values: { 'app-id'?: string, 'admin-token'?: string, 'api-uri'?: string, json?: boolean, help?: boolean }
 */
export function parseCommand<O extends CommandOptions>(command: string, argv: readonly string[], options: O) {
  try {
    return parseArgs({
      args: [...argv],
      options: { help: { type: 'boolean' }, ...options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    const unknown = /^Unknown option '([^']+)'/.exec((error as Error).message);
    throw new UsageError(unknown ? `${command} does not take ${unknown[1]}` : (error as Error).message);
  }
}

/**
 * A flag's whole-number value: digits only, from `min` to `max`; anything else (`1.5`, `1e3`, `-1`,
 * `abc`) is a {@link UsageError} saying what the flag takes — `takes`, or the range.
 *
 * @example
 * integerFlag('8080', '--port', 0, 65535) // 8080
 * integerFlag('0', '--max-steps', 1) // throws UsageError "--max-steps takes a positive integer, got '0'"
 */
export function integerFlag(
  text: string,
  flag: string,
  min: number,
  max: number = Number.MAX_SAFE_INTEGER,
  takes?: string,
): number {
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (value >= min && value <= max) return value;
  const range =
    max !== Number.MAX_SAFE_INTEGER
      ? `an integer from ${min} to ${max}`
      : min === 1
        ? 'a positive integer'
        : `an integer of at least ${min}`;
  throw new UsageError(`${flag} takes ${takes ?? range}, got '${text}'`);
}

/**
 * Prints a result as JSON: pretty on a terminal, compact when piped or with `--json`.
 */
export function printJson(io: CliIo, value: unknown, compact: unknown): void {
  io.out(JSON.stringify(value, null, compact || !io.isTTY ? undefined : 2));
}
