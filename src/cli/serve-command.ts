import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLocalServer } from '../server/index.ts';
import { EXIT, UsageError, parseCommand } from './cli-context.ts';

export const SERVE_USAGE = `Usage: instant-tx serve [--port N] [--db FILE] [--schema instant.schema.ts] [--rules rules.json]
                        [--app-id UUID] [--admin-token UUID] [--json]

Starts a local Instant-compatible admin server on 127.0.0.1 and prints its URL, app id and admin
token (one JSON line with --json). Data lives in --db (SQLite; in memory when omitted).
Stops cleanly on SIGINT or SIGTERM.`;

const SERVE_OPTIONS = {
  port: { type: 'string' }, db: { type: 'string' }, schema: { type: 'string' }, rules: { type: 'string' },
  'app-id': { type: 'string' }, 'admin-token': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' },
} as const;

/**
 * Runs `instant-tx serve`: starts the local server and keeps it up until SIGINT/SIGTERM.
 * Resolves with the exit code once the server has stopped.
 *
 * @example
 * process.exitCode = await serveCommand(['--port', '8888', '--db', 'app.db'], console);
 */
export async function serveCommand(argv: readonly string[], out: Pick<Console, 'log' | 'error'>): Promise<number> {
  let parsed;
  try {
    parsed = parseCommand(argv, SERVE_OPTIONS, { connection: false });
    if (parsed.positionals.length > 0) throw new UsageError(`serve takes no arguments, got '${parsed.positionals[0]}'`);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    out.error(`instant-tx: ${error.message}\n\n${SERVE_USAGE}`);
    return EXIT.usage;
  }
  const { values } = parsed;
  if (values.help) {
    out.log(SERVE_USAGE);
    return EXIT.ok;
  }
  const server = await startLocalServer({
    ...(values.port !== undefined ? { port: Number(values.port) } : {}),
    ...(values.db !== undefined ? { dbPath: values.db } : {}),
    ...(values['app-id'] !== undefined ? { appId: values['app-id'] } : {}),
    ...(values['admin-token'] !== undefined ? { adminToken: values['admin-token'] } : {}),
    ...(values.schema !== undefined ? { schema: await loadSchema(values.schema) } : {}),
    ...(values.rules !== undefined ? { rules: JSON.parse(readFileSync(values.rules, 'utf8')) } : {}),
  });
  const { url, appId, adminToken } = server;
  if (values.json) out.log(JSON.stringify({ url, appId, adminToken }));
  else out.log(`Instant admin API on ${url}\n  app id:      ${appId}\n  admin token: ${adminToken}`);
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  await server.close();
  return 0;
}

async function loadSchema(path: string): Promise<unknown> {
  const module = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown; schema?: unknown };
  return module.default ?? module.schema;
}
