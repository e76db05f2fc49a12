interface Window {
  count: number;
  startedAt: number;
}

/** Counts events per key inside a fixed window; the oldest keys are dropped so memory stays bounded. */
class WindowCounter {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Seconds until the key may act again, or 0 when it is under the limit. */
  retryAfter(key: string, now: number): number {
    const window = this.current(key, now);
    if (!window || window.count < this.limit) return 0;
    return Math.ceil((window.startedAt + this.windowMs - now) / 1000);
  }

  add(key: string, now: number): void {
    const window = this.current(key, now);
    if (window) {
      window.count += 1;
      return;
    }
    if (this.windows.size >= this.maxKeys) this.windows.delete(this.windows.keys().next().value as string);
    this.windows.set(key, { count: 1, startedAt: now });
  }

  clear(key: string): void {
    this.windows.delete(key);
  }

  private current(key: string, now: number): Window | undefined {
    const window = this.windows.get(key);
    if (window && now - window.startedAt >= this.windowMs) {
      this.windows.delete(key);
      return undefined;
    }
    return window;
  }
}

/**
 * Slows down password guessing: an account locks for the rest of a 15-minute window after 5 failures, and one
 * address may try a set number of sign-ins a minute (30 by default) whatever the accounts. Kept in memory: each node limits on its own.
 */
export class LoginThrottle {
  private readonly failuresByAccount = new WindowCounter(5, 15 * 60_000);
  private readonly attemptsByAddress: WindowCounter;

  /** `perAddressPerMinute`: sign-ins one address may try a minute (many people behind one proxy need more). */
  constructor(perAddressPerMinute = 30) {
    this.attemptsByAddress = new WindowCounter(perAddressPerMinute, 60_000);
  }

  /** Seconds to wait before trying, or 0. Counts the attempt against the address. */
  admit(username: string, ip: string, now = Date.now()): number {
    const wait = Math.max(this.attemptsByAddress.retryAfter(ip, now), this.failuresByAccount.retryAfter(username, now));
    if (wait === 0) this.attemptsByAddress.add(ip, now);
    return wait;
  }

  /** Seconds to wait, without counting an attempt: for the second sign-in step, whose password step counted. */
  waitBefore(username: string, ip: string, now = Date.now()): number {
    return Math.max(this.attemptsByAddress.retryAfter(ip, now), this.failuresByAccount.retryAfter(username, now));
  }

  failed(username: string, now = Date.now()): void {
    this.failuresByAccount.add(username, now);
  }

  succeeded(username: string): void {
    this.failuresByAccount.clear(username);
  }
}
