import { ApiError } from '../api/api-error.ts';

/**
 * The time one request may spend, like Instant's statement timeout: every read and write of triples
 * checks it, so a query or transaction that runs past it stops at its next step and is answered 429
 * `timeout` ("The query took too long to complete.", Instant's words); a transaction stopped this way
 * is rolled back by `Storage.write`, so it commits nothing. Outside {@link RequestBudget.run} nothing
 * is limited.
 *
 * @example
 * const budget = new RequestBudget();
 * budget.run(5_000, () => budget.check()); // throws only after 5 s of work
 */
export class RequestBudget {
  #deadline = Number.POSITIVE_INFINITY;

  /** Runs `work` with `ms` to spend (requests do not nest: the previous deadline comes back after). */
  run<T>(ms: number, work: () => T): T {
    const previous = this.#deadline;
    this.#deadline = performance.now() + ms;
    try {
      return work();
    } finally {
      this.#deadline = previous;
    }
  }

  /** Throws Instant's 429 `timeout` once the current request's time is spent. */
  check(): void {
    if (performance.now() > this.#deadline) {
      throw new ApiError(429, 'timeout', 'The query took too long to complete.', null);
    }
  }
}
