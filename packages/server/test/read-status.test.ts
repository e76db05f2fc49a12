import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';

describeEachBackend('read status', (server) => {
  test('the author sees who read their message and when, live', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const carol = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user, carol.user] });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'please read' } });
    const authorStream = await openStream(alice.client);
    const before = await alice.client.endpoint('messageReaders')({ params: { messageId: message.id } });
    assert.deepEqual(before, { readers: [], memberCount: 2 });
    await bob.client.endpoint('markRead')({ params: { roomId: room.id }, body: { messageId: message.id } });
    await authorStream.waitFor(
      (events) => events.some((e) => e.type === 'room.read_by' && e.userId === bob.user.id && e.lastReadPosition === message.position),
      'room.read_by for bob',
    );
    const after = await alice.client.endpoint('messageReaders')({ params: { messageId: message.id } });
    assert.deepEqual(after.readers.map((r) => r.userId), [bob.user.id]);
    assert.ok(Date.parse(after.readers[0]!.readAt) >= Date.parse(message.createdAt));
    assert.equal(after.memberCount, 2);
    authorStream.close();
  });

  test('a later read covers earlier messages, and the read positions list every member', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const first = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'one' } });
    const second = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'two' } });
    await bob.client.endpoint('markRead')({ params: { roomId: room.id }, body: { messageId: second.message.id } });
    const readers = await alice.client.endpoint('messageReaders')({ params: { messageId: first.message.id } });
    assert.deepEqual(readers.readers.map((r) => r.userId), [bob.user.id]);
    const { positions } = await alice.client.endpoint('readPositions')({ params: { roomId: room.id } });
    const byUser = new Map(positions.map((p) => [p.userId, p.lastReadPosition]));
    assert.equal(byUser.get(bob.user.id), second.message.position);
    assert.equal(byUser.get(alice.user.id), 0);
  });

  test('a non-member cannot read the read positions', async () => {
    const alice = await buildUser(server());
    const mallory = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    await rejectsWith(mallory.client.endpoint('readPositions')({ params: { roomId: room.id } }), 'ROOM_NOT_FOUND', 404);
  });
});
