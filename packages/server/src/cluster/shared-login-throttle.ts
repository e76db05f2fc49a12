import type { LoginThrottle, MemoryLoginThrottle } from '../auth/login-throttle';

/** One attempt as another node saw it: let through (counted as a failure until it succeeds), or succeeded. */
export interface ThrottleAttempt {
  outcome: 'admitted' | 'succeeded';
  account: string;
  address: string;
  at: number;
}

/**
 * The sign-in throttle of a node linked to others: each node keeps the whole record in memory, and tells the
 * others of every attempt it lets through and every success, which they apply to their own copy. A guesser who
 * moves to another node (the load balancer sends each request anywhere) finds the same counts there. `admit`
 * stays synchronous; the price is that attempts racing on two nodes within the broker's delay (well under a
 * millisecond on one network) may both be let through, like parallel attempts on one node before the throttle
 * existed. While the broker is away each node counts alone.
 */
export class SharedLoginThrottle implements LoginThrottle {
  constructor(
    private readonly local: MemoryLoginThrottle,
    private readonly tellOthers: (attempt: ThrottleAttempt) => void,
  ) {}

  admit(account: string, address: string, now = Date.now()): number {
    const wait = this.local.admit(account, address, now);
    if (wait === 0) this.tellOthers({ outcome: 'admitted', account, address, at: now });
    return wait;
  }

  succeeded(account: string, address: string): void {
    this.local.succeeded(account, address);
    this.tellOthers({ outcome: 'succeeded', account, address, at: Date.now() });
  }

  /** An attempt another node saw. */
  apply(attempt: ThrottleAttempt): void {
    if (attempt.outcome === 'admitted') this.local.record(attempt.account, attempt.address, attempt.at);
    else this.local.succeeded(attempt.account, attempt.address);
  }
}
