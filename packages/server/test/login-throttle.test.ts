import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoginThrottle } from '../src/auth/login-throttle';

test('one address may try only so many sign-ins a minute, whatever the accounts', () => {
  const throttle = new LoginThrottle(3);
  const start = 1_000_000;
  for (const name of ['a', 'b', 'c']) assert.equal(throttle.admit(name, '10.0.0.1', start), 0);
  assert.equal(throttle.admit('d', '10.0.0.1', start + 1000), 59);
  assert.equal(throttle.admit('d', '10.0.0.2', start + 1000), 0, 'another address is not affected');
  assert.equal(throttle.admit('d', '10.0.0.1', start + 60_000), 0, 'the window passes');
});

test('an account locks after five failures until its window passes, and a success clears it', () => {
  const throttle = new LoginThrottle(1000);
  const start = 5_000_000;
  for (let i = 0; i < 5; i += 1) throttle.failed('alice', start);
  assert.ok(throttle.admit('alice', '10.0.0.3', start) > 0);
  assert.equal(throttle.admit('alice', '10.0.0.3', start + 15 * 60_000), 0);
  throttle.failed('bob', start);
  throttle.succeeded('bob');
  for (let i = 0; i < 4; i += 1) throttle.failed('bob', start);
  assert.equal(throttle.admit('bob', '10.0.0.3', start), 0, 'failures before a success do not count');
});
