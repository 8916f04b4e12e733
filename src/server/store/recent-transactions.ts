/** Steps kept per transaction; the rest are only counted. */
const MAX_STEPS_KEPT = 20;
/** Characters kept of one step's JSON; the explorer shows a preview, never a whole 32 MiB body. */
const MAX_STEP_CHARS = 400;

/** One committed transaction as the explorer's activity view shows it. */
export interface RecentTransaction {
  readonly txId: number;
  /** When it committed (ms since the epoch). */
  readonly at: number;
  /** Who sent it: `admin`, `guest` or `user <email or id>`. */
  readonly by: string;
  /** How many steps it had. */
  readonly stepCount: number;
  /** The first steps, each as (possibly cut) JSON text. */
  readonly steps: readonly string[];
}

/** What a transaction hands over before it commits. */
export interface StagedTransaction {
  readonly txId: number;
  readonly by: string;
  readonly steps: unknown;
}

/**
 * The last few committed transactions, newest first, in a fixed-size ring. A transaction is staged
 * where it runs and recorded only when its SQLite transaction commits (`commit`); a rollback drops it
 * (`drop`), so the list never shows a write that did not happen. Bounded in count and in size.
 * It records nothing until {@link RecentTransactions.enable}d (by the explorer, its only reader), so a
 * server without the explorer pays nothing per write.
 *
 * @example
 * const recent = new RecentTransactions(2);
 * recent.enable();
 * recent.stage({ txId: 1, by: 'admin', steps: [['update', 'goals', 'x', {}]] });
 * recent.commit(Date.now());
 * recent.list()[0]?.txId; // 1
 */
export class RecentTransactions {
  readonly #capacity: number;
  readonly #ring: RecentTransaction[] = [];
  #next = 0;
  #staged: StagedTransaction[] = [];
  #enabled = false;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Starts recording: someone will read the list. */
  enable(): void {
    this.#enabled = true;
  }

  /** Remembers a transaction that will be recorded if the surrounding write commits (when enabled). */
  stage(tx: StagedTransaction): void {
    if (this.#enabled) this.#staged.push(tx);
  }

  /** The surrounding write committed: its staged transactions join the ring. */
  commit(at: number): void {
    for (const tx of this.#staged) this.#push(summarize(tx, at));
    this.#staged = [];
  }

  /** The surrounding write rolled back: its staged transactions never happened. */
  drop(): void {
    this.#staged = [];
  }

  /** The recorded transactions, newest first. */
  list(): RecentTransaction[] {
    const ordered = [...this.#ring.slice(this.#next), ...this.#ring.slice(0, this.#next)];
    return ordered.reverse();
  }

  #push(entry: RecentTransaction): void {
    if (this.#ring.length < this.#capacity) this.#ring.push(entry);
    else this.#ring[this.#next] = entry;
    this.#next = (this.#next + 1) % this.#capacity;
  }
}

function summarize(tx: StagedTransaction, at: number): RecentTransaction {
  const steps = Array.isArray(tx.steps) ? tx.steps : [];
  return {
    txId: tx.txId,
    at,
    by: tx.by,
    stepCount: steps.length,
    steps: steps.slice(0, MAX_STEPS_KEPT).map(preview),
  };
}

/**
 * A step as JSON text, cut at {@link MAX_STEP_CHARS}. It is written piece by piece and stops once long
 * enough, so a step holding a 10 MB value costs no more than a small one.
 */
function preview(step: unknown): string {
  const out: string[] = [];
  let length = 0;
  const write = (text: string): boolean => {
    out.push(text);
    length += text.length;
    return length <= MAX_STEP_CHARS;
  };
  const walk = (value: unknown): boolean => {
    if (typeof value === 'string') return write(JSON.stringify(value.slice(0, MAX_STEP_CHARS + 1)));
    if (value === null || typeof value !== 'object') return write(JSON.stringify(value) ?? 'null');
    const array = Array.isArray(value);
    if (!write(array ? '[' : '{')) return false;
    let first = true;
    for (const key of Object.keys(value)) {
      if (!first && !write(',')) return false;
      first = false;
      if (!array && !write(`${JSON.stringify(key)}:`)) return false;
      if (!walk((value as Record<string, unknown>)[key])) return false;
    }
    return write(array ? ']' : '}');
  };
  walk(step);
  const text = out.join('');
  return text.length > MAX_STEP_CHARS ? `${text.slice(0, MAX_STEP_CHARS)}…` : text;
}
