import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { EnclaveClient, type EnclaveApiError } from '@enclave/sdk';
import { timeStep, totpCode } from '../src/auth/totp';
import { rejectsWith } from './expect-error';
import { describeEachBackend, type TestServer } from './harness';
import { buildUser } from '@enclave/testkit';

/** The code an authenticator app would show now, `offset` steps away. */
function codeFor(secret: string, offset = 0): string {
  return totpCode(secret, timeStep(Date.now()) + offset);
}

/** A member with two-factor sign-in on; the secret and recovery codes are what the person would have noted. */
async function buildUserWithTwoFactor(server: TestServer) {
  const person = await buildUser(server);
  const { secret } = await person.client.endpoint('enrolTwoFactor')();
  const { recoveryCodes } = await person.client.endpoint('confirmTwoFactor')({ body: { code: codeFor(secret) } });
  return { ...person, secret, recoveryCodes };
}

/** Signs in up to the second step and answers the challenge from the TOTP_REQUIRED error. */
async function firstStep(server: TestServer, username: string, password: string): Promise<{ client: EnclaveClient; challenge: string }> {
  const client = new EnclaveClient({ baseUrl: server.url });
  const error: EnclaveApiError = await rejectsWith(client.login(username, password), 'TOTP_REQUIRED', 401);
  const challenge = error.data?.challenge;
  assert.equal(typeof challenge, 'string');
  return { client, challenge: challenge as string };
}

describeEachBackend('two-factor sign-in', (server) => {
  test('enrolment answers a secret, an otpauth URI and a QR code as SVG; the secret is stored encrypted', async () => {
    const alice = await buildUser(server());
    const enrol = await alice.client.endpoint('enrolTwoFactor')();
    assert.match(enrol.secret, /^[A-Z2-7]{32}$/);
    assert.match(enrol.uri, new RegExp(`^otpauth://totp/Enclave:${alice.username}\\?secret=${enrol.secret}&issuer=Enclave`));
    assert.match(enrol.qrSvg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    const row = await server().running.database.db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', alice.user.id).executeTakeFirstOrThrow();
    assert.ok(row.totp_secret?.startsWith('v1.'));
    assert.ok(!(row.totp_secret ?? '').includes(enrol.secret));
    assert.equal(row.totp_enabled_at, null, 'not on until confirmed');
    assert.equal((await alice.client.endpoint('me')()).twoFactor.enabled, false);
  });

  test('the encryption key is an installation data key wrapped by the master key: no second key file beside the data', async () => {
    assert.equal(existsSync(path.join(server().storageConfig.dataDir, 'secret.key')), false);
    const row = await server().running.database.db.selectFrom('data_keys').select(['owner', 'wrapped']).where('owner', '=', 'secrets').executeTakeFirstOrThrow();
    assert.ok(!Buffer.from(row.wrapped, 'base64url').includes(server().running.services.keys.key('secrets')), 'stored wrapped, never as it is');
  });

  test('confirming with a wrong code is refused; a right one answers ten recovery codes, stored hashed', async () => {
    const alice = await buildUser(server());
    const { secret } = await alice.client.endpoint('enrolTwoFactor')();
    await rejectsWith(alice.client.endpoint('confirmTwoFactor')({ body: { code: codeFor(secret, 5) } }), 'TOTP_INVALID', 401);
    const { recoveryCodes } = await alice.client.endpoint('confirmTwoFactor')({ body: { code: codeFor(secret) } });
    assert.equal(recoveryCodes.length, 10);
    assert.equal(new Set(recoveryCodes).size, 10);
    const stored = await server().running.database.db.selectFrom('totp_recovery_codes').select('code_hash').where('user_id', '=', alice.user.id).execute();
    const expected = recoveryCodes.map((code) => createHash('sha256').update(code.replace('-', '')).digest('hex')).sort();
    assert.deepEqual(stored.map((row) => row.code_hash).sort(), expected);
    assert.equal((await alice.client.endpoint('me')()).twoFactor.enabled, true);
    await rejectsWith(alice.client.endpoint('enrolTwoFactor')(), 'TOTP_ALREADY_ENABLED', 409);
  });

  test('sign-in then needs a second step with a current code, and the same code cannot be used twice', async () => {
    const alice = await buildUserWithTwoFactor(server());
    const first = await firstStep(server(), alice.username, alice.password);
    // The code that confirmed enrolment is spent.
    await rejectsWith(first.client.endpoint('loginTwoFactor')({ body: { challenge: first.challenge, code: codeFor(alice.secret) } }), 'TOTP_INVALID', 401);
    const login = await first.client.endpoint('loginTwoFactor')({ body: { challenge: first.challenge, code: codeFor(alice.secret, 1) } });
    assert.ok(login.token);
    assert.equal(login.user.id, alice.user.id);

    const second = await firstStep(server(), alice.username, alice.password);
    await rejectsWith(second.client.endpoint('loginTwoFactor')({ body: { challenge: second.challenge, code: codeFor(alice.secret, 1) } }), 'TOTP_INVALID', 401);
  });

  test('a challenge is single-use and bound to its user', async () => {
    const alice = await buildUserWithTwoFactor(server());
    const { client, challenge } = await firstStep(server(), alice.username, alice.password);
    await client.endpoint('loginTwoFactor')({ body: { challenge, recoveryCode: alice.recoveryCodes[0]! } });
    await rejectsWith(client.endpoint('loginTwoFactor')({ body: { challenge, recoveryCode: alice.recoveryCodes[1]! } }), 'UNAUTHENTICATED', 401);
    await rejectsWith(client.endpoint('loginTwoFactor')({ body: { challenge: 'made-up', code: '123456' } }), 'UNAUTHENTICATED', 401);
    const stored = await server().running.database.db.selectFrom('login_challenges').select('token_hash').execute();
    assert.ok(stored.every((row) => row.token_hash !== challenge), 'only hashes of challenges are stored');
  });

  test('a recovery code signs in once, in any case and spacing; the second time it fails', async () => {
    const alice = await buildUserWithTwoFactor(server());
    const code = alice.recoveryCodes[3]!;
    const first = await firstStep(server(), alice.username, alice.password);
    const login = await first.client.endpoint('loginTwoFactor')({ body: { challenge: first.challenge, recoveryCode: ` ${code.toUpperCase()} ` } });
    assert.equal(login.user.id, alice.user.id);
    const again = await firstStep(server(), alice.username, alice.password);
    await rejectsWith(again.client.endpoint('loginTwoFactor')({ body: { challenge: again.challenge, recoveryCode: code } }), 'TOTP_INVALID', 401);
    const used = await server().running.database.db.selectFrom('totp_recovery_codes').select('used_at').where('user_id', '=', alice.user.id).where('used_at', 'is not', null).execute();
    assert.equal(used.length, 1);
  });

  test('wrong codes count against the sign-in throttle, so the address guessing them soon has to wait', async () => {
    const alice = await buildUserWithTwoFactor(server());
    const { client, challenge } = await firstStep(server(), alice.username, alice.password);
    const answers: string[] = [];
    for (let i = 0; i < 5 && answers.at(-1) !== 'RATE_LIMITED'; i += 1) {
      answers.push(await client.endpoint('loginTwoFactor')({ body: { challenge, code: codeFor(alice.secret, 10 + i) } }).then(() => 'signed in', (error: EnclaveApiError) => error.code));
    }
    assert.equal(answers.at(-1), 'RATE_LIMITED', answers.join(', '));
    assert.ok(answers.slice(0, -1).every((answer) => answer === 'TOTP_INVALID'));
    await rejectsWith(client.login(alice.username, alice.password), 'RATE_LIMITED', 429);
  });

});

// A suite of its own: every sign-in counts against the one test address's limit of 30 a minute.
describeEachBackend('two-factor sign-in, continued', (server) => {
  test('the second step answers a cookie session for the web client', async () => {
    const alice = await buildUserWithTwoFactor(server());
    const { challenge } = await firstStep(server(), alice.username, alice.password);
    const response = await fetch(`${server().url}/api/v1/auth/login/2fa`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ challenge, code: codeFor(alice.secret, 1), useCookie: true }),
    });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { token?: string }).token, undefined);
    assert.match(response.headers.get('set-cookie') ?? '', /^enclave_session=[\w-]{40,};.*HttpOnly/);
  });

  test('disabling needs a current code and removes the secret and recovery codes', async () => {
    const alice = await buildUserWithTwoFactor(server());
    await rejectsWith(alice.client.endpoint('disableTwoFactor')({ body: { code: codeFor(alice.secret, 5) } }), 'TOTP_INVALID', 401);
    await alice.client.endpoint('disableTwoFactor')({ body: { code: codeFor(alice.secret, 1) } });
    const db = server().running.database.db;
    const row = await db.selectFrom('users').select(['totp_secret', 'totp_enabled_at']).where('id', '=', alice.user.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { totp_secret: null, totp_enabled_at: null });
    assert.equal((await db.selectFrom('totp_recovery_codes').select('code_hash').where('user_id', '=', alice.user.id).execute()).length, 0);
    assert.equal((await new EnclaveClient({ baseUrl: server().url }).login(alice.username, alice.password)).user.id, alice.user.id);
    await rejectsWith(alice.client.endpoint('disableTwoFactor')({ body: { code: codeFor(alice.secret, 1) } }), 'TOTP_NOT_ENABLED', 409);
  });

  test('an admin resets a member’s two-factor sign-in; a member cannot', async () => {
    const alice = await buildUserWithTwoFactor(server());
    const bob = await buildUser(server());
    await rejectsWith(bob.client.endpoint('resetTwoFactor')({ params: { userId: alice.user.id } }), 'ADMIN_REQUIRED', 403);
    await server().admin.client.endpoint('resetTwoFactor')({ params: { userId: alice.user.id } });
    assert.equal((await new EnclaveClient({ baseUrl: server().url }).login(alice.username, alice.password)).user.id, alice.user.id);
  });

  test('every two-factor action is audited, and no secret reaches the audit log', async () => {
    const alice = await buildUserWithTwoFactor(server());
    const { client, challenge } = await firstStep(server(), alice.username, alice.password);
    await rejectsWith(client.endpoint('loginTwoFactor')({ body: { challenge, code: codeFor(alice.secret, 9) } }), 'TOTP_INVALID');
    await client.endpoint('loginTwoFactor')({ body: { challenge, recoveryCode: alice.recoveryCodes[0]! } });
    const entries = await server().running.database.db.selectFrom('audit_log').select(['action', 'data']).where('actor_id', '=', alice.user.id).orderBy('seq').execute();
    const actions = entries.map((entry) => entry.action);
    for (const action of ['two_factor.enrolment_started', 'two_factor.enabled', 'auth.second_factor_failed', 'two_factor.recovery_code_used']) assert.ok(actions.includes(action), action);
    const text = JSON.stringify(entries);
    assert.ok(!text.includes(alice.secret) && !text.includes(alice.recoveryCodes[0]!));
  });
});

describeEachBackend('organisation-required two-factor sign-in', (server) => {
  test('a member without it may only enrol until they turn it on', async () => {
    const admin = server().admin.client;
    const { secret: adminSecret } = await admin.endpoint('enrolTwoFactor')();
    await admin.endpoint('confirmTwoFactor')({ body: { code: codeFor(adminSecret) } });
    const alice = await buildUser(server());
    const { settings } = await admin.endpoint('updateAdminSettings')({ body: { requireTwoFactor: true } });
    assert.equal(settings.requireTwoFactor, true);

    await rejectsWith(alice.client.endpoint('listUsers')(), 'TOTP_ENROLMENT_REQUIRED', 403);
    await rejectsWith(alice.client.endpoint('listSessions')(), 'TOTP_ENROLMENT_REQUIRED', 403);
    assert.deepEqual((await alice.client.endpoint('me')()).twoFactor, { enabled: false, required: true });
    const { secret } = await alice.client.endpoint('enrolTwoFactor')();
    await alice.client.endpoint('confirmTwoFactor')({ body: { code: codeFor(secret) } });
    assert.ok((await alice.client.endpoint('listUsers')()).users.length > 0);

    const current = (await admin.endpoint('getAdminSettings')()).settings;
    assert.deepEqual([current.requireTwoFactor, current.recallWindowSeconds], [true, 120]);
    await admin.endpoint('updateAdminSettings')({ body: { requireTwoFactor: false } });
    const actions = await server().running.database.db.selectFrom('audit_log').select('action').where('action', '=', 'settings.updated').execute();
    assert.equal(actions.length, 2);
  });

  test('only an admin reads or changes the settings', async () => {
    const bob = await buildUser(server());
    await rejectsWith(bob.client.endpoint('getAdminSettings')(), 'ADMIN_REQUIRED', 403);
    await rejectsWith(bob.client.endpoint('updateAdminSettings')({ body: { requireTwoFactor: false } }), 'ADMIN_REQUIRED', 403);
  });
});
