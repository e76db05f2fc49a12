import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnclaveClient } from '@enclave/sdk';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';
import { buildUser } from '@enclave/testkit';

describeEachBackend('users', (server) => {
  test('an admin creates a user who can then sign in', async () => {
    const { user } = await server().admin.client.endpoint('createUser')({
      body: { username: 'li.wei', password: 'correct horse battery', displayName: '李伟' },
    });
    assert.equal(user.username, 'li.wei');
    assert.equal(user.role, 'member');
    const client = new EnclaveClient({ baseUrl: server().url });
    assert.equal((await client.login('li.wei', 'correct horse battery')).user.id, user.id);
  });

  test('only an admin creates users', async () => {
    const member = await buildUser(server());
    await rejectsWith(member.client.endpoint('createUser')({ body: { username: 'sneaky', password: 'long enough pw', displayName: 'S' } }), 'ADMIN_REQUIRED', 403);
  });

  test('refuses a taken username and a malformed one, naming the field', async () => {
    const existing = await buildUser(server());
    await rejectsWith(server().admin.client.endpoint('createUser')({ body: { username: existing.username, password: 'long enough pw', displayName: 'X' } }), 'USERNAME_TAKEN', 409);
    const bad = await rejectsWith(server().admin.client.endpoint('createUser')({ body: { username: 'Has Spaces', password: 'x'.repeat(300), displayName: 'X' } }), 'VALIDATION_FAILED', 400);
    const fields = (bad.data?.issues as { path: string }[]).map((issue) => issue.path).sort();
    assert.deepEqual(fields, ['password', 'username']);
  });

  test('the directory lists and searches people', async () => {
    const zhang = await buildUser(server(), { displayName: '张三 Zhang' });
    const { users } = await zhang.client.endpoint('listUsers')({ query: { q: 'zhang' } });
    assert.ok(users.some((u) => u.id === zhang.user.id));
    const all = await zhang.client.endpoint('listUsers')();
    assert.ok(all.users.length >= 2);
    const wildcard = await zhang.client.endpoint('listUsers')({ query: { q: '%' } });
    assert.equal(wildcard.users.length, 0, 'a LIKE wildcard in the search is taken literally');
  });

  test('an admin changes a role; the last admin cannot be demoted', async () => {
    const member = await buildUser(server());
    const promoted = await server().admin.client.endpoint('updateUser')({ params: { userId: member.user.id }, body: { role: 'admin' } });
    assert.equal(promoted.user.role, 'admin');
    await member.client.endpoint('updateUser')({ params: { userId: member.user.id }, body: { role: 'member' } });
    await rejectsWith(
      server().admin.client.endpoint('updateUser')({ params: { userId: server().admin.user.id }, body: { role: 'member' } }),
      'LAST_ADMIN',
      409,
    );
  });

  test('resetting a password signs the user out everywhere', async () => {
    const member = await buildUser(server());
    await server().admin.client.endpoint('resetPassword')({ params: { userId: member.user.id }, body: { password: 'brand new password' } });
    await rejectsWith(member.client.endpoint('me')(), 'UNAUTHENTICATED', 401);
    const again = new EnclaveClient({ baseUrl: server().url });
    await rejectsWith(again.login(member.username, member.password), 'INVALID_CREDENTIALS');
    assert.equal((await again.login(member.username, 'brand new password')).user.id, member.user.id);
  });

  test('unknown users are reported as such', async () => {
    await rejectsWith(server().admin.client.endpoint('getUser')({ params: { userId: 'nope' } }), 'USER_NOT_FOUND', 404);
  });
});
