/**
 * The few numbers the report is made of. Kept free of I/O so the arithmetic is unit-tested
 * (test/unit/bench-stats.test.ts): a benchmark whose medians are wrong is worse than none.
 */

/** Median of a non-empty list; the mean of the two middle values for an even count. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle] as number;
  return ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * Percentile by the nearest-rank method on an already sorted list (p in 0..100): the smallest
 * value such that at least p% of the values are <= it. No interpolation, so p99 is a latency
 * some request really had.
 */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** Sorts a copy of the latencies once and reads the percentiles the report needs. */
export function latencySummary(latencies: Float64Array): { p50: number; p99: number; max: number } {
  const sorted = Float64Array.from(latencies).sort();
  return {
    p50: percentileOfSorted(sorted, 50),
    p99: percentileOfSorted(sorted, 99),
    max: sorted.length ? (sorted[sorted.length - 1] as number) : Number.NaN,
  };
}

/**
 * Ratio of the app to the baseline measured in the same run. Medians are taken over the
 * per-run ratios (paired), not as a ratio of medians: a run slowed down by a neighbour slows
 * both sides of its pair, and pairing cancels that drift.
 */
export function ratio(app: number, baseline: number): number {
  if (!(baseline > 0)) return Number.NaN;
  return app / baseline;
}

/** A growable list of doubles: 300,000 latencies a run must not allocate 300,000 boxes. */
export class SampleBuffer {
  private data = new Float64Array(1 << 16);
  private size = 0;

  push(value: number): void {
    if (this.size === this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = value;
  }

  get length(): number {
    return this.size;
  }

  values(): Float64Array {
    return this.data.subarray(0, this.size);
  }
}
