import { BoundedMap } from './bounded-map';

/**
 * Slows password, second-factor and invite-code guessing without letting a guesser lock the owner out (for invite
 * codes, the "account" is one key shared by all codes: see InvitesService). Services use only this
 * interface, so a store shared by several nodes can take the place of the in-memory one.
 */
export interface LoginThrottle {
  /**
   * Seconds `address` must wait before trying `account`, or 0. An admitted attempt counts as a failure at once (so
   * parallel guesses cannot all slip in before the first one fails) until `succeeded` takes it back.
   */
  admit(account: string, address: string, now?: number): number;
  /** The admitted attempt was right: the address is clean again for this account. */
  succeeded(account: string, address: string): void;
}

/** The numbers the admin guide documents; tests build throttles with the same defaults. */
export const throttleDefaults = {
  /** Failures one address may make on one account before each further try waits. */
  freeFailuresPerAddress: 3,
  /** Failures on one account from all addresses together before addresses that failed on it wait. */
  freeFailuresPerAccount: 10,
  /** The first wait; each further failure doubles it. */
  firstDelayMs: 1_000,
  /** The longest wait, so the owner who mistyped from a failing address is slowed, never locked out. */
  maxDelayMs: 15 * 60_000,
  /**
   * A record with no failure for this long is forgotten. Long, so that an address held back on an account cannot
   * wait out its record and come back clean with fresh free failures while the account is still being guessed.
   */
  forgetAfterMs: 24 * 60 * 60_000,
  /** Records kept at most per kind; the least recently failed go first. */
  maxKeys: 100_000,
};

const limits = throttleDefaults;

interface Failures {
  count: number;
  lastAt: number;
}

/**
 * The per-node throttle. Three limits, each about a different attacker:
 *
 * - **per address**, any accounts: `perAddressPerMinute` attempts a minute (ENCLAVE_LOGIN_ATTEMPTS_PER_MINUTE),
 *   against one machine spraying many accounts;
 * - **per account and address**: after a few failures each further try from that address waits, the wait doubling
 *   per failure up to a ceiling, against one machine guessing one account;
 * - **per account**, all addresses together: after more failures, every address that has itself failed on the
 *   account waits for the account's own doubling delay, against a guess spread over many machines.
 *
 * An address that has not failed on an account is never held back by that account's counts: that is what keeps
 * the owner (right password, right code) signing in while someone else is guessing from elsewhere. The price is
 * that each fresh address of a spread guess gets a few tries before it, too, waits on the account; the password
 * policy makes those few tries worthless. Unknown usernames are counted exactly like known ones.
 */
export class MemoryLoginThrottle implements LoginThrottle {
  private readonly attemptsByAddress = new BoundedMap<string, { count: number; startedAt: number }>(limits.maxKeys);
  private readonly failuresByPair = new BoundedMap<string, Failures>(limits.maxKeys);
  private readonly failuresByAccount = new BoundedMap<string, Failures>(limits.maxKeys);

  /** `perAddressPerMinute`: sign-in attempts one address may make a minute (many people behind one proxy need more). */
  constructor(private readonly perAddressPerMinute = 30) {}

  admit(account: string, address: string, now = Date.now()): number {
    const pairKey = `${account}\u0000${address}`;
    const pair = this.live(this.failuresByPair, pairKey, now);
    const accountFailures = this.live(this.failuresByAccount, account, now);
    const wait = Math.max(
      this.addressWait(address, now),
      pair ? this.delayLeft(pair, limits.freeFailuresPerAddress, now) : 0,
      // Only an address that failed on this account shares the account's delay.
      pair && accountFailures ? this.delayLeft(accountFailures, limits.freeFailuresPerAccount, now) : 0,
    );
    if (wait > 0) return Math.ceil(wait / 1000);
    this.record(account, address, now);
    return 0;
  }

  /** Counts an attempt as a failure until `succeeded` takes it back: what `admit` does once it lets one through. */
  record(account: string, address: string, now = Date.now()): void {
    const pairKey = `${account}\u0000${address}`;
    this.countAttempt(address, now);
    this.failuresByPair.set(pairKey, { count: (this.live(this.failuresByPair, pairKey, now)?.count ?? 0) + 1, lastAt: now });
    this.failuresByAccount.set(account, { count: (this.live(this.failuresByAccount, account, now)?.count ?? 0) + 1, lastAt: now });
  }

  succeeded(account: string, address: string): void {
    this.failuresByPair.delete(`${account}\u0000${address}`);
    // The attempt admitted as a failure was not one; earlier failures on the account stay counted.
    const accountFailures = this.failuresByAccount.get(account);
    if (accountFailures) accountFailures.count = Math.max(0, accountFailures.count - 1);
  }

  /** Milliseconds until the next try is allowed after `failures.count` failures, of which `free` cost nothing. */
  private delayLeft(failures: Failures, free: number, now: number): number {
    // The try after the last free failure is the first to wait.
    const over = failures.count - free + 1;
    if (over <= 0) return 0;
    const delay = Math.min(limits.firstDelayMs * 2 ** Math.min(over - 1, 30), limits.maxDelayMs);
    return Math.max(0, failures.lastAt + delay - now);
  }

  private addressWait(address: string, now: number): number {
    const window = this.attemptsByAddress.get(address);
    if (!window || now - window.startedAt >= 60_000 || window.count < this.perAddressPerMinute) return 0;
    return window.startedAt + 60_000 - now;
  }

  private countAttempt(address: string, now: number): void {
    const window = this.attemptsByAddress.get(address);
    if (window && now - window.startedAt < 60_000) window.count += 1;
    else this.attemptsByAddress.set(address, { count: 1, startedAt: now });
  }

  private live(map: BoundedMap<string, Failures>, key: string, now: number): Failures | undefined {
    const failures = map.get(key);
    if (failures && now - failures.lastAt >= limits.forgetAfterMs) {
      map.delete(key);
      return undefined;
    }
    return failures;
  }
}
