import util from 'node:util';
import { expect } from 'vitest';

const seen: unknown[] = [];

/** Remembers an error produced in a test so the file's last test can grep them all for secrets. */
export function remember<T>(error: T): T {
  seen.push(error);
  return error;
}

/** Awaits a promise that must reject, remembers and returns the error. */
export async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return remember(error);
  }
  throw new Error('expected a rejection');
}

/** Asserts no remembered error shows any of `secrets` in its message, String(), inspect() or JSON. */
export function expectNoSecretsInErrors(secrets: readonly string[]): void {
  expect(seen.length).toBeGreaterThan(0);
  for (const error of seen) {
    const views = [
      String(error),
      (error as Error).message,
      util.inspect(error, { depth: 10 }),
      JSON.stringify(error) ?? '',
      JSON.stringify((error as { body?: unknown }).body ?? null),
    ];
    for (const secret of secrets)
      for (const view of views) expect(view.includes(secret), `${(error as Error).name} shows a secret`).toBe(false);
  }
}
