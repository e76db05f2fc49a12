import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';

describeEachBackend('rooms', (server) => {
  test('creates a private group with members, the creator as owner', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const { room } = await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: 'Project 星', memberIds: [bob.user.id] } });
    assert.equal(room.memberCount, 2);
    const { members } = await bob.client.endpoint('listMembers')({ params: { roomId: room.id } });
    assert.deepEqual(members.map((m) => [m.userId, m.role]).sort(), [[alice.user.id, 'owner'], [bob.user.id, 'member']].sort());
    const bobsRooms = await bob.client.endpoint('listRooms')();
    assert.deepEqual(bobsRooms.rooms.map((r) => [r.id, r.myRole]), [[room.id, 'member']]);
  });

  test('one pair has one direct message room', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const first = await alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [bob.user.id] } });
    const again = await bob.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [alice.user.id] } });
    assert.equal(first.room.id, again.room.id);
    assert.equal(first.room.name, null);
    const summary = await alice.client.endpoint('getRoom')({ params: { roomId: first.room.id } });
    assert.equal(summary.room.dmPeerId, bob.user.id);
    await rejectsWith(alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [] } }), 'DM_MEMBERS_INVALID', 400);
    await rejectsWith(alice.client.endpoint('addMembers')({ params: { roomId: first.room.id }, body: { userIds: [(await buildUser(server())).user.id] } }), 'ROOM_KIND_FORBIDS', 409);
  });

  test('refuses unknown members and names them, creating nothing', async () => {
    const alice = await buildUser(server());
    const error = await rejectsWith(alice.client.endpoint('createRoom')({ body: { kind: 'group', name: 'ghosts', memberIds: ['ghost-1'] } }), 'USER_NOT_FOUND', 404);
    assert.deepEqual(error.data?.userIds, ['ghost-1']);
    assert.equal((await alice.client.endpoint('listRooms')()).rooms.length, 0);
  });

  test('channels are listed for everyone and can be joined; groups stay hidden', async () => {
    const alice = await buildUser(server());
    const carol = await buildUser(server());
    const channel = await buildRoom(server(), { owner: alice.client, kind: 'channel', name: 'general-' + alice.user.id.slice(0, 4) });
    const group = await buildRoom(server(), { owner: alice.client, kind: 'group' });
    const directory = await carol.client.endpoint('listChannels')();
    const listed = directory.channels.find((c) => c.id === channel.id);
    assert.equal(listed?.joined, false);
    assert.ok(!directory.channels.some((c) => c.id === group.id));
    const joined = await carol.client.endpoint('joinChannel')({ params: { roomId: channel.id } });
    assert.equal(joined.room.memberCount, 2);
    await rejectsWith(carol.client.endpoint('joinChannel')({ params: { roomId: group.id } }), 'ROOM_NOT_FOUND', 404);
  });

  test('in a group only owners add members; in a channel any member may', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const carol = await buildUser(server());
    const group = await buildRoom(server(), { owner: alice.client, kind: 'group', members: [bob.user] });
    await rejectsWith(bob.client.endpoint('addMembers')({ params: { roomId: group.id }, body: { userIds: [carol.user.id] } }), 'FORBIDDEN', 403);
    const channel = await buildRoom(server(), { owner: alice.client, kind: 'channel', members: [bob.user] });
    const added = await bob.client.endpoint('addMembers')({ params: { roomId: channel.id }, body: { userIds: [carol.user.id] } });
    assert.equal(added.room.memberCount, 3);
  });

  test('members leave, owners remove, and the last owner cannot walk away from others', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const carol = await buildUser(server());
    const group = await buildRoom(server(), { owner: alice.client, members: [bob.user, carol.user] });
    await rejectsWith(bob.client.endpoint('removeMember')({ params: { roomId: group.id, userId: carol.user.id } }), 'FORBIDDEN', 403);
    await bob.client.endpoint('removeMember')({ params: { roomId: group.id, userId: bob.user.id } });
    await rejectsWith(bob.client.endpoint('listMessages')({ params: { roomId: group.id } }), 'ROOM_NOT_FOUND', 404);
    await rejectsWith(alice.client.endpoint('removeMember')({ params: { roomId: group.id, userId: alice.user.id } }), 'LAST_OWNER', 409);
    await alice.client.endpoint('removeMember')({ params: { roomId: group.id, userId: carol.user.id } });
    assert.equal((await alice.client.endpoint('getRoom')({ params: { roomId: group.id } })).room.memberCount, 1);
  });

  test('unread counts follow messages from others and the read position', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    await bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'mine does not count' } });
    const sent = [];
    for (let i = 0; i < 3; i += 1) sent.push((await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `m${i}` } })).message);
    const unread = async () => (await bob.client.endpoint('listRooms')()).rooms.find((r) => r.id === room.id)?.unreadCount;
    assert.equal(await unread(), 3);
    const marked = await bob.client.endpoint('markRead')({ params: { roomId: room.id }, body: { messageId: sent[1]!.id } });
    assert.equal(marked.unreadCount, 1);
    assert.equal(await unread(), 1);
    const backwards = await bob.client.endpoint('markRead')({ params: { roomId: room.id }, body: { messageId: sent[0]!.id } });
    assert.equal(backwards.lastReadPosition, sent[1]!.position, 'the read position never moves back');
    await rejectsWith(bob.client.endpoint('markRead')({ params: { roomId: room.id }, body: { messageId: 'nope' } }), 'VALIDATION_FAILED', 400);
  });

  test('the room list names the log position it reflects', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const first = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'counted in the list' } });
    const list = await bob.client.endpoint('listRooms')();
    assert.ok(list.position >= first.message.position);
    assert.equal(list.rooms.find((r) => r.id === room.id)?.unreadCount, 1);
    const later = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'after the list' } });
    assert.ok(later.message.position > list.position);
  });
});
