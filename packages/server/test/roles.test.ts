import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';

describeEachBackend('guest and compliance roles', (server) => {
  const admin = () => server().admin.client;

  test('a guest sees only the people they share a room with, and no channel directory', async () => {
    const owner = await buildUser(server());
    const stranger = await buildUser(server());
    const guest = await buildUser(server(), { role: 'guest' });
    assert.equal(guest.user.role, 'guest');
    const room = await buildRoom(server(), { owner: owner.client, members: [guest.user] });
    await buildRoom(server(), { owner: owner.client, kind: 'channel' });

    const { users } = await guest.client.endpoint('listUsers')({ query: { limit: 500 } });
    assert.deepEqual(new Set(users.map((u) => u.id)), new Set([owner.user.id, guest.user.id]));
    assert.equal((await guest.client.endpoint('getUser')({ params: { userId: owner.user.id } })).user.id, owner.user.id);
    await rejectsWith(guest.client.endpoint('getUser')({ params: { userId: stranger.user.id } }), 'USER_NOT_FOUND', 404);
    await rejectsWith(guest.client.endpoint('listChannels')(), 'GUEST_NOT_ALLOWED', 403);

    // A member of the organisation still browses everyone.
    const everyone = await owner.client.endpoint('listUsers')({ query: { limit: 500 } });
    assert.ok(everyone.users.some((u) => u.id === stranger.user.id));

    const { room: seen } = await owner.client.endpoint('getRoom')({ params: { roomId: room.id } });
    assert.equal(seen.guestCount, 1);
  });

  test('a guest starts direct messages only with people from their rooms, and never channels or groups', async () => {
    const owner = await buildUser(server());
    const stranger = await buildUser(server());
    const guest = await buildUser(server(), { role: 'guest' });
    await buildRoom(server(), { owner: owner.client, members: [guest.user] });
    const dm = await guest.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [owner.user.id] } });
    assert.equal(dm.room.kind, 'dm');
    assert.equal(dm.room.guestCount, 1);
    await rejectsWith(guest.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [stranger.user.id] } }), 'GUEST_NOT_ALLOWED', 403);
    await rejectsWith(guest.client.endpoint('createRoom')({ body: { kind: 'group', name: 'side deals', memberIds: [owner.user.id] } }), 'GUEST_NOT_ALLOWED', 403);
    const channel = await buildRoom(server(), { owner: owner.client, kind: 'channel' });
    await rejectsWith(guest.client.endpoint('joinChannel')({ params: { roomId: channel.id } }), 'GUEST_NOT_ALLOWED', 403);
  });

  test('a guest cannot be cleared above the guest maximum, set by policy', async () => {
    const guest = await buildUser(server(), { role: 'guest' });
    assert.equal(guest.user.clearance, 'internal');
    const refused = await rejectsWith(admin().endpoint('updateUser')({ params: { userId: guest.user.id }, body: { clearance: 'confidential' } }), 'CLEARANCE_ABOVE_GUEST_MAXIMUM', 403);
    assert.equal(refused.data?.maximum, 'internal');
    const cleared = await buildUser(server(), { clearance: 'confidential' });
    await rejectsWith(admin().endpoint('updateUser')({ params: { userId: cleared.user.id }, body: { role: 'guest' } }), 'CLEARANCE_ABOVE_GUEST_MAXIMUM', 403);
    await rejectsWith(
      admin().endpoint('createUser')({ body: { username: `g-${Date.now()}`, password: 'a-long-password', displayName: 'G', role: 'guest', clearance: 'secret' } }),
      'CLEARANCE_ABOVE_GUEST_MAXIMUM',
      403,
    );

    await admin().endpoint('updateAdminSettings')({ body: { guestMaxClearance: 'confidential' } });
    try {
      const raised = await admin().endpoint('updateUser')({ params: { userId: guest.user.id }, body: { clearance: 'confidential' } });
      assert.equal(raised.user.clearance, 'confidential');
    } finally {
      await admin().endpoint('updateUser')({ params: { userId: guest.user.id }, body: { clearance: 'internal' } });
      await admin().endpoint('updateAdminSettings')({ body: { guestMaxClearance: 'internal' } });
    }
    await rejectsWith(admin().endpoint('updateAdminSettings')({ body: { guestMaxClearance: 'no-such-label' } }), 'LABEL_NOT_FOUND', 404);
  });

  test('turning a member into a guest recounts the guests of their rooms', async () => {
    const owner = await buildUser(server());
    const partner = await buildUser(server());
    const room = await buildRoom(server(), { owner: owner.client, members: [partner.user] });
    assert.equal(room.guestCount, 0);
    const live = await openStream(owner.client);
    await admin().endpoint('updateUser')({ params: { userId: partner.user.id }, body: { role: 'guest' } });
    assert.equal((await owner.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.guestCount, 1);
    await live.waitFor((events) => events.some((e) => e.type === 'room.updated' && e.room.id === room.id && e.room.guestCount === 1), 'the new guest count');
    live.close();
    await admin().endpoint('updateUser')({ params: { userId: partner.user.id }, body: { role: 'member' } });
    assert.equal((await owner.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.guestCount, 0);
  });

  test('removing a guest tells the room its new guest count', async () => {
    const owner = await buildUser(server());
    const guest = await buildUser(server(), { role: 'guest' });
    const room = await buildRoom(server(), { owner: owner.client, members: [guest.user] });
    const live = await openStream(owner.client);
    await owner.client.endpoint('removeMember')({ params: { roomId: room.id, userId: guest.user.id } });
    await live.waitFor((events) => events.some((e) => e.type === 'room.member_removed' && e.roomId === room.id && e.guestCount === 0 && e.memberCount === 1), 'the removal');
    live.close();
  });

  test('the compliance desk is for compliance officers only; admins cannot use it and officers cannot administer', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const member = await buildUser(server());
    await rejectsWith(admin().endpoint('listReviews')({ query: {} }), 'COMPLIANCE_REQUIRED', 403);
    await rejectsWith(member.client.endpoint('listAudit')({ query: {} }), 'COMPLIANCE_REQUIRED', 403);
    await rejectsWith(officer.client.endpoint('listDlpRules')(), 'ADMIN_REQUIRED', 403);
    const { entries, chainIntact } = await officer.client.endpoint('listAudit')({ query: { limit: 5 } });
    assert.equal(chainIntact, true);
    assert.ok(entries.length > 0);
    // Looking at the audit log is itself audited.
    const after = await officer.client.endpoint('listAudit')({ query: { action: 'compliance.', limit: 5 } });
    assert.equal(after.entries[0]?.action, 'compliance.audit_viewed');
    assert.equal(after.entries[0]?.actorId, officer.user.id);
  });

  test('an admin cannot read a room they are not in', async () => {
    const owner = await buildUser(server());
    const room = await buildRoom(server(), { owner: owner.client });
    await owner.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'private' } });
    await rejectsWith(admin().endpoint('listMessages')({ params: { roomId: room.id }, query: {} }), 'ROOM_NOT_FOUND', 404);
  });
});
