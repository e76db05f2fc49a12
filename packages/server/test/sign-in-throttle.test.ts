import assert from 'node:assert/strict';
import { test } from 'node:test';
import { throttleDefaults } from '../src/auth/login-throttle';
import { timeStep, totpCode } from '../src/auth/totp';
import { guessUntilHeldBack, requestFrom, signInFrom } from './from-address';
import { describeEachBackend } from './harness';
import { buildUser } from '@enclave/testkit';

// Each test plays its machines from its own block of loopback addresses, so the suites never share a record.
describeEachBackend('sign-in throttle', (server) => {
  test('the owner signs in from a clean address while an attacker guessing the account from another is held back', async () => {
    const victim = await buildUser(server());
    const guesses = await guessUntilHeldBack(server(), '127.0.10.1', victim.username);
    const held = guesses.at(-1)!;
    assert.equal(held.body.error?.code, 'RATE_LIMITED');
    assert.ok(Number(held.body.error?.data?.retryAfterSeconds) > 0);
    assert.ok(guesses.length > throttleDefaults.freeFailuresPerAddress, 'the first guesses are answered, not refused');

    const owner = await signInFrom(server(), '127.0.10.2', victim.username, victim.password);
    assert.equal(owner.status, 200);
    assert.equal((await signInFrom(server(), '127.0.10.1', victim.username, victim.password)).status, 429, 'the guessing address waits even with the right password');
  });

  test('the attacker is held back longer the longer they keep guessing', async () => {
    const victim = await buildUser(server());
    const first = (await guessUntilHeldBack(server(), '127.0.11.1', victim.username)).at(-1)!;
    // Spread the same guess over more addresses: the account's own delay, shared by every failing address, grows.
    for (let i = 2; i < 2 + throttleDefaults.freeFailuresPerAccount; i += 1) await signInFrom(server(), `127.0.11.${i}`, victim.username, 'another wrong guess');
    const later = await signInFrom(server(), '127.0.11.1', victim.username, 'yet another guess');
    assert.equal(later.status, 429);
    assert.ok(Number(later.body.error?.data?.retryAfterSeconds) > Number(first.body.error?.data?.retryAfterSeconds));
  });

  test('an unknown username answers exactly like a known one, throttle included', async () => {
    const known = await buildUser(server());
    const knownAnswers = await guessUntilHeldBack(server(), '127.0.12.1', known.username);
    const unknownAnswers = await guessUntilHeldBack(server(), '127.0.12.2', `nobody-${known.username}`);
    for (const answers of [knownAnswers, unknownAnswers]) {
      const failures = answers.slice(0, -1);
      assert.ok(failures.every((answer) => answer.status === 401 && answer.body.error?.code === 'INVALID_CREDENTIALS'));
    }
    assert.deepEqual(unknownAnswers[0]!.body, knownAnswers[0]!.body);
    const strip = (answer: (typeof knownAnswers)[number]) => ({ status: answer.status, code: answer.body.error?.code, message: answer.body.error?.message, data: Object.keys(answer.body.error?.data ?? {}) });
    assert.deepEqual(strip(unknownAnswers.at(-1)!), strip(knownAnswers.at(-1)!));
  });

  test('a guess spread over many addresses is held back once each address has failed, but a clean address still gets in', async () => {
    const victim = await buildUser(server());
    const attackers = Array.from({ length: 2 * throttleDefaults.freeFailuresPerAccount }, (_, i) => `127.0.13.${i + 1}`);
    for (const address of attackers) assert.equal((await signInFrom(server(), address, victim.username, `guess from ${address}`)).status, 401);
    // Each attacker failed only once, far below its own limit: what holds it back is the account's count.
    const again = await signInFrom(server(), attackers[0]!, victim.username, 'a second guess');
    assert.equal(again.status, 429);
    assert.ok(Number(again.body.error?.data?.retryAfterSeconds) > 60);
    assert.equal((await signInFrom(server(), '127.0.13.200', victim.username, victim.password)).status, 200);
  });

  test('the second sign-in step is throttled the same way: wrong codes hold back their address, not the owner elsewhere', async () => {
    const victim = await buildUser(server());
    const { secret } = await victim.client.endpoint('enrolTwoFactor')();
    const code = (offset = 0) => totpCode(secret, timeStep(Date.now()) + offset);
    await victim.client.endpoint('confirmTwoFactor')({ body: { code: code() } });

    // Someone who has the password but not the phone guesses codes from one address.
    const first = await signInFrom(server(), '127.0.14.1', victim.username, victim.password);
    assert.equal(first.body.error?.code, 'TOTP_REQUIRED');
    const challenge = String(first.body.error?.data?.challenge);
    let held = false;
    for (let i = 0; i < 5 && !held; i += 1) {
      const answer = await requestFrom(server(), '127.0.14.1', 'POST', '/api/v1/auth/login/2fa', { challenge, code: code(10 + i) });
      held = answer.status === 429;
      if (!held) assert.equal(answer.body.error?.code, 'TOTP_INVALID');
    }
    assert.ok(held, 'wrong codes bring the throttle in before the challenge runs out');

    // The owner, with password and phone, from their own address.
    const owner = await signInFrom(server(), '127.0.14.2', victim.username, victim.password);
    const ownerChallenge = String(owner.body.error?.data?.challenge);
    const second = await requestFrom(server(), '127.0.14.2', 'POST', '/api/v1/auth/login/2fa', { challenge: ownerChallenge, code: code(1) });
    assert.equal(second.status, 200, JSON.stringify(second.body));
  });
});
