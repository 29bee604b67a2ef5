/**
 * The benchmark contract: each `bench/*.bench.ts` default-exports a {@link Bench}.
 * `npm run bench` runs them all (or `npm run bench -- <name>` one), prints a table and
 * writes every figure to `bench/results.json`.
 *
 * Figures that compare against a baseline measured in the same run carry `baseline`
 * and `ratio` (value / baseline); absolute figures (times, memory) carry `goal` instead.
 *
 * @example
 * ```ts
 * import { defineBench } from './harness.js';
 * export default defineBench({
 *   name: 'http',
 *   async run() {
 *     return [{ name: 'http.rps', value: 9000, unit: 'req/s', baseline: 10000 }];
 *   },
 * });
 * ```
 */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** The same measurement on the baseline, same run; omitted for absolute figures. */
  baseline?: number | null;
  /** Stated goal, for the table: e.g. `ratio >= 0.8` or `< 300 ms`. */
  goal?: string;
  /** Whether the goal holds; omitted when there is no goal. */
  pass?: boolean;
}

/** One benchmark file's export. */
export interface Bench {
  name: string;
  run(): Promise<BenchFigure[]>;
}

/**
 * Declares a benchmark.
 *
 * @example
 * ```ts
 * export default defineBench({ name: 'noop', run: async () => [] });
 * ```
 */
export function defineBench(bench: Bench): Bench {
  return bench;
}

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
