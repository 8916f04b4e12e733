/** The measured figures behind one benchmark's ratio, as the chart draws them. */
export interface BenchValues {
  /** What the numbers are: `ms`, `µs CPU per call`, `rows/s`, or `x` when only the ratio is known. */
  readonly unit: string;
  readonly ours: number;
  /** `@instantdb/admin`'s figure, when the benchmark measures it. */
  readonly official?: number;
  /** The figure ours is compared with (hand-written code, bare ky, raw node:sqlite, …). */
  readonly baseline?: number;
  /** What the baseline is, shown in the chart. */
  readonly baselineName?: string;
}

/** One benchmark's outcome: the printed line's parts plus the figures behind it. */
export interface BenchResult {
  readonly name: string;
  readonly ratio: number;
  readonly goal: string;
  readonly met: boolean;
  readonly detail: string;
  readonly values: BenchValues;
}
