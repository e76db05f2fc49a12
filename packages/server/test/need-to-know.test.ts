import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { LoggedEvent } from '@enclave/protocol';
import { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { requestFrom } from './from-address';
import { describeEachBackend, messagesIn, openStream } from './harness';

/**
 * Need-to-know for guests and the under-cleared, each test written as what a curious guest, a holder of someone
 * else's invite link or a member cleared only `internal` would try against the raw API.
 */
describeEachBackend('need-to-know', (server) => {
  const admin = () => server().admin.client;
  const anonymous = () => new EnclaveClient({ baseUrl: server().url });
  const unique = (word: string) => `${word}-${randomBytes(4).toString('hex')}`;

  async function roomInvite(owner: EnclaveClient, roomId: string): Promise<string> {
    return (await owner.endpoint('createInvite')({ body: { roomId, maxUses: 5 } })).invite.code;
  }

  test('the invite preview of a confidential room names neither it nor its topic or size, signed out or in', async () => {
    const owner = await buildUser(server(), { clearance: 'confidential' });
    const member = await buildUser(server());
    const secretName = unique('Project Nightjar');
    const secretTopic = unique('acquisition of a rival');
    const { room } = await owner.client.endpoint('createRoom')({ body: { kind: 'group', name: secretName, memberIds: [], ceiling: 'confidential' } });
    await owner.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { topic: secretTopic } });
    const code = await roomInvite(owner.client, room.id);

    const signedOut = await requestFrom(server(), '127.0.0.1', 'GET', `/api/v1/invites/${code}`);
    const signedIn = await requestFrom(server(), '127.0.0.1', 'GET', `/api/v1/invites/${code}`, undefined, member.client.currentToken);
    for (const answer of [signedOut, signedIn]) {
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.invite, {
        kind: 'room',
        roomName: null,
        roomTopic: null,
        memberCount: null,
        roomLabel: { id: 'confidential', names: { en: 'Confidential', 'zh-CN': '机密' }, colour: (answer.body.invite as { roomLabel: { colour: string } }).roomLabel.colour },
        expiresAt: (answer.body.invite as { expiresAt: string }).expiresAt,
        requiresApproval: false,
      });
      const text = JSON.stringify(answer.body);
      assert.ok(!text.includes(secretName) && !text.includes(secretTopic) && !text.includes(room.id), 'nothing identifies the room');
    }
    // The QR code carries only the link, and joining still needs the clearance.
    assert.ok(!(await anonymous().endpoint('inviteQrSvg')({ params: { code } })).includes(secretName));
    await rejectsWith(member.client.endpoint('acceptInvite')({ params: { code }, body: {} }), 'CLEARANCE_TOO_LOW', 403);
    assert.ok(!(await member.client.endpoint('listRooms')()).rooms.some((r) => r.id === room.id));
  });

  test('an internal room keeps its name, topic and size in the preview, so the rule is not a blanket refusal', async () => {
    const owner = await buildUser(server());
    const name = unique('Lunch club');
    const room = await buildRoom(server(), { owner: owner.client, name });
    await owner.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { topic: 'Where we eat on Friday' } });
    const preview = (await anonymous().endpoint('getInvite')({ params: { code: await roomInvite(owner.client, room.id) } })).invite;
    assert.deepEqual([preview.roomName, preview.roomTopic, preview.memberCount, preview.roomLabel?.id], [name, 'Where we eat on Friday', 1, 'internal']);
  });

  test('labels an administrator adds are compared by rank with internal, not by id', async () => {
    const { labels } = await admin().endpoint('listLabels')();
    const internalRank = labels.find((label) => label.id === 'internal')!.rank;
    const above = unique('need');
    const below = unique('open');
    await admin().endpoint('createLabel')({ body: { id: above, names: { en: 'Need to know', 'zh-CN': '知悉范围' }, colour: '#7c3aed', rank: internalRank + 1 } });
    // Inserted at internal's rank, so internal moves up one and the new label sits just below it.
    await admin().endpoint('createLabel')({ body: { id: below, names: { en: 'Partners', 'zh-CN': '伙伴' }, colour: '#0891b2', rank: internalRank } });
    const owner = await buildUser(server(), { clearance: 'confidential' });
    const previewOf = async (ceiling: string) => {
      const name = unique(`room at ${ceiling}`);
      const { room } = await owner.client.endpoint('createRoom')({ body: { kind: 'group', name, memberIds: [], ceiling } });
      return { name, preview: (await anonymous().endpoint('getInvite')({ params: { code: await roomInvite(owner.client, room.id) } })).invite };
    };
    const hidden = await previewOf(above);
    assert.deepEqual([hidden.preview.roomName, hidden.preview.roomLabel?.id, hidden.preview.roomLabel?.names.en], [null, above, 'Need to know']);
    const shown = await previewOf(below);
    assert.deepEqual([shown.preview.roomName, shown.preview.roomLabel?.id], [shown.name, below]);
  });

  test('a member cleared internal finds no channel above their clearance, by listing, by name or by search', async () => {
    const cleared = await buildUser(server(), { clearance: 'confidential' });
    const member = await buildUser(server());
    const secretName = unique('board-restructuring');
    const openName = unique('general-chat');
    const { room: secret } = await cleared.client.endpoint('createRoom')({ body: { kind: 'channel', name: secretName, memberIds: [], ceiling: 'confidential' } });
    const open = await buildRoom(server(), { owner: cleared.client, kind: 'channel', name: openName });
    await sendConfirmed(cleared.client, secret.id, { text: `Agenda for ${secretName}` });

    // Someone cleared for it sees it listed, which is what the member must not.
    const colleague = await buildUser(server(), { clearance: 'confidential' });
    assert.ok((await colleague.client.endpoint('listChannels')()).channels.some((c) => c.id === secret.id));

    const directory = await requestFrom(server(), '127.0.0.1', 'GET', '/api/v1/channels', undefined, member.client.currentToken);
    assert.equal(directory.status, 200);
    const listed = (directory.body.channels as { id: string }[]).map((c) => c.id);
    assert.ok(listed.includes(open.id), 'channels within the clearance stay listed');
    assert.ok(!listed.includes(secret.id));
    assert.ok(!JSON.stringify(directory.body).includes(secretName), 'not even the name');
    const hits = await member.client.endpoint('search')({ query: { q: secretName } });
    assert.deepEqual(hits.results, []);
    await rejectsWith(member.client.endpoint('getRoom')({ params: { roomId: secret.id } }), 'ROOM_NOT_FOUND', 404);
    const refused = await rejectsWith(member.client.endpoint('joinChannel')({ params: { roomId: secret.id } }), 'CLEARANCE_TOO_LOW', 403);
    assert.deepEqual(refused.data?.userIds, [member.user.id]);
    assert.ok(!(await member.client.endpoint('listRooms')()).rooms.some((r) => r.id === secret.id));
  });

  test('the guest flag travels in user objects, member lists, messages and membership events, on REST and the stream', async () => {
    const owner = await buildUser(server());
    const colleague = await buildUser(server());
    const guest = await buildUser(server(), { role: 'guest' });
    const room = await buildRoom(server(), { owner: owner.client, members: [colleague.user] });
    const live = await openStream(colleague.client);

    await owner.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [guest.user.id] } });
    await live.waitFor((events) => events.some((e) => e.type === 'room.member_added' && e.userIds.includes(guest.user.id)), 'the guest joining');
    const added = live.events.find((e): e is Extract<LoggedEvent, { type: 'room.member_added' }> => e.type === 'room.member_added' && e.userIds.includes(guest.user.id));
    assert.deepEqual(added?.members, [{ userId: guest.user.id, guest: true }]);

    const members = (await colleague.client.endpoint('listMembers')({ params: { roomId: room.id } })).members;
    assert.deepEqual(
      members.map((m) => [m.userId, m.guest]).sort(),
      [
        [owner.user.id, false],
        [colleague.user.id, false],
        [guest.user.id, true],
      ].sort(),
    );
    assert.equal((await colleague.client.endpoint('getUser')({ params: { userId: guest.user.id } })).user.guest, true);
    assert.equal((await colleague.client.endpoint('getUser')({ params: { userId: owner.user.id } })).user.guest, false);
    assert.equal((await guest.client.endpoint('me')()).user.guest, true);

    const fromGuest = await sendConfirmed(guest.client, room.id, { text: 'hello from outside' });
    const fromOwner = await sendConfirmed(owner.client, room.id, { text: 'hello from inside' });
    assert.deepEqual([fromGuest.senderGuest, fromOwner.senderGuest], [true, false]);
    await live.waitFor((events) => messagesIn(events, room.id).length >= 2, 'both messages');
    assert.deepEqual(
      messagesIn(live.events, room.id).map((m) => [m.senderId, m.senderGuest]),
      [
        [guest.user.id, true],
        [owner.user.id, false],
      ],
    );
    const history = (await colleague.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages;
    assert.deepEqual(history.map((m) => [m.id, m.senderGuest]).sort(), [
      [fromGuest.id, true],
      [fromOwner.id, false],
    ].sort());

    await owner.client.endpoint('removeMember')({ params: { roomId: room.id, userId: guest.user.id } });
    await live.waitFor((events) => events.some((e) => e.type === 'room.member_removed' && e.userIds.includes(guest.user.id)), 'the guest leaving');
    const removed = live.events.find((e): e is Extract<LoggedEvent, { type: 'room.member_removed' }> => e.type === 'room.member_removed' && e.userIds.includes(guest.user.id));
    assert.deepEqual(removed?.members, [{ userId: guest.user.id, guest: true }]);
    live.close();

    // A resumed stream reads the same events back from the log, flags included.
    const replay = await openStream(colleague.client, { after: 0 });
    assert.ok(replay.events.some((e) => e.type === 'room.member_added' && e.members.some((m) => m.userId === guest.user.id && m.guest)));
    assert.ok(messagesIn(replay.events, room.id).some((m) => m.id === fromGuest.id && m.senderGuest));
    replay.close();
  });

  test('a message keeps the flag its sender had when sending; member lists follow the role as it is now', async () => {
    const owner = await buildUser(server());
    const partner = await buildUser(server(), { role: 'guest' });
    const room = await buildRoom(server(), { owner: owner.client, members: [partner.user] });
    const asGuest = await sendConfirmed(partner.client, room.id, { text: 'sent as an external partner' });
    await admin().endpoint('updateUser')({ params: { userId: partner.user.id }, body: { role: 'member' } });
    const member = new EnclaveClient({ baseUrl: server().url });
    await member.login(partner.username, partner.password);
    const asMember = await sendConfirmed(member, room.id, { text: 'sent as staff' });
    const history = (await owner.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages;
    assert.deepEqual(new Map(history.map((m) => [m.id, m.senderGuest])), new Map([[asMember.id, false], [asGuest.id, true]]));
    const members = (await owner.client.endpoint('listMembers')({ params: { roomId: room.id } })).members;
    assert.equal(members.find((m) => m.userId === partner.user.id)?.guest, false);
    const stored = await server().running.database.db.selectFrom('messages').select(['id', 'sender_guest']).where('room_id', '=', room.id).execute();
    assert.deepEqual(new Map(stored.map((row) => [row.id, Number(row.sender_guest)])), new Map([[asGuest.id, 1], [asMember.id, 0]]));
  });
});
