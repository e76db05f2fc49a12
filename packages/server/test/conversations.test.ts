import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { storedMessageText, storedVersions } from './stored-text';

describeEachBackend('conversations', (server) => {
  test('the author edits a message; the room sees it live and the earlier text is kept', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'first draft' } });
    const live = await openStream(bob.client);
    const edited = await alice.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: 'final text' } });
    assert.equal(edited.message.text, 'final text');
    assert.ok(edited.message.editedAt);
    await live.waitFor((events) => events.some((e) => e.type === 'message.updated' && e.message.text === 'final text'), 'message.updated');
    assert.deepEqual(await storedVersions(server(), message.id), [{ version: 1, sealed: true, text: 'first draft' }]);
    await rejectsWith(bob.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: 'hijack' } }), 'NOT_MESSAGE_AUTHOR', 403);
    live.close();
  });

  test('a deleted message is hidden from members but kept in storage', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'oops, wrong group' } });
    await rejectsWith(bob.client.endpoint('deleteMessage')({ params: { messageId: message.id } }), 'NOT_MESSAGE_AUTHOR', 403);
    await alice.client.endpoint('deleteMessage')({ params: { messageId: message.id } });
    const history = await bob.client.endpoint('listMessages')({ params: { roomId: room.id } });
    assert.deepEqual(history.messages.map((m) => [m.id, m.text, m.deleted]), [[message.id, '', true]]);
    const stored = await server().running.database.db.selectFrom('messages').select('deleted_at').where('id', '=', message.id).executeTakeFirstOrThrow();
    assert.deepEqual(await storedMessageText(server(), message.id), { sealed: true, text: 'oops, wrong group' });
    assert.ok(stored.deleted_at);
    await rejectsWith(alice.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: 'again' } }), 'MESSAGE_DELETED', 409);
  });

  test('reactions are added once per person and emoji, removed, and told to the room', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'lunch?' } });
    const live = await openStream(alice.client);
    await bob.client.endpoint('addReaction')({ params: { messageId: message.id, emoji: '👍' } });
    await bob.client.endpoint('addReaction')({ params: { messageId: message.id, emoji: '👍' } });
    const after = await alice.client.endpoint('addReaction')({ params: { messageId: message.id, emoji: '👍' } });
    assert.deepEqual(after.message.reactions, [{ emoji: '👍', count: 2, userIds: [bob.user.id, alice.user.id] }]);
    await live.waitFor((events) => events.some((e) => e.type === 'reactions.changed' && e.reactions[0]?.count === 2), 'reactions.changed');
    const removed = await bob.client.endpoint('removeReaction')({ params: { messageId: message.id, emoji: '👍' } });
    assert.deepEqual(removed.message.reactions, [{ emoji: '👍', count: 1, userIds: [alice.user.id] }]);
    await rejectsWith(bob.client.endpoint('addReaction')({ params: { messageId: message.id, emoji: 'notanemoji' } }), 'VALIDATION_FAILED', 400);
    live.close();
  });

  test('members pin and unpin messages and list the pins', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'the agenda' } });
    const pinned = await bob.client.endpoint('pinMessage')({ params: { messageId: message.id } });
    assert.equal(pinned.message.pinned, true);
    assert.deepEqual((await alice.client.endpoint('listPins')({ params: { roomId: room.id } })).messages.map((m) => m.id), [message.id]);
    await bob.client.endpoint('unpinMessage')({ params: { messageId: message.id } });
    assert.equal((await alice.client.endpoint('listPins')({ params: { roomId: room.id } })).messages.length, 0);
  });

  test('a thread root counts its replies; a reply can also go to the room', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const root = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'proposal' } });
    const live = await openStream(alice.client);
    await bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'in the thread', threadRootId: root.message.id } });
    await bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'for everyone', threadRootId: root.message.id, alsoSendToRoom: true } });
    await live.waitFor((events) => events.some((e) => e.type === 'message.updated' && e.message.id === root.message.id && e.message.replyCount === 2), 'root with 2 replies');
    const main = await alice.client.endpoint('listMessages')({ params: { roomId: room.id } });
    assert.deepEqual(main.messages.map((m) => [m.text, m.alsoInRoom]), [['for everyone', true], ['proposal', false]]);
    assert.equal(main.messages[1]?.replyCount, 2);
    await rejectsWith(bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'x', alsoSendToRoom: true } }), 'VALIDATION_FAILED', 400);
    live.close();
  });

  test('@mentions name members, count as unread mentions and fill the mentions view', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const outsider = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const sent = await alice.client.endpoint('sendMessage')({
      params: { roomId: room.id },
      body: { text: `@${bob.username}, please review. (cc @${outsider.username}, not a member; mail: a@${bob.username}.com)` },
    });
    assert.deepEqual(sent.message.mentions, [bob.user.id]);
    const summary = (await bob.client.endpoint('listRooms')()).rooms.find((r) => r.id === room.id);
    assert.equal(summary?.mentionCount, 1);
    const view = await bob.client.endpoint('listMentions')();
    assert.deepEqual(view.messages.map((m) => m.id), [sent.message.id]);
    await bob.client.endpoint('markRead')({ params: { roomId: room.id }, body: { messageId: sent.message.id } });
    assert.equal((await bob.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.mentionCount, 0);
  });

  test('@all is for owners in rooms of more than two people', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const carol = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user, carol.user] });
    await rejectsWith(bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'hey @all' } }), 'MENTION_ALL_FORBIDDEN', 403);
    const everyone = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'meeting now @all' } });
    assert.equal(everyone.message.mentionsAll, true);
    assert.equal((await carol.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.mentionCount, 1);
  });

  test('a group DM is started by picking people, and the same people get the same room', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const carol = await buildUser(server());
    const first = await alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [bob.user.id, carol.user.id] } });
    const again = await carol.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [alice.user.id, bob.user.id] } });
    assert.equal(first.room.id, again.room.id);
    const summary = (await bob.client.endpoint('getRoom')({ params: { roomId: first.room.id } })).room;
    assert.deepEqual([...summary.dmMemberIds].sort(), [alice.user.id, carol.user.id].sort());
    assert.equal(summary.dmPeerId, null);
    const nine = await Promise.all(Array.from({ length: 9 }, () => buildUser(server())));
    await rejectsWith(alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: nine.map((p) => p.user.id) } }), 'DM_MEMBERS_INVALID', 400);
  });

  test('owners rename a group and set its topic; members mute it for themselves', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const live = await openStream(bob.client);
    await rejectsWith(bob.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { name: 'mine now' } }), 'FORBIDDEN', 403);
    const updated = await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { name: 'Launch', topic: 'Ship on Friday' } });
    assert.deepEqual([updated.room.name, updated.room.topic], ['Launch', 'Ship on Friday']);
    await live.waitFor((events) => events.some((e) => e.type === 'room.updated' && e.room.topic === 'Ship on Friday'), 'room.updated');
    const muted = await bob.client.endpoint('muteRoom')({ params: { roomId: room.id }, body: { muted: true } });
    assert.equal(muted.room.muted, true);
    assert.equal((await alice.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.muted, false);
    live.close();
  });

  test('someone outside the room cannot touch its messages, and learns nothing about them', async () => {
    const alice = await buildUser(server());
    const mallory = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'private' } });
    const attempts = [
      () => mallory.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: 'x' } }),
      () => mallory.client.endpoint('deleteMessage')({ params: { messageId: message.id } }),
      () => mallory.client.endpoint('addReaction')({ params: { messageId: message.id, emoji: '😀' } }),
      () => mallory.client.endpoint('pinMessage')({ params: { messageId: message.id } }),
      () => mallory.client.endpoint('messageReaders')({ params: { messageId: message.id } }),
      () => mallory.client.endpoint('deleteMessage')({ params: { messageId: 'no-such-message' } }),
    ];
    for (const attempt of attempts) await rejectsWith(attempt(), 'MESSAGE_NOT_FOUND', 404);
  });

  test('unread counts follow the main timeline: thread-only replies do not count, replies sent to the room do', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const root = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'root' } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'thread only', threadRootId: root.message.id } });
    const shared = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'to all', threadRootId: root.message.id, alsoSendToRoom: true } });
    assert.equal((await bob.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.unreadCount, 2);
    const read = await bob.client.endpoint('markRead')({ params: { roomId: room.id }, body: { messageId: shared.message.id } });
    assert.deepEqual([read.unreadCount, read.mentionCount], [0, 0]);
  });
});
