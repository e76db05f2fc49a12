/**
 * A value this node keeps for a while instead of reading it on every use: policy that every send consults
 * (label ranks, the send guard, DLP rules) and that changes rarely. A change made on this node clears it at once;
 * other nodes see it within `ttlMs`, or at once when the cache is shared (`SharedCaches`, nodes linked by NATS).
 *
 * When the value is dear to rebuild (the DLP rules are compiled), `probe` makes the check every `ttlMs` cheap: a
 * small query whose answer changes whenever the source does. The value is rebuilt only when the answer differs
 * from the one read before the last build. Uses at the same moment share one check or build.
 */
export class NodeCache<T> {
  private cached: { value: T; version: string | undefined; checkedAt: number } | undefined;
  private refreshing: Promise<T> | undefined;
  /** Bumped by `clear`, so that a check or build started before a change cannot store what it read. */
  private generation = 0;
  private tellOthers: (() => void) | undefined;

  constructor(
    private readonly ttlMs: number,
    private readonly load: () => Promise<T>,
    private readonly probe?: () => Promise<string>,
  ) {}

  async get(): Promise<T> {
    if (this.cached && Date.now() - this.cached.checkedAt < this.ttlMs) return this.cached.value;
    if (!this.refreshing) {
      const refreshing = this.refresh().finally(() => {
        if (this.refreshing === refreshing) this.refreshing = undefined;
      });
      this.refreshing = refreshing;
    }
    return this.refreshing;
  }

  /** Call after the change commits, so that no request refills it from the old state meanwhile. */
  clear(): void {
    this.dropCopy();
    this.tellOthers?.();
  }

  /** Forgets the value because its source changed elsewhere (another node): read again at the next use. */
  dropCopy(): void {
    this.generation += 1;
    this.cached = undefined;
    this.refreshing = undefined;
  }

  /** Makes `clear` tell the other nodes too (`SharedCaches`). */
  shareWith(tellOthers: () => void): void {
    this.tellOthers = tellOthers;
  }

  private async refresh(): Promise<T> {
    const generation = this.generation;
    const checkedAt = Date.now();
    const previous = this.cached;
    // Read before the build: a change committed during the build then shows as a new answer at the next check.
    const version = this.probe ? await this.probe() : undefined;
    const value = previous && version !== undefined && version === previous.version ? previous.value : await this.load();
    if (generation === this.generation) this.cached = { value, version, checkedAt };
    return value;
  }
}

/**
 * The caches every node keeps of shared policy, by name: a change on one node clears its copy and, on nodes linked
 * by NATS, tells the others (`tellOthers`), which drop theirs at once instead of waiting out the TTL.
 */
export class SharedCaches {
  private readonly byName = new Map<string, NodeCache<unknown>>();

  constructor(private readonly tellOthers?: (name: string) => void) {}

  share(name: string, cache: NodeCache<unknown>): void {
    this.byName.set(name, cache);
    cache.shareWith(() => this.tellOthers?.(name));
  }

  /** Every copy is read again: the news of other nodes' changes may have been lost while the broker was away. */
  dropAll(): void {
    for (const cache of this.byName.values()) cache.dropCopy();
  }

  /** Another node changed the source of the named cache. */
  changedElsewhere(name: string): void {
    this.byName.get(name)?.dropCopy();
  }
}
