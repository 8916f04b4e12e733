import { describe, expect, it } from 'vitest';
import {
  InstantAPIError,
  InstantCheckpointError,
  InstantNetworkError,
  InstantTimeoutError,
  InstantValidationError,
  createIssue,
} from '../../src/errors/index.ts';
import type { CliIo } from '../../src/cli/cli-context.ts';
import { reportError } from '../../src/cli/error-boundary.ts';
import { InputError } from '../../src/cli/input-error.ts';
import { runCli } from '../../src/cli/main.ts';
import { UsageError } from '../../src/cli/usage-error.ts';
import { InstantServerStartError } from '../../src/server/index.ts';

function captureIo(env: Record<string, string> = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
    stdin: process.stdin,
    isTTY: false,
    env,
  };
}

const SECRET = '3f2a9c41-7d1e-4c55-9a0b-2b9f0d1e6c77';

function report(error: unknown, { debug = false } = {}): { exit: number; stderr: string } {
  const io = captureIo();
  const exit = reportError(error, io, { usage: 'Usage: instant-tx thing', secrets: [SECRET], debug });
  return { exit, stderr: io.stderr.join('\n') };
}

describe('the CLI error boundary', () => {
  it('maps each kind of error to one line and its exit code', () => {
    const fsError = Object.assign(new Error(`ENOENT: no such file or directory, open 'steps.jsonl'`), {
      code: 'ENOENT',
      path: 'steps.jsonl',
      syscall: 'open',
    });
    const checkpoint = new InstantCheckpointError('import.ckpt', 'is not an instant-tx checkpoint');
    const api = new InstantAPIError({
      status: 400,
      type: 'validation-failed',
      message: 'bad',
      hint: null,
      traceId: undefined,
      body: {},
      method: 'POST',
      path: '/admin/transact',
    });
    const cases: [unknown, number, string][] = [
      [
        new UsageError('query takes one argument'),
        2,
        'instant-tx: query takes one argument\n\nUsage: instant-tx thing',
      ],
      [
        new InputError('steps.jsonl:7: invalid JSON: Unexpected token'),
        2,
        'instant-tx: steps.jsonl:7: invalid JSON: Unexpected token',
      ],
      [
        new InstantValidationError([createIssue('invalid-id', 'a', 'x'), createIssue('invalid-id', 'b', 'y')]),
        2,
        'instant-tx: Invalid transaction: 2 problems: a: x; b: y',
      ],
      [checkpoint, 2, `instant-tx: ${checkpoint.message}`],
      [
        new InstantServerStartError('port', 'cannot listen on 127.0.0.1:8888: the port is already in use'),
        2,
        'instant-tx: cannot listen on 127.0.0.1:8888: the port is already in use',
      ],
      [fsError, 2, 'instant-tx: cannot open steps.jsonl: no such file or directory'],
      [new SyntaxError('Unexpected end of JSON input'), 2, 'instant-tx: invalid JSON: Unexpected end of JSON input'],
      [api, 1, 'instant-tx: POST /admin/transact failed with 400 validation-failed: bad'],
      [
        new InstantNetworkError('POST', '/admin/query', 'ECONNREFUSED'),
        1,
        'instant-tx: POST /admin/query failed before a response arrived (ECONNREFUSED)',
      ],
      [
        new InstantTimeoutError('POST', '/admin/query', 30_000),
        1,
        'instant-tx: POST /admin/query timed out after 30000 ms',
      ],
      [
        new TypeError("Cannot read properties of undefined (reading 'x')"),
        1,
        "instant-tx: internal error: Cannot read properties of undefined (reading 'x')",
      ],
      ['a thrown string', 1, 'instant-tx: internal error: a thrown string'],
    ];
    for (const [error, exit, stderr] of cases) expect(report(error), String(error)).toEqual({ exit, stderr });
  });

  it('prints a stack only under INSTANT_TX_DEBUG=1, and masks secrets everywhere', () => {
    expect(report(new TypeError('boom')).stderr).not.toContain('    at ');
    expect(report(new TypeError('boom'), { debug: true }).stderr).toMatch(
      /internal error: boom\nTypeError: boom\n\s+at /,
    );
    const leaked = report(new Error(`token ${SECRET} rejected`), { debug: true }).stderr;
    expect(leaked).not.toContain(SECRET);
    expect(leaked).toContain('3f2a…');
  });

  it('is the only one: serve reports through the same CliIo as every other command', async () => {
    for (const argv of [['serve', '--bogus'], ['serve', '--port', 'abc'], ['transact'], ['frobnicate']]) {
      const io = captureIo();
      expect(await runCli(argv, io)).toBe(2);
      expect(io.stdout).toEqual([]);
      expect(io.stderr).toHaveLength(1);
      expect(io.stderr[0]).toMatch(/^instant-tx: .*\n\nUsage: instant-tx /);
    }
    const help = captureIo();
    expect(await runCli(['serve', '--help'], help)).toBe(0);
    expect(help.stdout[0]).toMatch(/^Usage: instant-tx serve/);
  });

  it('masks the admin token from the environment and tokens from the command line in what it prints', async () => {
    const typedAsArgument = captureIo({ INSTANT_ADMIN_TOKEN: SECRET });
    expect(await runCli(['serve', SECRET], typedAsArgument)).toBe(2);
    expect(typedAsArgument.stderr[0]).toMatch(/^instant-tx: serve takes no arguments, got '3f2a…'/);
    const withoutVerify = captureIo();
    const token = crypto.randomUUID();
    expect(await runCli(['token', token], withoutVerify)).toBe(2);
    expect(withoutVerify.stderr[0]).toMatch(new RegExp(`^instant-tx: unknown token action '${token.slice(0, 4)}…'`));
  });
});
