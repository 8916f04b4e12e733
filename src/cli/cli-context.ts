import { parseArgs, type ParseArgsConfig } from 'node:util';
import { init } from '../client/init.ts';
import type { InstantAdminDatabase } from '../client/admin-database.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { isInstantError } from '../errors/instant-error.ts';

/** Where a command writes: stdout for results, stderr for everything else. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly stdin: NodeJS.ReadableStream;
  readonly isTTY: boolean;
}

/** Exit codes: 0 ok, 1 API error, 2 usage error, 3 partial batch failure. */
export const EXIT = { ok: 0, api: 1, usage: 2, partial: 3 } as const;

/** Thrown for a command line that makes no sense; printed with the command's usage, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Connection flags every API command accepts. */
export const CONNECTION_OPTIONS = {
  'app-id': { type: 'string' },
  'admin-token': { type: 'string' },
  'api-uri': { type: 'string' },
  'as-email': { type: 'string' },
  'as-token': { type: 'string' },
  'as-guest': { type: 'boolean' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/**
 * Parses a command's arguments with Node's built-in `parseArgs` (strict: unknown flags are usage
 * errors). API commands also accept the connection flags; `serve` passes `connection: false`.
 *
 * @example
 * const { values, positionals } = parseCommand(argv, { 'dry-run': { type: 'boolean' } });
 */
export function parseCommand<O extends NonNullable<ParseArgsConfig['options']>>(argv: readonly string[], options: O, { connection = true } = {}) {
  try {
    return parseArgs({ args: [...argv], options: { ...(connection ? CONNECTION_OPTIONS : {}), ...options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * The client for a command: credentials from flags, else `INSTANT_APP_ID` / `INSTANT_ADMIN_TOKEN` /
 * `INSTANT_API_URI`; `--as-email` / `--as-token` / `--as-guest` impersonate.
 *
 * @example
 * const db = connect(values, { transact: 'idempotent' });
 */
export function connect(values: Record<string, unknown>, retry: { transact?: 'safe' | 'idempotent' } = {}): InstantAdminDatabase {
  const db = init({
    ...(values['app-id'] ? { appId: String(values['app-id']) } : {}),
    ...(values['admin-token'] ? { adminToken: String(values['admin-token']) } : {}),
    ...(values['api-uri'] ? { apiURI: String(values['api-uri']) } : {}),
    retry,
  });
  if (values['as-email']) return db.asUser({ email: String(values['as-email']) });
  if (values['as-token']) return db.asUser({ token: String(values['as-token']) });
  if (values['as-guest']) return db.asUser({ guest: true });
  return db;
}

/**
 * Runs a command body, printing any failure to stderr (messages are already token-free) and turning
 * it into the documented exit code.
 *
 * @example
 * return runGuarded(io, USAGE, async () => { ...; return EXIT.ok; });
 */
export async function runGuarded(io: CliIo, usage: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`instant-tx: ${error.message}\n\n${usage}`);
      return EXIT.usage;
    }
    if (error instanceof InstantValidationError) {
      io.err(`instant-tx: ${error.message}`);
      return EXIT.usage;
    }
    if (isInstantError(error)) {
      io.err(`instant-tx: ${(error as Error).message}`);
      return EXIT.api;
    }
    if (error instanceof SyntaxError) {
      io.err(`instant-tx: invalid JSON: ${error.message}`);
      return EXIT.usage;
    }
    throw error;
  }
}
