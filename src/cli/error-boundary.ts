import { Secrets } from '../client/secrets.ts';
import { InstantBackupError } from '../errors/instant-backup-error.ts';
import { InstantCheckpointError } from '../errors/instant-checkpoint-error.ts';
import { isInstantError } from '../errors/instant-error.ts';
import { InstantValidationError } from '../errors/instant-validation-error.ts';
import { InstantServerStartError } from '../server/server-start-error.ts';
import { EXIT, type CliIo } from './cli-context.ts';
import { InputError } from './input-error.ts';
import { NotFoundError } from './not-found-error.ts';
import { UsageError } from './usage-error.ts';

/** What the boundary knows about the run that failed. */
export interface FailureContext {
  /** The running command's usage, printed after a {@link UsageError}. */
  readonly usage: string;
  /** Values that must never be printed (admin token, refresh tokens); masked wherever they occur. */
  readonly secrets: readonly string[];
  /** `INSTANT_TX_DEBUG=1`: also print the stack. */
  readonly debug: boolean;
}

interface Failure {
  readonly message: string;
  readonly exit: number;
  readonly withUsage?: boolean;
}

const FILE_PROBLEMS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

const VERBS: Readonly<Record<string, string>> = {
  open: 'open',
  read: 'read',
  stat: 'read',
  lstat: 'read',
  access: 'read',
  scandir: 'read',
  write: 'write',
  mkdir: 'write',
  rename: 'write',
  unlink: 'write',
  copyfile: 'write',
};

/**
 * The CLI's one error boundary: every error a command throws becomes one line on stderr starting
 * `instant-tx: ` (a usage error adds the command's usage) and an exit code — 2 for the user's mistakes
 * (usage, input files, validation, checkpoints, server start), 1 for API, network and timeout errors
 * and for anything unexpected (`internal error: …`, with the stack only under `INSTANT_TX_DEBUG=1`).
 * Known secrets are masked.
 */
export function reportError(error: unknown, io: CliIo, context: FailureContext): number {
  const failure = describeFailure(error);
  const secrets = new Secrets();
  for (const secret of context.secrets) secrets.add(secret);
  io.err(secrets.redact(`instant-tx: ${failure.message}${failure.withUsage ? `\n\n${context.usage}` : ''}`));
  if (context.debug && error instanceof Error && error.stack) io.err(secrets.redact(error.stack));
  return failure.exit;
}

function describeFailure(error: unknown): Failure {
  if (error instanceof UsageError) return { message: oneLine(error.message), exit: EXIT.usage, withUsage: true };
  if (
    error instanceof InputError ||
    error instanceof InstantValidationError ||
    error instanceof InstantCheckpointError ||
    error instanceof InstantBackupError ||
    error instanceof InstantServerStartError
  ) {
    return { message: oneLine(error.message), exit: EXIT.usage };
  }
  if (error instanceof NotFoundError || isInstantError(error))
    return { message: oneLine(error.message), exit: EXIT.api };
  const file = describeFileError(error);
  if (file !== undefined) return { message: file, exit: EXIT.usage };
  if (error instanceof SyntaxError) return { message: `invalid JSON: ${oneLine(error.message)}`, exit: EXIT.usage };
  return {
    message: `internal error: ${oneLine(error instanceof Error ? error.message : String(error))}`,
    exit: EXIT.api,
  };
}

/** `cannot open steps.jsonl: no such file or directory` for a file-system error on a path the user named. */
function describeFileError(error: unknown): string | undefined {
  const { code, path, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  const problem = code === undefined ? undefined : FILE_PROBLEMS[code];
  if (problem === undefined || typeof path !== 'string') return undefined;
  return `cannot ${VERBS[syscall ?? ''] ?? 'use'} ${path}: ${problem}`;
}

/** A multi-line message (a list of validation issues) as one line: `head: a; b`. */
function oneLine(text: string): string {
  const [head = '', ...rest] = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const items = rest.map((line) => line.replace(/^- /, ''));
  return items.length > 0 ? `${head.replace(/:$/, '')}: ${items.join('; ')}` : head;
}
