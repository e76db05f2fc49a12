const BUCKET_MS = 0.05;
const BUCKETS = 200_000; // 10 s at 0.05 ms; anything slower lands in the last bucket and shows in `max`.

/** Send-to-receive latencies in fixed 0.05 ms buckets: constant memory however many deliveries a step has. */
export class LatencyHistogram {
  private readonly counts = new Uint32Array(BUCKETS);
  count = 0;
  max = 0;

  record(ms: number): void {
    const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.floor(ms / BUCKET_MS)));
    this.counts[bucket]! += 1;
    this.count += 1;
    if (ms > this.max) this.max = ms;
  }

  /** The upper edge of the bucket holding the q-quantile (0 < q ≤ 1), in ms; 0 when nothing was recorded. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let bucket = 0; bucket < BUCKETS; bucket++) {
      seen += this.counts[bucket]!;
      if (seen >= rank) return Math.min(this.max, (bucket + 1) * BUCKET_MS);
    }
    return this.max;
  }
}
