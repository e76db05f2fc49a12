import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfirmationRequiredData } from '@enclave/protocol';
import { rejectsWith } from './expect-error';
import { describeEachBackend, messagesIn, openStream } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';

describeEachBackend('forwarding and per-message restrictions', (server) => {
  const admin = () => server().admin.client;

  async function twoRooms() {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const carol = await buildUser(server());
    const source = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const target = await buildRoom(server(), { owner: bob.client, members: [carol.user] });
    return { alice, bob, carol, source, target };
  }

  test('a forward keeps the label and provenance, and points at the first original when forwarded again', async () => {
    const { alice, bob, carol, source, target } = await twoRooms();
    const original = (await alice.client.endpoint('sendMessage')({ params: { roomId: source.id }, body: { text: 'the plan @' + bob.user.username } })).message;
    const live = await openStream(carol.client);
    const { message: copy } = await bob.client.endpoint('forwardMessage')({ params: { messageId: original.id }, body: { roomId: target.id } });
    assert.equal(copy.roomId, target.id);
    assert.equal(copy.senderId, bob.user.id);
    assert.equal(copy.text, original.text);
    assert.equal(copy.label, original.label);
    assert.deepEqual(copy.mentions, []);
    assert.deepEqual(copy.forwardedFrom, { messageId: original.id, roomId: source.id, senderId: alice.user.id, createdAt: original.createdAt, label: 'internal' });
    await live.waitFor((events) => messagesIn(events, target.id).some((m) => m.forwardedFrom?.messageId === original.id), 'the forward');

    const third = await buildRoom(server(), { owner: carol.client });
    const { message: again } = await carol.client.endpoint('forwardMessage')({ params: { messageId: copy.id }, body: { roomId: third.id } });
    assert.equal(again.forwardedFrom?.messageId, original.id);
    live.close();
  });

  test('only readers of the original may forward it, only into rooms they can write to', async () => {
    const { alice, carol, source, target } = await twoRooms();
    const original = (await alice.client.endpoint('sendMessage')({ params: { roomId: source.id }, body: { text: 'not for carol' } })).message;
    await rejectsWith(carol.client.endpoint('forwardMessage')({ params: { messageId: original.id }, body: { roomId: target.id } }), 'MESSAGE_NOT_FOUND', 404);
    await rejectsWith(alice.client.endpoint('forwardMessage')({ params: { messageId: original.id }, body: { roomId: target.id } }), 'ROOM_NOT_FOUND', 404);
    await alice.client.endpoint('recallMessage')({ params: { messageId: original.id } });
    const mine = await buildRoom(server(), { owner: alice.client });
    await rejectsWith(alice.client.endpoint('forwardMessage')({ params: { messageId: original.id }, body: { roomId: mine.id } }), 'MESSAGE_RECALLED', 409);
  });

  test('a forward never lowers a label: the target ceiling must cover it', async () => {
    const alice = await buildUser(server(), { clearance: 'confidential' });
    const bob = await buildUser(server(), { clearance: 'confidential' });
    const source = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    await alice.client.endpoint('updateRoom')({ params: { roomId: source.id }, body: { ceiling: 'confidential' } });
    const body = { text: 'terms', label: 'confidential' };
    const asked = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: source.id }, body }), 'CONFIRMATION_REQUIRED');
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: source.id }, body: { ...body, confirmationToken: (asked.data as ConfirmationRequiredData).confirmationToken } });
    const lower = await buildRoom(server(), { owner: bob.client });
    await rejectsWith(bob.client.endpoint('forwardMessage')({ params: { messageId: message.id }, body: { roomId: lower.id } }), 'LABEL_ABOVE_ROOM_CEILING', 403);
  });

  test('label and room policies: internal audiences only, or never', async () => {
    const { alice, bob, source, target } = await twoRooms();
    const guest = await buildUser(server(), { role: 'guest' });
    const withGuest = await buildRoom(server(), { owner: bob.client, members: [guest.user] });
    const internalLabelled = (await alice.client.endpoint('sendMessage')({ params: { roomId: source.id }, body: { text: 'internal note' } })).message;
    const publicLabelled = (await alice.client.endpoint('sendMessage')({ params: { roomId: source.id }, body: { text: 'press release', label: 'public' } })).message;

    // Fresh labels: Internal forwards only to internal audiences; Public anywhere (the guest room asks to confirm).
    const refused = await rejectsWith(bob.client.endpoint('forwardMessage')({ params: { messageId: internalLabelled.id }, body: { roomId: withGuest.id } }), 'FORWARD_NOT_ALLOWED', 403);
    assert.deepEqual(refused.data, { reason: 'guests' });
    const asked = await rejectsWith(bob.client.endpoint('forwardMessage')({ params: { messageId: publicLabelled.id }, body: { roomId: withGuest.id } }), 'CONFIRMATION_REQUIRED', 428);
    const { message } = await bob.client.endpoint('forwardMessage')({
      params: { messageId: publicLabelled.id },
      body: { roomId: withGuest.id, confirmationToken: (asked.data as ConfirmationRequiredData).confirmationToken },
    });
    assert.equal(message.forwardedFrom?.messageId, publicLabelled.id);

    // The source room's owner forbids forwarding out of it altogether.
    await rejectsWith(bob.client.endpoint('updateRoom')({ params: { roomId: source.id }, body: { forwarding: 'never' } }), 'FORBIDDEN', 403);
    const { room } = await alice.client.endpoint('updateRoom')({ params: { roomId: source.id }, body: { forwarding: 'never', copyAllowed: false } });
    assert.deepEqual([room.forwarding, room.copyAllowed, room.downloadAllowed], ['never', false, true]);
    const never = await rejectsWith(bob.client.endpoint('forwardMessage')({ params: { messageId: publicLabelled.id }, body: { roomId: target.id } }), 'FORWARD_NOT_ALLOWED');
    assert.deepEqual(never.data, { reason: 'room' });

    // An admin sets a label's policy.
    await alice.client.endpoint('updateRoom')({ params: { roomId: source.id }, body: { forwarding: 'anywhere' } });
    const { label } = await admin().endpoint('updateLabel')({ params: { labelId: 'public' }, body: { forwarding: 'never' } });
    assert.equal(label.forwarding, 'never');
    try {
      const byLabel = await rejectsWith(bob.client.endpoint('forwardMessage')({ params: { messageId: publicLabelled.id }, body: { roomId: target.id } }), 'FORWARD_NOT_ALLOWED');
      assert.deepEqual(byLabel.data, { reason: 'label' });
    } finally {
      await admin().endpoint('updateLabel')({ params: { labelId: 'public' }, body: { forwarding: 'anywhere' } });
    }
    await bob.client.endpoint('forwardMessage')({ params: { messageId: publicLabelled.id }, body: { roomId: target.id } });
  });

  test('the default labels carry sensible policies', async () => {
    const { labels } = await (await buildUser(server())).client.endpoint('listLabels')();
    const policy = Object.fromEntries(labels.map((l) => [l.id, [l.forwarding, l.copyAllowed, l.downloadAllowed]]));
    assert.deepEqual(policy.public, ['anywhere', true, true]);
    assert.deepEqual(policy.internal, ['internal', true, true]);
    assert.deepEqual(policy.confidential, ['internal', true, true]);
    assert.deepEqual(policy.secret, ['never', false, false]);
  });

  test('the sender or a room owner restricts one message; a restricted message cannot be forwarded', async () => {
    const { alice, bob, carol, source, target } = await twoRooms();
    const ownerRoom = await buildRoom(server(), { owner: carol.client, members: [bob.user] });
    const byBob = (await bob.client.endpoint('sendMessage')({ params: { roomId: ownerRoom.id }, body: { text: 'carol may lock this' } })).message;
    const locked = await carol.client.endpoint('restrictMessage')({ params: { messageId: byBob.id }, body: { noCopy: true } });
    assert.deepEqual(locked.message.restrictions, { noForward: false, noCopy: true, noDownload: false });

    const sent = (await bob.client.endpoint('sendMessage')({ params: { roomId: source.id }, body: { text: 'just between us', restrictions: { noForward: true } } })).message;
    assert.deepEqual(sent.restrictions, { noForward: true, noCopy: false, noDownload: false });
    const refused = await rejectsWith(alice.client.endpoint('forwardMessage')({ params: { messageId: sent.id }, body: { roomId: (await buildRoom(server(), { owner: alice.client })).id } }), 'FORWARD_NOT_ALLOWED');
    assert.deepEqual(refused.data, { reason: 'message' });

    const other = (await alice.client.endpoint('sendMessage')({ params: { roomId: source.id }, body: { text: 'alice wrote this' } })).message;
    await rejectsWith(bob.client.endpoint('restrictMessage')({ params: { messageId: other.id }, body: { noForward: true } }), 'NOT_ALLOWED_TO_RESTRICT', 403);
    const live = await openStream(bob.client);
    const { message } = await alice.client.endpoint('restrictMessage')({ params: { messageId: other.id }, body: { noForward: true, noDownload: true } });
    assert.deepEqual(message.restrictions, { noForward: true, noCopy: false, noDownload: true });
    await live.waitFor((events) => events.some((e) => e.type === 'message.updated' && e.message.id === other.id && e.message.restrictions.noForward), 'the restriction');
    await rejectsWith(bob.client.endpoint('forwardMessage')({ params: { messageId: other.id }, body: { roomId: target.id } }), 'FORWARD_NOT_ALLOWED');
    live.close();
  });
});
