#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { queryCommand, tokenCommand, userCommand } from './api-commands.ts';
import type { CliIo } from './cli-context.ts';
import { serveCommand } from './serve-command.ts';
import { transactCommand } from './transact-command.ts';

const USAGE = `Usage: instant-tx <command> [options]

Typed transactions for Instant's Admin HTTP API.

Commands:
  transact FILE|-      send steps (JSON array or JSON Lines) in batches, with progress and checkpoints
  query '<json>'       run an InstaQL query
  token create|verify  mint or check refresh tokens
  user get|delete      look up or delete a user
  serve                start a local Instant-compatible admin server

Run instant-tx <command> --help for each command's options. Credentials come from --app-id,
--admin-token, --api-uri or INSTANT_APP_ID, INSTANT_ADMIN_TOKEN, INSTANT_API_URI.

Options:
  --help       show this help
  --version    print the version

Exit codes: 0 ok, 1 API error, 2 usage error, 3 some batches failed.`;

/**
 * Runs the CLI with `argv` (without node and script) and resolves with the exit code:
 * 0 ok, 2 usage error.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), console);
 */
export async function runCli(argv: readonly string[], out: Pick<Console, 'log' | 'error'>, io: CliIo = processIo()): Promise<number> {
  const [first, ...rest] = argv;
  if (first === 'serve') return serveCommand(rest, out);
  if (first === 'transact') return transactCommand(rest, io);
  if (first === 'query') return queryCommand(rest, io);
  if (first === 'token') return tokenCommand(rest, io);
  if (first === 'user') return userCommand(rest, io);
  if (first === undefined || first === '--help' || first === '-h') {
    out.log(USAGE);
    return 0;
  }
  if (first === '--version' || first === '-v') {
    out.log(readVersion());
    return 0;
  }
  out.error(`instant-tx: unknown command '${first}'\n\n${USAGE}`);
  return 2;
}

function processIo(): CliIo {
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(text.startsWith('\r') ? text : `${text}\n`),
    stdin: process.stdin,
    isTTY: process.stdout.isTTY === true,
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

if (isMain()) process.exitCode = await runCli(process.argv.slice(2), console);
