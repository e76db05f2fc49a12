import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRoom, buildUser } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';

describeEachBackend('the readable audit log', (server) => {
  test('filters by actor, action, room and time on the server, pages, and names the people and rooms it mentions', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server(), { displayName: '林小雨' });
    const bob = await buildUser(server(), { displayName: 'Bob Stone' });
    const room = await buildRoom(server(), { owner: alice.client, name: '产品讨论, "Q3"' });
    const other = await buildRoom(server(), { owner: bob.client });
    await alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [bob.user.id] } });
    await alice.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
    const list = officer.client.endpoint('listAudit');

    const byAlice = await list({ query: { actorId: alice.user.id } });
    assert.ok(byAlice.entries.length >= 4);
    assert.ok(byAlice.entries.every((entry) => entry.actorId === alice.user.id));
    assert.equal(byAlice.names[alice.user.id], '林小雨');
    assert.equal(byAlice.names[room.id], '产品讨论, "Q3"');
    assert.equal(byAlice.names[bob.user.id], 'Bob Stone', 'ids inside details are named too');

    const aboutRoom = await list({ query: { roomId: room.id } });
    assert.deepEqual(aboutRoom.entries.map((entry) => entry.action).sort(), ['room.created', 'room.member_removed', 'room.members_added']);
    assert.ok(!aboutRoom.entries.some((entry) => entry.target?.id === other.id));

    const removals = await list({ query: { action: 'room.member_removed', roomId: room.id } });
    assert.equal(removals.entries.length, 1);
    assert.equal(removals.entries[0]?.data.userId, bob.user.id);

    const created = aboutRoom.entries.find((entry) => entry.action === 'room.created')!;
    const sameMoment = await list({ query: { roomId: room.id, from: created.at, to: new Date(Date.parse(created.at) + 1).toISOString() } });
    assert.deepEqual(sameMoment.entries.map((entry) => entry.seq).includes(created.seq), true);
    const future = await list({ query: { from: new Date(Date.now() + 3_600_000).toISOString() } });
    assert.deepEqual(future.entries, []);

    const first = await list({ query: { actorId: alice.user.id, limit: 2 } });
    const second = await list({ query: { actorId: alice.user.id, limit: 2, before: first.entries[1]!.seq } });
    assert.equal(first.entries.length, 2);
    assert.ok(second.entries.every((entry) => entry.seq < first.entries[1]!.seq && entry.actorId === alice.user.id));

    const viewed = await list({ query: { action: 'compliance.audit_viewed', actorId: officer.user.id, limit: 1 } });
    assert.equal(viewed.entries[0]?.data.actorId, alice.user.id, 'each reading is audited with its filter');
  });

  test('exports the filtered log as CSV with names beside ids, and the export is audited', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server(), { displayName: '王芳' });
    const room = await buildRoom(server(), { owner: alice.client, name: 'Budget, "final"' });
    const csv = await officer.client.endpoint('exportAudit')({ query: { roomId: room.id } });
    const lines = csv.trim().split('\n');
    assert.equal(lines[0], 'seq,time,actor_id,actor_name,action,target_type,target_id,target_name,details,ip,hash');
    assert.equal(lines.length, 2, 'the header and the one entry about the room');
    assert.match(lines[1]!, new RegExp(`,${alice.user.id},王芳,room\\.created,room,${room.id},"Budget, ""final""",`));
    const exported = await officer.client.endpoint('listAudit')({ query: { action: 'compliance.audit_exported', actorId: officer.user.id } });
    assert.equal(exported.entries.length, 1);
    assert.deepEqual({ roomId: exported.entries[0]!.data.roomId, count: exported.entries[0]!.data.count }, { roomId: room.id, count: 1 });
  });

  test('only compliance officers read or export the log, whatever route they try', async () => {
    for (const role of ['member', 'admin'] as const) {
      const caller = await buildUser(server(), { role });
      await rejectsWith(caller.client.endpoint('listAudit')({ query: {} }), 'COMPLIANCE_REQUIRED', 403);
      await rejectsWith(caller.client.endpoint('exportAudit')({ query: {} }), 'COMPLIANCE_REQUIRED', 403);
    }
  });
});
