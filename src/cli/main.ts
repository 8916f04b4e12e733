#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { QUERY_USAGE, TOKEN_USAGE, USER_USAGE, queryCommand, tokenCommand, userCommand } from './api-commands.ts';
import {
  BACKUP_USAGE,
  COPY_USAGE,
  RESTORE_USAGE,
  backupCommand,
  copyCommand,
  restoreCommand,
} from './backup-commands.ts';
import { EXIT, type CliIo } from './cli-context.ts';
import { reportError } from './error-boundary.ts';
import { SERVE_USAGE, serveCommand } from './serve-command.ts';
import { TRANSACT_USAGE, transactCommand } from './transact-command.ts';
import { UsageError } from './usage-error.ts';

const USAGE = `Usage: instant-tx <command> [options]

Typed transactions for Instant's Admin HTTP API.

Commands:
  transact FILE|-      send steps (JSON array or JSON Lines) in batches, with progress and checkpoints
  query '<json>'       run an InstaQL query
  token create|verify  mint or check refresh tokens
  user get|delete      look up or delete a user
  serve                start a local Instant-compatible admin server (--restore backup.zip to open a backup)
  backup               back up an app into Instant's backup zip format; backup verify checks a zip
  restore ZIP          restore a backup zip into an app (--to <apiURI>)
  copy                 copy an app into another (--from <apiURI> --to <apiURI>)

Run instant-tx <command> --help for each command's options. Credentials come from --app-id,
--admin-token, --api-uri or INSTANT_APP_ID, INSTANT_ADMIN_TOKEN, INSTANT_API_URI.

Options:
  --help       show this help
  --version    print the version

Exit codes: 0 ok, 1 API error, 2 usage error or bad input (files, JSON, checkpoints), 3 some batches failed.
Set INSTANT_TX_DEBUG=1 to print the stack trace of an error.`;

/** A subcommand: runs with its arguments and resolves with the exit code, or throws to the boundary. */
interface Command {
  readonly run: (argv: readonly string[], io: CliIo) => Promise<number>;
  readonly usage: string;
}

const COMMANDS = new Map<string, Command>([
  ['transact', { run: transactCommand, usage: TRANSACT_USAGE }],
  ['query', { run: queryCommand, usage: QUERY_USAGE }],
  ['token', { run: tokenCommand, usage: TOKEN_USAGE }],
  ['user', { run: userCommand, usage: USER_USAGE }],
  ['serve', { run: serveCommand, usage: SERVE_USAGE }],
  ['backup', { run: backupCommand, usage: BACKUP_USAGE }],
  ['restore', { run: restoreCommand, usage: RESTORE_USAGE }],
  ['copy', { run: copyCommand, usage: COPY_USAGE }],
]);

/** Flags whose values are secrets, masked in every error line. */
const SECRET_FLAGS = ['--admin-token', '--as-token', '--refresh-token', '--from-admin-token', '--to-admin-token'];

/**
 * Runs the CLI with `argv` (without node and script) and resolves with the exit code: 0 ok, 1 API
 * error, 2 usage error, 3 some batches failed. Every error goes through one boundary
 * ({@link reportError}): one line on stderr, never a stack trace unless `INSTANT_TX_DEBUG=1`.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  const command = first === undefined ? undefined : COMMANDS.get(first);
  try {
    if (command) return await command.run(rest, io);
    if (first === '--version' || first === '-v') io.out(readVersion());
    else if (first === undefined || first === '--help' || first === '-h') io.out(USAGE);
    else throw new UsageError(`unknown command '${first}'`);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, {
      usage: command?.usage ?? USAGE,
      secrets: secretsOf(argv, io.env),
      debug: io.env.INSTANT_TX_DEBUG === '1',
    });
  }
}

/** The secrets on this command line and in the environment: values of secret flags, `token verify`'s token (or a token typed without `verify`). */
function secretsOf(argv: readonly string[], env: CliIo['env']): string[] {
  const secrets = [env.INSTANT_ADMIN_TOKEN ?? ''];
  argv.forEach((arg, index) => {
    const flag = SECRET_FLAGS.find((name) => arg === name || arg.startsWith(`${name}=`));
    if (flag) secrets.push(arg === flag ? (argv[index + 1] ?? '') : arg.slice(flag.length + 1));
  });
  if (argv[0] === 'token' && !argv.includes('create'))
    secrets.push(...argv.slice(1).filter((arg) => arg !== 'verify' && !arg.startsWith('-')));
  return secrets;
}

/** The real process. A progress line (`\r…`) is ended before anything else is written after it. */
function processIo(): CliIo {
  let midLine = false;
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => {
      if (text.startsWith('\r')) process.stderr.write(text);
      else process.stderr.write(`${midLine && !text.startsWith('\n') ? '\n' : ''}${text}\n`);
      midLine = text.startsWith('\r');
    },
    stdin: process.stdin,
    isTTY: process.stdout.isTTY === true,
    env: process.env,
  };
}

function readVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** True when this file is the program being run (npm links bins through symlinks, hence realpath). */
function isMain(): boolean {
  const script = process.argv[1];
  return script !== undefined && import.meta.url === pathToFileURL(realpathSync(script)).href;
}

if (isMain()) process.exitCode = await runCli(process.argv.slice(2));
