import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';

/** The compliance officer's room picker: every room by name, metadata only, and no one else's list. */
describeEachBackend('the compliance officer room list', (server) => {
  test('an officer finds rooms by name and direct messages by their people, with metadata and no content', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server(), { displayName: 'Alice Quartermain' });
    const bob = await buildUser(server(), { displayName: 'Bob Oddly' });
    const group = await buildRoom(server(), { owner: alice.client, name: 'Quarterly numbers', members: [bob.user] });
    await alice.client.endpoint('updateRoom')({ params: { roomId: group.id }, body: { topic: 'the topic is not for the picker' } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: group.id }, body: { text: 'quartermain secret plan' } });
    const { room: dm } = await alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [bob.user.id] } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: dm.id }, body: { text: 'zebra words only the two of us know' } });

    const list = (q: string) => officer.client.endpoint('officerListRooms')({ query: { q } });
    const byName = await list('quarterly');
    assert.deepEqual(byName.rooms.map((room) => room.id), [group.id]);
    assert.deepEqual(byName.rooms[0], {
      id: group.id,
      kind: 'group',
      name: 'Quarterly numbers',
      memberIds: [],
      ceiling: group.ceiling,
      frozen: false,
      memberCount: 2,
      createdAt: group.createdAt,
    });
    const dmFound = await list('oddly');
    assert.deepEqual(dmFound.rooms.map((room) => [room.id, room.name, [...room.memberIds].sort()]), [[dm.id, null, [alice.user.id, bob.user.id].sort()]]);
    // Both rooms match "quartermain" by Alice's name or a message; only the DM, by its people, and never by what was said.
    assert.deepEqual((await list('quartermain')).rooms.map((room) => room.id), [dm.id]);
    assert.deepEqual((await list('zebra')).rooms, [], 'nothing said in a room finds it');
    assert.equal(JSON.stringify(await list('')).includes('topic is not for the picker'), false);
  });

  test('pages follow a cursor; a forged cursor is refused', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const owner = await buildUser(server());
    for (const n of [1, 2, 3]) await buildRoom(server(), { owner: owner.client, name: `Paging room ${n}` });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await officer.client.endpoint('officerListRooms')({ query: { q: 'paging room', limit: 2, ...(cursor ? { cursor } : {}) } });
      seen.push(...page.rooms.map((room) => room.name ?? ''));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, ['Paging room 1', 'Paging room 2', 'Paging room 3']);
    await rejectsWith(officer.client.endpoint('officerListRooms')({ query: { cursor: 'not-a-cursor' } }), 'VALIDATION_FAILED', 400);
  });

  test('members, guests, admins and strangers are refused the list', async () => {
    const member = await buildUser(server());
    const guest = await buildUser(server(), { role: 'guest' });
    await buildRoom(server(), { owner: member.client, name: 'Hidden from members' });
    for (const client of [member.client, guest.client, server().admin.client]) {
      await rejectsWith(client.endpoint('officerListRooms')({ query: {} }), 'COMPLIANCE_REQUIRED', 403);
    }
    const stranger = new EnclaveClient({ baseUrl: server().url });
    await rejectsWith(stranger.endpoint('officerListRooms')({ query: {} }), 'UNAUTHENTICATED', 401);
  });
});
