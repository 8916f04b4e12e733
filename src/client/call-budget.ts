/**
 * One call's time budget across all its attempts and the waits between them (`retry.totalTimeout`),
 * and the caller's signal. Nothing is armed up front: the first attempt is bounded by ky's per-attempt
 * timeout alone (unless the total is shorter), and a timer exists only while waiting to retry or for an
 * attempt that would outlive the deadline. Running out rejects with a DOMException named `TimeoutError`,
 * which `mapError` reports with the total timeout.
 */
export class CallBudget {
  readonly #deadline: number;
  readonly #signal: AbortSignal | undefined;

  constructor(totalTimeout: number, signal: AbortSignal | undefined) {
    this.#deadline = performance.now() + totalTimeout;
    this.#signal = signal;
  }

  /** Milliseconds left before the deadline (0 when past it). */
  remaining(): number {
    return Math.max(0, this.#deadline - performance.now());
  }

  /**
   * A signal for one attempt that must stop at the deadline, or `undefined` when the attempt's own
   * timeout ends it first. Throws once the deadline has passed.
   */
  attemptSignal(request: Request, attemptTimeout: number | false): AbortSignal | undefined {
    const remaining = this.remaining();
    if (remaining <= 0) throw budgetExhausted();
    if (attemptTimeout !== false && attemptTimeout <= remaining) return undefined;
    return AbortSignal.any([request.signal, AbortSignal.timeout(Math.ceil(remaining))]);
  }

  /**
   * Waits `ms` before a retry. Rejects with the caller's abort reason if the caller aborts, and at the
   * deadline (not sooner) if the wait would run past it, so the total time is the configured bound.
   */
  wait(ms: number): Promise<void> {
    const signal = this.#signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const remaining = this.remaining();
    const exhausted = ms >= remaining;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal!.reason);
      };
      const timer = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort);
          if (exhausted) reject(budgetExhausted());
          else resolve();
        },
        Math.max(0, Math.min(ms, remaining)),
      );
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

function budgetExhausted(): DOMException {
  return new DOMException('the total time for this call ran out', 'TimeoutError');
}
