/** How much one stream may take from the server, from the configuration. */
export interface StreamLimits {
  maxPerUser: number;
  maxPerAddress: number;
  framesPerSecond: number;
}

/** A burst may spend this many seconds' worth of frames at once, so a reconnecting client can resend its queue. */
const BURST_SECONDS = 10;

/**
 * A token bucket of frames for one connection: it starts full, refills at `perSecond` and holds at most ten
 * seconds' worth. A person typing and sending spends a few frames a minute; only a runaway or hostile client
 * empties it.
 */
export class FrameBudget {
  private readonly capacity: number;
  private tokens: number;
  private refilledAt: number;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.capacity = perSecond * BURST_SECONDS;
    this.tokens = this.capacity;
    this.refilledAt = this.now();
  }

  /** Spends one frame; false when the bucket is empty. */
  take(): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Counts open connections per key (a person, a client address) against a cap. When a key is at its cap the
 * newcomer is refused: the connections that are already working keep working.
 */
export class ConnectionQuota {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  /** Takes a place for `key`; false, taking nothing, when the key already holds `max`. */
  take(key: string): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count >= this.max) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  release(key: string): void {
    const count = (this.counts.get(key) ?? 0) - 1;
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
  }
}
