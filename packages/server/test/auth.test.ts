import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnclaveClient } from '@enclave/sdk';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';
import { buildUser } from '@enclave/testkit';
import { guessUntilHeldBack, signInFrom } from './from-address';

describeEachBackend('auth', (server) => {
  test('signs in with username and password and answers who I am', async () => {
    const alice = await buildUser(server(), { displayName: 'Alice Zhang' });
    const client = new EnclaveClient({ baseUrl: server().url });
    const login = await client.login(alice.username, alice.password);
    assert.ok(login.token && login.token.length >= 40);
    assert.deepEqual(login.user, alice.user);
    const me = await client.endpoint('me')();
    assert.equal(me.user.displayName, 'Alice Zhang');
    assert.equal(me.sessionId, login.sessionId);
  });

  test('keeps only hashes of passwords and session tokens', async () => {
    const alice = await buildUser(server());
    const db = server().running.database.db;
    const user = await db.selectFrom('users').select('password_hash').where('id', '=', alice.user.id).executeTakeFirstOrThrow();
    assert.match(user.password_hash, /^scrypt\$/);
    assert.ok(!user.password_hash.includes(alice.password));
    const sessions = await db.selectFrom('sessions').select('token_hash').where('user_id', '=', alice.user.id).execute();
    assert.ok(sessions.length > 0);
    for (const session of sessions) assert.notEqual(session.token_hash, alice.client.currentToken);
  });

  test('a wrong password and an unknown user get the same answer', async () => {
    const alice = await buildUser(server());
    const client = new EnclaveClient({ baseUrl: server().url });
    const wrong = await rejectsWith(client.login(alice.username, 'wrong password'), 'INVALID_CREDENTIALS', 401);
    const unknown = await rejectsWith(client.login('nobody-here', 'wrong password'), 'INVALID_CREDENTIALS', 401);
    assert.equal(wrong.message, unknown.message);
  });

  test('an address that keeps guessing an account is made to wait, even with the right password', async () => {
    const alice = await buildUser(server());
    const client = new EnclaveClient({ baseUrl: server().url });
    const guesses = await guessUntilHeldBack(server(), '127.0.20.1', alice.username);
    assert.equal(guesses.at(-1)!.body.error?.code, 'RATE_LIMITED');
    const limited = await signInFrom(server(), '127.0.20.1', alice.username, alice.password);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.body.error?.data?.retryAfterSeconds) > 0);
    assert.equal((await client.login(alice.username, alice.password)).user.id, alice.user.id, 'another address is not held back');
  });

  test('logging out ends the session; other devices stay signed in', async () => {
    const alice = await buildUser(server());
    const phone = new EnclaveClient({ baseUrl: server().url });
    await phone.login(alice.username, alice.password);
    await alice.client.endpoint('logout')();
    await rejectsWith(alice.client.endpoint('me')(), 'UNAUTHENTICATED', 401);
    assert.equal((await phone.endpoint('me')()).user.id, alice.user.id);
  });

  test('lists my devices and revokes one of them, but not somebody else’s', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const laptop = new EnclaveClient({ baseUrl: server().url });
    const laptopLogin = await laptop.login(alice.username, alice.password);
    const { sessions } = await alice.client.endpoint('listSessions')();
    assert.equal(sessions.length, 2);
    assert.equal(sessions.filter((s) => s.current).length, 1);
    await rejectsWith(bob.client.endpoint('revokeSession')({ params: { sessionId: laptopLogin.sessionId } }), 'SESSION_NOT_FOUND', 404);
    await alice.client.endpoint('revokeSession')({ params: { sessionId: laptopLogin.sessionId } });
    await rejectsWith(laptop.endpoint('me')(), 'UNAUTHENTICATED', 401);
  });

  test('signs out all other devices and keeps this one', async () => {
    const alice = await buildUser(server());
    const phone = new EnclaveClient({ baseUrl: server().url });
    const tablet = new EnclaveClient({ baseUrl: server().url });
    await phone.login(alice.username, alice.password);
    await tablet.login(alice.username, alice.password);
    assert.deepEqual(await alice.client.endpoint('revokeOtherSessions')(), { revoked: 2 });
    await rejectsWith(phone.endpoint('me')(), 'UNAUTHENTICATED', 401);
    await rejectsWith(tablet.endpoint('me')(), 'UNAUTHENTICATED', 401);
    const { sessions } = await alice.client.endpoint('listSessions')();
    assert.deepEqual(sessions.map((s) => s.current), [true]);
  });

  test('the web client gets an HttpOnly, SameSite=Strict cookie and no token in the body', async () => {
    const alice = await buildUser(server());
    const response = await fetch(`${server().url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: alice.username, password: alice.password, useCookie: true }),
    });
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.token, undefined);
    const cookie = response.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^enclave_session=[\w-]{40,};/);
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Strict/);
    const me = await fetch(`${server().url}/api/v1/auth/me`, { headers: { cookie: cookie.split(';')[0]! } });
    assert.equal(me.status, 200);
  });

  test('every answer carries a strict content security policy and the usual security headers', async () => {
    for (const path of ['/healthz', '/api/v1/auth/me', '/api/v1/openapi.json']) {
      const response = await fetch(`${server().url}${path}`);
      assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
    }
  });
});
