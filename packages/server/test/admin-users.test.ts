import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnclaveClient } from '@enclave/sdk';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream } from './harness';
import { buildUser } from '@enclave/testkit';

describeEachBackend('admin: users', (server) => {
  test('the directory pages by cursor, every person exactly once', async () => {
    const prefix = `page${Date.now().toString(36)}`;
    for (let i = 0; i < 5; i += 1) {
      await server().admin.client.endpoint('createUser')({ body: { username: `${prefix}-${i}`, password: 'long enough pw', displayName: `Paged ${i}` } });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await server().admin.client.endpoint('listUsers')({ query: { q: prefix, limit: 2, ...(cursor ? { cursor } : {}) } });
      seen.push(...page.users.map((u) => u.username));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [0, 1, 2, 3, 4].map((i) => `${prefix}-${i}`));
  });

  test('disabling ends the sessions and streams; signing in then says USER_DISABLED; enabling lets them back', async () => {
    const alice = await buildUser(server());
    const recorded = await openStream(alice.client);
    const { user } = await server().admin.client.endpoint('disableUser')({ params: { userId: alice.user.id } });
    assert.equal(user.disabled, true);
    await rejectsWith(alice.client.endpoint('me')(), 'UNAUTHENTICATED', 401);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (recorded.states.includes('closed')) {
          clearInterval(check);
          resolve();
        }
      }, 10);
    });
    const again = new EnclaveClient({ baseUrl: server().url });
    await rejectsWith(again.login(alice.username, alice.password), 'USER_DISABLED', 403);
    await rejectsWith(again.login(alice.username, 'a wrong password'), 'INVALID_CREDENTIALS', 401);
    const stored = await server().running.database.db.selectFrom('sessions').select('revoked_at').where('user_id', '=', alice.user.id).execute();
    assert.ok(stored.every((s) => s.revoked_at !== null));

    const enabled = await server().admin.client.endpoint('enableUser')({ params: { userId: alice.user.id } });
    assert.equal(enabled.user.disabled, false);
    assert.equal((await again.login(alice.username, alice.password)).user.id, alice.user.id);
  });

  test('the last active admin can be neither disabled nor demoted; a disabled admin does not count', async () => {
    const admin = server().admin;
    await rejectsWith(admin.client.endpoint('disableUser')({ params: { userId: admin.user.id } }), 'LAST_ADMIN', 409);
    const second = await buildUser(server(), { role: 'admin' });
    await admin.client.endpoint('disableUser')({ params: { userId: second.user.id } });
    await rejectsWith(admin.client.endpoint('updateUser')({ params: { userId: admin.user.id }, body: { role: 'member' } }), 'LAST_ADMIN', 409);
    await admin.client.endpoint('enableUser')({ params: { userId: second.user.id } });
  });

  test('only an admin disables or enables, and both are audited', async () => {
    const bob = await buildUser(server());
    const carol = await buildUser(server());
    await rejectsWith(bob.client.endpoint('disableUser')({ params: { userId: carol.user.id } }), 'ADMIN_REQUIRED', 403);
    await server().admin.client.endpoint('disableUser')({ params: { userId: carol.user.id } });
    await server().admin.client.endpoint('enableUser')({ params: { userId: carol.user.id } });
    await rejectsWith(server().admin.client.endpoint('disableUser')({ params: { userId: 'nobody' } }), 'USER_NOT_FOUND', 404);
    const actions = await server().running.database.db.selectFrom('audit_log').select('action').where('target_id', '=', carol.user.id).orderBy('seq').execute();
    assert.deepEqual(actions.map((a) => a.action), ['user.created', 'user.disabled', 'user.enabled']);
  });
});
