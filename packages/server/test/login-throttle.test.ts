import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BoundedMap } from '../src/auth/bounded-map';
import { MemoryLoginThrottle, throttleDefaults } from '../src/auth/login-throttle';

const start = 1_000_000_000;

/** Fails `count` admitted attempts on `account` from `address`, all at `now`; answers the waits seen. */
function fail(throttle: MemoryLoginThrottle, account: string, address: string, count: number, now: number): number[] {
  const waits: number[] = [];
  for (let i = 0; i < count; i += 1) waits.push(throttle.admit(account, address, now));
  return waits;
}

/** Guesses from one address as fast as the throttle lets it, for `durationMs`; answers how many tries it got. */
function guessAsFastAsAllowed(throttle: MemoryLoginThrottle, account: string, address: string, from: number, durationMs: number): number {
  let now = from;
  let tries = 0;
  while (now < from + durationMs) {
    const wait = throttle.admit(account, address, now);
    if (wait === 0) tries += 1;
    now += wait === 0 ? 1 : wait * 1000;
  }
  return tries;
}

test('one address may try only so many sign-ins a minute, whatever the accounts', () => {
  const throttle = new MemoryLoginThrottle(3);
  for (const name of ['a', 'b', 'c']) assert.equal(throttle.admit(name, '10.0.0.1', start), 0);
  assert.equal(throttle.admit('d', '10.0.0.1', start + 1000), 59);
  assert.equal(throttle.admit('d', '10.0.0.2', start + 1000), 0, 'another address is not affected');
  assert.equal(throttle.admit('d', '10.0.0.1', start + 60_000), 0, 'the window passes');
});

test('an address guessing one account waits longer after each failure, up to the ceiling, never forever', () => {
  const throttle = new MemoryLoginThrottle(100_000);
  assert.deepEqual(fail(throttle, 'alice', '10.0.0.9', throttleDefaults.freeFailuresPerAddress, start), [0, 0, 0], 'the first failures cost nothing');
  const waits: number[] = [];
  let now = start;
  for (let i = 0; i < 14; i += 1) {
    const wait = throttle.admit('alice', '10.0.0.9', now);
    assert.ok(wait > 0, `try ${i} must wait`);
    waits.push(wait);
    now += wait * 1000;
    assert.equal(throttle.admit('alice', '10.0.0.9', now), 0, 'once the wait is over the address may try again');
  }
  assert.deepEqual(waits.slice(0, 6), [1, 2, 4, 8, 16, 32], 'each failure doubles the wait');
  assert.equal(Math.max(...waits), throttleDefaults.maxDelayMs / 1000, 'the wait stops growing at the ceiling');
});

test('the owner signs in from a clean address while another address is being held back on the same account', () => {
  const throttle = new MemoryLoginThrottle(100_000);
  fail(throttle, 'alice', '10.0.0.66', 40, start);
  assert.ok(throttle.admit('alice', '10.0.0.66', start) > 0, 'the guesser waits');
  assert.equal(throttle.admit('alice', '192.168.1.5', start), 0, 'the owner from their own address does not');
  throttle.succeeded('alice', '192.168.1.5');
  assert.equal(throttle.admit('alice', '192.168.1.5', start + 1), 0, 'and signs in again as often as they like');
});

test('a guess spread over many addresses is slowed to one try per account delay once each address has failed', () => {
  const throttle = new MemoryLoginThrottle(100_000);
  const addresses = Array.from({ length: 50 }, (_, i) => `10.1.0.${i}`);
  // Each address spends its free failures; together they pass the account's free failures by far.
  for (const address of addresses) fail(throttle, 'alice', address, throttleDefaults.freeFailuresPerAddress, start);
  const ceiling = throttleDefaults.maxDelayMs / 1000;
  for (const address of addresses) assert.equal(throttle.admit('alice', address, start), ceiling, `${address} waits for the account`);
  // An hour later every address has been let through at most once per wait, not three times each.
  let tries = 0;
  for (let now = start + 1000; now < start + 61 * 60_000; now += 1000) {
    for (const address of addresses) if (throttle.admit('alice', address, now) === 0) tries += 1;
  }
  assert.ok(tries <= 60 / (ceiling / 60) + 1, `got ${tries} tries in an hour`);
});

test('a single address that fails only once on the account is held back by the account while it is attacked', () => {
  const throttle = new MemoryLoginThrottle(100_000);
  for (let i = 0; i < 20; i += 1) fail(throttle, 'alice', `10.2.0.${i}`, 1, start);
  fail(throttle, 'alice', '10.9.9.9', 1, start);
  assert.ok(throttle.admit('alice', '10.9.9.9', start + 1) > 0, 'an address that failed shares the account delay');
  assert.equal(throttle.admit('alice', '10.9.9.10', start + 1), 0, 'an address that never failed does not');
});

test('unknown and known account names are throttled alike, for the throttle never looks names up', () => {
  const throttle = new MemoryLoginThrottle(100_000);
  const known = [...fail(throttle, 'alice', '10.3.0.1', 8, start)];
  const unknown = [...fail(throttle, 'no-such-person', '10.3.0.2', 8, start)];
  assert.deepEqual(unknown, known);
});

test('a right answer takes back its own attempt and cleans the address, but not the failures before it on the account', () => {
  const throttle = new MemoryLoginThrottle(100_000);
  fail(throttle, 'bob', '10.4.0.1', 3, start);
  assert.ok(throttle.admit('bob', '10.4.0.1', start) > 0);
  assert.equal(throttle.admit('bob', '10.4.0.1', start + 1000), 0);
  throttle.succeeded('bob', '10.4.0.1');
  assert.deepEqual(fail(throttle, 'bob', '10.4.0.1', 3, start + 2000), [0, 0, 0], 'the address starts over');
});

test('parallel guesses cannot slip past the throttle before the first of them fails', () => {
  const throttle = new MemoryLoginThrottle(100_000);
  // Nothing has failed yet: every admitted attempt counts until `succeeded` takes it back.
  const waits = fail(throttle, 'carol', '10.5.0.1', 10, start);
  assert.equal(waits.filter((wait) => wait === 0).length, throttleDefaults.freeFailuresPerAddress);
});

test('failures are forgotten a day after the last one', () => {
  const throttle = new MemoryLoginThrottle(100_000);
  fail(throttle, 'dave', '10.6.0.1', 3, start);
  assert.ok(throttle.admit('dave', '10.6.0.1', start + 500) > 0);
  assert.deepEqual(fail(throttle, 'dave', '10.6.0.1', 3, start + throttleDefaults.forgetAfterMs), [0, 0, 0], 'the count started over');
});

test("the throttle's records are bounded: a flood of invented names pushes out the records set longest ago", () => {
  const records = new BoundedMap<string, number>(1000);
  for (let i = 0; i < 10_000; i += 1) records.set(`name-${i}`, i);
  assert.equal(records.size, 1000);
  assert.equal(records.get('name-8999'), undefined);
  assert.equal(records.get('name-9000'), 9000);
  records.set('name-9000', 1);
  records.set('another', 2);
  assert.equal(records.get('name-9000'), 1, 'setting a key again moves it to the back');
  assert.equal(records.get('name-9001'), undefined);
});

test('one address guessing one account for a day gets a few dozen tries, not thousands', () => {
  const throttle = new MemoryLoginThrottle(100_000);
  const tries = guessAsFastAsAllowed(throttle, 'erin', '10.7.0.1', start, 24 * 60 * 60_000);
  assert.ok(tries < 24 * 6, `got ${tries}`);
});
