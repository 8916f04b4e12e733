/** Where an iterator's payloads come from: a listener for each payload, one for the end. */
export interface PayloadSource<P> {
  /** Adds both listeners; the returned function removes them. */
  listen(onPayload: (payload: P) => void, onEnd: () => void): () => void;
  isClosed(): boolean;
}

/**
 * An async iterator over a source's payloads from now on. Payloads the reader has not taken yet wait
 * in a backlog of at most `limit` (the oldest dropped first, as the official SDK does: each one is a
 * whole result, so the newest matter). It ends once the source ends and the backlog is empty;
 * `return()` (a `break` out of `for await`) ends just this iterator.
 *
 * @example
 * const source: PayloadSource<string> = { listen: () => () => undefined, isClosed: () => true };
 * for await (const payload of payloadIterator(source)) console.log(payload);
 */
export function payloadIterator<P>(source: PayloadSource<P>, limit = 100): AsyncIterableIterator<P> {
  const backlog: P[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  const unlisten = source.listen(
    (payload) => {
      backlog.push(payload);
      if (backlog.length > limit) backlog.shift();
      wake?.();
    },
    () => {
      ended = true;
      wake?.();
    },
  );
  const finish = (): IteratorResult<P> => {
    ended = true;
    unlisten();
    wake?.();
    return { done: true, value: undefined };
  };
  const iterator: AsyncIterableIterator<P> = {
    next: async () => {
      for (;;) {
        if (backlog.length > 0) return { done: false, value: backlog.shift()! };
        if (ended || source.isClosed()) return finish();
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    },
    return: async () => finish(),
    throw: async (error: unknown) => {
      finish();
      throw error;
    },
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
