/** How much one stream may take from the server, from the configuration. */
export interface StreamLimits {
  maxPerUser: number;
  maxPerAddress: number;
  framesPerSecond: number;
}

/** A burst may spend this many seconds' worth of frames at once, so a reconnecting client can resend its queue. */
const BURST_SECONDS = 10;
/** A frame costs one, plus one for every this many bytes, so large frames cannot pile up faster than small ones. */
const BYTES_PER_EXTRA_COST = 4096;

/** What a frame of `bytes` bytes spends from a FrameBudget. */
export function frameCost(bytes: number): number {
  return 1 + Math.floor(bytes / BYTES_PER_EXTRA_COST);
}

/**
 * A token bucket of frames for one connection: it starts full, refills at `perSecond` and holds at most ten
 * seconds' worth. A person typing and sending spends a few frames a minute; only a runaway or hostile client
 * empties it. Since a frame costs more the larger it is (`frameCost`), the bucket also bounds how much unread input
 * one connection can queue while the server is busy with its earlier frames.
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

  /** Spends `cost`; false, spending nothing, when the bucket holds less. */
  take(cost = 1): boolean {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) / 1000) * this.perSecond);
    this.refilledAt = now;
    if (this.tokens < cost) return false;
    this.tokens -= cost;
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
