import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRoom, buildUser } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { describeEachBackend, messagesIn, openStream } from './harness';

describeEachBackend('urgent messages', (server) => {
  const admin = () => server().admin.client;

  async function roomOwnedBy() {
    const owner = await buildUser(server());
    const member = await buildUser(server());
    const room = await buildRoom(server(), { owner: owner.client, members: [member.user] });
    return { owner, member, room };
  }

  test('a room owner sends urgent with a reason: recipients see the mark and the reason, live and in history', async () => {
    const { owner, member, room } = await roomOwnedBy();
    const memberLive = await openStream(member.client);
    const { message } = await owner.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'the build is on fire', urgent: true, urgentReason: '  release blocked  ' } });
    assert.deepEqual(message.urgent, { reason: 'release blocked' });
    await memberLive.waitFor((events) => messagesIn(events, room.id).some((m) => m.id === message.id && m.urgent?.reason === 'release blocked'), 'the urgent message');
    memberLive.close();
    const [stored] = (await member.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages;
    assert.deepEqual(stored?.urgent, { reason: 'release blocked' });
    const row = await server().running.database.db.selectFrom('messages').select('urgent_reason').where('id', '=', message.id).executeTakeFirstOrThrow();
    assert.ok(row.urgent_reason !== null && !row.urgent_reason.includes('release blocked'), 'the reason is sealed at rest');
    const { message: ordinary } = await owner.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'all fine now' } });
    assert.equal(ordinary.urgent, undefined);
  });

  test('refuses urgent without a reason, from someone the policy does not name, and stores nothing', async () => {
    const { owner, member, room } = await roomOwnedBy();
    await rejectsWith(owner.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'now!', urgent: true } }), 'URGENT_REASON_REQUIRED', 400);
    await rejectsWith(owner.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'now!', urgent: true, urgentReason: '   ' } }), 'URGENT_REASON_REQUIRED', 400);
    await rejectsWith(member.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'now!', urgent: true, urgentReason: 'I think so' } }), 'URGENT_NOT_ALLOWED', 403);
    assert.equal((await owner.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages.length, 0);
    // The stream path is judged the same way.
    const live = await openStream(member.client);
    await assert.rejects(live.stream.sendMessage({ roomId: room.id, clientId: 'urgent-1', text: 'now!', urgent: true, urgentReason: 'I think so' }), (error: { code?: string }) => error.code === 'URGENT_NOT_ALLOWED');
    live.close();
  });

  test('the policy names roles and people; urgent sends are limited per hour; each is audited with its reason, never the text', async () => {
    const { owner, member, room } = await roomOwnedBy();
    const { settings } = await admin().endpoint('getAdminSettings')();
    await admin().endpoint('updateAdminSettings')({ body: { urgent: { roles: [], userIds: [member.user.id], roomOwners: false, perHour: 2 } } });
    try {
      await rejectsWith(owner.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'owners no longer', urgent: true, urgentReason: 'test' } }), 'URGENT_NOT_ALLOWED');
      const first = await member.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'secret plan one', urgent: true, urgentReason: 'deadline at noon' } });
      await member.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'secret plan two', urgent: true, urgentReason: 'deadline at noon' } });
      const limited = await rejectsWith(member.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'three', urgent: true, urgentReason: 'again' } }), 'URGENT_RATE_LIMITED', 429);
      assert.ok(Number(limited.data?.retryAfterSeconds) > 3000);
      await member.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'an ordinary message still goes' } });

      const officer = await buildUser(server(), { role: 'compliance' });
      const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'message.urgent_sent', limit: 10 } });
      const entry = entries.find((e) => e.target?.id === first.message.id);
      assert.ok(entry, 'the urgent send is audited');
      assert.equal(entry.actorId, member.user.id);
      assert.equal(entry.data.roomId, room.id);
      assert.equal(entry.data.reason, 'deadline at noon');
      assert.ok(!JSON.stringify(entries).includes('secret plan'), 'the text is never in the audit');
    } finally {
      await admin().endpoint('updateAdminSettings')({ body: { urgent: settings.urgent } });
    }
  });

  test('urgent sends can be turned off for everyone', async () => {
    const { owner, room } = await roomOwnedBy();
    const { settings } = await admin().endpoint('getAdminSettings')();
    await admin().endpoint('updateAdminSettings')({ body: { urgent: { ...settings.urgent, perHour: 0 } } });
    try {
      await rejectsWith(owner.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'x', urgent: true, urgentReason: 'y' } }), 'URGENT_NOT_ALLOWED');
    } finally {
      await admin().endpoint('updateAdminSettings')({ body: { urgent: settings.urgent } });
    }
  });
});
