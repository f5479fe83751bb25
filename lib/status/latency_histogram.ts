/**
 * A fixed-bucket latency histogram: constant memory whatever the traffic, quantiles estimated within a bucket,
 * and the same buckets exported to Prometheus (in seconds).
 */

/** Upper bounds in milliseconds; a final +Inf bucket is implied. Spans a fast error to a long agent turn. */
export const LATENCY_BOUNDS_MS = [
  25,
  50,
  100,
  250,
  500,
  1_000,
  2_500,
  5_000,
  10_000,
  20_000,
  30_000,
  60_000,
  120_000,
  300_000,
  600_000,
] as const;

export class LatencyHistogram {
  /** Per-bucket counts (not cumulative); the last entry is the +Inf bucket. */
  readonly counts = new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
  count = 0;
  sumMs = 0;
  /** Smallest and largest value seen: a quantile estimate never goes past them. */
  minMs = Infinity;
  maxMs = 0;

  observe(ms: number): void {
    const value = Math.max(0, ms);
    let bucket = LATENCY_BOUNDS_MS.findIndex((bound) => value <= bound);
    if (bucket < 0) bucket = LATENCY_BOUNDS_MS.length;
    this.counts[bucket]++;
    this.count++;
    this.sumMs += value;
    this.minMs = Math.min(this.minMs, value);
    this.maxMs = Math.max(this.maxMs, value);
  }

  /**
   * The q-quantile (0..1) in milliseconds, interpolated linearly inside its bucket and kept within the
   * smallest and largest value seen; undefined when empty.
   */
  quantile(q: number): number | undefined {
    if (this.count === 0) return undefined;
    const estimate = this.#estimate(q);
    return Math.min(this.maxMs, Math.max(this.minMs, estimate));
  }

  #estimate(q: number): number {
    const rank = q * this.count;
    let seen = 0;
    for (let bucket = 0; bucket < this.counts.length; bucket++) {
      const inBucket = this.counts[bucket];
      if (inBucket > 0 && seen + inBucket >= rank) {
        if (bucket === LATENCY_BOUNDS_MS.length) return LATENCY_BOUNDS_MS[bucket - 1];
        const lower = bucket === 0 ? 0 : LATENCY_BOUNDS_MS[bucket - 1];
        const upper = LATENCY_BOUNDS_MS[bucket];
        return lower + (upper - lower) * ((rank - seen) / inBucket);
      }
      seen += inBucket;
    }
    return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1];
  }
}
