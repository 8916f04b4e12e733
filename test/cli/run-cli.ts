import { spawn } from 'node:child_process';
import { expect } from 'vitest';

/** The built binary, run as users run it. */
export const BIN = new URL('../../dist/cli/main.js', import.meta.url).pathname;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI as a child process. `env` is added to the parent's environment; an `undefined`
 * value removes that variable. Killed after `timeout` ms (code null), so a command that should have
 * failed at once but started serving fails the test instead of hanging it.
 */
export function runCli(
  args: readonly string[],
  options: { stdin?: string; env?: Record<string, string | undefined>; timeout?: number } = {},
): Promise<CliRun> {
  const env = Object.fromEntries(
    Object.entries({ ...process.env, ...options.env }).filter(([, value]) => value !== undefined),
  ) as Record<string, string>;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(options.stdin ?? '');
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout ?? 15_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Asserts a user mistake was reported the documented way: exit `code`, nothing on stdout, and stderr
 * one line starting `instant-tx: ` (followed only by the command's usage when `usage` is true), with no
 * stack trace. Returns that line.
 */
export function expectOneLine(run: CliRun, { code = 2, usage = false } = {}): string {
  expect(run.code, run.stderr).toBe(code);
  expect(run.stdout).toBe('');
  expect(run.stderr).not.toMatch(/^\s+at /m);
  const [line = '', ...rest] = run.stderr.trimEnd().split('\n');
  expect(line).toMatch(/^instant-tx: \S/);
  if (usage) expect(rest.join('\n')).toMatch(/^\nUsage: instant-tx /);
  else expect(rest, run.stderr).toEqual([]);
  return line;
}
