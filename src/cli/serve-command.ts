import { createInterface } from 'node:readline';
import { isUuid } from '../protocol/uuid.ts';
import { startLocalServer, type OutboxMessage } from '../server/index.ts';
import { EXIT, integerFlag, JSON_OPTION, parseCommand, type CliIo } from './cli-context.ts';
import { loadSchemaFile, readRulesFile } from './serve-files.ts';
import { UsageError } from './usage-error.ts';

export const SERVE_USAGE = `Usage: instant-tx serve [--port N] [--db FILE] [--schema instant.schema.ts] [--rules rules.json]
                        [--app-id UUID] [--admin-token UUID] [--timeout-ms N]
                        [--max-file-bytes N] [--json] [--restore backup.zip [--replace]]

Starts a local Instant-compatible admin server on 127.0.0.1 and prints its URL, app id and admin
token (one JSON line with --json). Data lives in --db (SQLite; in memory when omitted); the app id and
admin token are stored there too, so a restart on the same --db keeps them (an explicit --app-id or
--admin-token replaces the stored one). Rules are compiled at start. A query or transaction running
longer than --timeout-ms (default 5000) is stopped, commits nothing and is answered 429 timeout, as
Instant does. Magic-code emails (sendMagicCode) are not sent: each is printed here (to, subject,
code; one JSON line {"email": …} with --json). Uploaded files are kept in the folder <db>.files
beside the database; one larger than --max-file-bytes (default 1073741824, 1 GiB) is refused with
413. Stops cleanly on SIGINT or SIGTERM.
--restore loads an Instant backup zip at start (schema, rules unless --rules, entities, links, users,
files), all or nothing; a --db that already holds data is refused unless --replace.

It also prints a one-time login link to the explorer, a page served by this server to browse, query
and edit the data (on 127.0.0.1 only; the link works once, for 10 minutes; press Enter for a new one).`;

const SERVE_OPTIONS = {
  port: { type: 'string' },
  db: { type: 'string' },
  schema: { type: 'string' },
  rules: { type: 'string' },
  'app-id': { type: 'string' },
  'admin-token': { type: 'string' },
  'timeout-ms': { type: 'string' },
  'max-file-bytes': { type: 'string' },
  restore: { type: 'string' },
  replace: { type: 'boolean' },
  ...JSON_OPTION,
} as const;

/**
 * Runs `instant-tx serve`: starts the local server and keeps it up until SIGINT/SIGTERM.
 * Resolves with the exit code once the server has stopped; start failures are thrown to the CLI's
 * error boundary.
 */
export async function serveCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommand('serve', argv, SERVE_OPTIONS);
  if (values.help) {
    io.out(SERVE_USAGE);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`serve takes no arguments, got '${positionals[0]}'`);
  if (values.replace && values.restore === undefined) throw new UsageError('--replace applies only with --restore');
  const server = await startLocalServer({
    ...(values.port !== undefined ? { port: integerFlag(values.port, '--port', 0, 65535) } : {}),
    ...(values['app-id'] !== undefined ? { appId: readUuid(values['app-id'], '--app-id') } : {}),
    ...(values['admin-token'] !== undefined ? { adminToken: readUuid(values['admin-token'], '--admin-token') } : {}),
    ...(values['timeout-ms'] !== undefined
      ? {
          timeoutMs: integerFlag(
            values['timeout-ms'],
            '--timeout-ms',
            1,
            undefined,
            'a positive number of milliseconds',
          ),
        }
      : {}),
    ...(values['max-file-bytes'] !== undefined
      ? {
          maxFileBytes: integerFlag(
            values['max-file-bytes'],
            '--max-file-bytes',
            0,
            undefined,
            'a whole number of bytes',
          ),
        }
      : {}),
    ...(values.db !== undefined ? { dbPath: values.db } : {}),
    ...(values.schema !== undefined ? { schema: await loadSchemaFile(values.schema) } : {}),
    ...(values.rules !== undefined ? { rules: readRulesFile(values.rules) } : {}),
    ...(values.restore !== undefined ? { restore: values.restore, replaceData: values.replace === true } : {}),
  });
  const { url, appId, adminToken, explorerUrl } = server;
  if (values.json) io.out(JSON.stringify({ url, appId, adminToken, explorerUrl }));
  else io.out(`Instant admin API on ${url}\n  app id:      ${appId}\n  admin token: ${adminToken}`);
  server.outbox.onMessage((message) => io.out(describeEmail(message, values.json === true)));
  if (!values.json) io.out(`  explorer:    ${explorerUrl}${process.stdin.isTTY ? ' (Enter: a new link)' : ''}`);
  // In a terminal, Enter prints a fresh login link (each works once, for a few minutes).
  const relink = process.stdin.isTTY ? createInterface({ input: process.stdin }) : undefined;
  relink?.on('line', () => io.out(`  explorer:    ${server.explorerLink()}`));
  await new Promise<void>((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
  relink?.close();
  await server.close();
  return EXIT.ok;
}

/** An outbox message as serve prints it: a block of lines, or one JSON line with --json. */
function describeEmail(message: OutboxMessage, json: boolean): string {
  const { to, subject, code } = message;
  const sentAt = message.sentAt.toISOString();
  if (json) return JSON.stringify({ email: { to, subject, code, sentAt } });
  return `--- email (not sent: local outbox) ${sentAt}\n  to:      ${to}\n  subject: ${subject}\n  code:    ${code}\n---`;
}

function readUuid(text: string, flag: string): string {
  if (!isUuid(text))
    throw new UsageError(
      `${flag} takes a UUID${flag === '--admin-token' ? ' (the value is not shown)' : `, got '${text}'`}`,
    );
  return text;
}
