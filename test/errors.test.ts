import { describe, expect, it, vi } from 'vitest';
import * as errors from '../src/errors/index.ts';
import { InstantError, InstantValidationError, isInstantError, tx, UnknownOperationError } from '../src/index.ts';

const goalId = '0b0f7c1e-3c1a-4a43-9f4e-1f2d3c4b5a60';

/** One instance of every error class the package exports. */
function everyError(module: typeof errors): Error[] {
  return [
    new module.InstantError('x'),
    new module.InstantValidationError([]),
    new module.UnknownOperationError('updaet', ['update']),
    new module.InstantAPIError({
      status: 400,
      type: 'validation-failed',
      message: 'm',
      hint: null,
      traceId: undefined,
      body: {},
      method: 'POST',
      path: '/admin/transact',
    }),
    new module.InstantTimeoutError('POST', '/admin/query', 1000),
    new module.InstantNetworkError('POST', '/admin/query', 'ECONNREFUSED'),
    new module.InstantAbortError('POST', '/admin/query'),
    new module.InstantResponseError('POST', '/admin/query', 'a JSON object', 'a string'),
  ];
}

describe('isInstantError', () => {
  it('recognises every error class, whatever its name', () => {
    for (const error of everyError(errors)) expect(isInstantError(error), error.name).toBe(true);
    // Every exported class, including ones added later, without knowing its constructor's arguments.
    const classes = Object.entries(errors).filter(
      ([, value]) => typeof value === 'function' && value.prototype instanceof Error,
    );
    expect(classes.map(([name]) => name)).toContain('UnknownOperationError');
    for (const [name, value] of classes)
      expect(isInstantError(Object.create((value as { prototype: object }).prototype)), name).toBe(true);
  });

  it('recognises the error a misspelled method throws', () => {
    let caught: unknown;
    try {
      (tx.goals[goalId] as unknown as Record<string, unknown>).updaet;
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnknownOperationError);
    expect(isInstantError(caught)).toBe(true);
  });

  it('recognises errors of another copy of the package (a brand, not instanceof)', async () => {
    vi.resetModules();
    const copy = await import('../src/errors/index.ts');
    expect(copy.UnknownOperationError).not.toBe(UnknownOperationError);
    for (const error of everyError(copy)) {
      expect(error instanceof InstantError, error.name).toBe(false);
      expect(isInstantError(error), error.name).toBe(true);
    }
  });

  it('does not decide by name: other errors are not ours, even when named Instant…', () => {
    const impostor = new Error('not ours');
    impostor.name = 'InstantImpostorError';
    expect(isInstantError(impostor)).toBe(false);
    expect(isInstantError(new TypeError('x'))).toBe(false);
    expect(isInstantError({ name: 'InstantError', message: 'x' })).toBe(false);
    expect(isInstantError(null)).toBe(false);
    expect(isInstantError('InstantError')).toBe(false);
  });

  it('keeps the brand off enumerable fields and JSON', () => {
    const error = new InstantValidationError([]);
    expect(Object.getOwnPropertySymbols(error)).toEqual([]);
    expect(JSON.parse(JSON.stringify(error))).not.toHaveProperty('instant-tx.error');
  });
});
