#!/usr/bin/env node
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { serveCommand } from './serve-command.ts';

const USAGE = `Usage: instant-tx <command> [options]

Typed transactions for Instant's Admin HTTP API.

Commands:
  serve        start a local Instant-compatible admin server (instant-tx serve --help)

Options:
  --help       show this help
  --version    print the version

More commands (transact, query, token, user) arrive in later releases.`;

/**
 * Runs the CLI with `argv` (without node and script) and resolves with the exit code:
 * 0 ok, 2 usage error.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), console);
 */
export async function runCli(argv: readonly string[], out: Pick<Console, 'log' | 'error'>): Promise<number> {
  const [first, ...rest] = argv;
  if (first === 'serve') return serveCommand(rest, out);
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
