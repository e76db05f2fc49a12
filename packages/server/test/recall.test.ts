import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { storedMessageText } from './stored-text';

describeEachBackend('recall', (server) => {
  test('the author recalls a message in the window; members see it recalled, storage keeps it, the audit log says so', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `wrong group, sorry @${bob.username}` } });
    await bob.client.endpoint('addReaction')({ params: { messageId: message.id, emoji: '👀' } });
    const live = await openStream(bob.client);
    await rejectsWith(bob.client.endpoint('recallMessage')({ params: { messageId: message.id } }), 'NOT_MESSAGE_AUTHOR', 403);
    const recalled = await alice.client.endpoint('recallMessage')({ params: { messageId: message.id } });
    assert.deepEqual([recalled.message.recalled, recalled.message.text, recalled.message.reactions, recalled.message.mentions], [true, '', [], []]);
    await live.waitFor((events) => events.some((e) => e.type === 'message.updated' && e.message.id === message.id && e.message.recalled), 'message.updated');
    const seen = (await bob.client.endpoint('listMessages')({ params: { roomId: room.id } })).messages[0]!;
    assert.deepEqual([seen.recalled, seen.text], [true, '']);
    assert.equal((await bob.client.endpoint('listMentions')()).messages.length, 0, 'a recalled mention leaves the mentions view');
    const db = server().running.database.db;
    const stored = await db.selectFrom('messages').select('recalled_at').where('id', '=', message.id).executeTakeFirstOrThrow();
    assert.deepEqual(await storedMessageText(server(), message.id), { sealed: true, text: `wrong group, sorry @${bob.username}` });
    assert.ok(stored.recalled_at);
    assert.equal((await db.selectFrom('audit_log').select('action').where('target_id', '=', message.id).where('action', '=', 'message.recalled').execute()).length, 1);
    await rejectsWith(alice.client.endpoint('recallMessage')({ params: { messageId: message.id } }), 'MESSAGE_RECALLED', 409);
    await rejectsWith(alice.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: 'again' } }), 'MESSAGE_RECALLED', 409);
    live.close();
  });

  test('after the window a recall is refused, and the window follows the organisation setting', async () => {
    const alice = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'old news' } });
    await server().admin.client.endpoint('updateAdminSettings')({ body: { recallWindowSeconds: 0 } });
    try {
      assert.equal((await alice.client.endpoint('me')()).recallWindowSeconds, 0);
      const refused = await rejectsWith(alice.client.endpoint('recallMessage')({ params: { messageId: message.id } }), 'RECALL_WINDOW_PASSED', 409);
      assert.deepEqual(refused.data, { windowSeconds: 0 });
    } finally {
      await server().admin.client.endpoint('updateAdminSettings')({ body: { recallWindowSeconds: 120 } });
    }
    assert.equal((await alice.client.endpoint('me')()).recallWindowSeconds, 120);
    const recalled = await alice.client.endpoint('recallMessage')({ params: { messageId: message.id } });
    assert.equal(recalled.message.recalled, true);
  });
});
