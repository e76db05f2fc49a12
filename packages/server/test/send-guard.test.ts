import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfirmationRequiredData } from '@enclave/protocol';
import { rejectsWith } from './expect-error';
import { describeEachBackend, messagesIn, openStream } from './harness';
import type { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';

const freshInstallGuard = { guests: true, otherDepartments: false, membersAbove: null, labelAtOrAbove: 'confidential', files: false };

/** The token a CONFIRMATION_REQUIRED refusal carries. */
async function confirmationFor(attempt: Promise<unknown>): Promise<string> {
  const refused = await rejectsWith(attempt, 'CONFIRMATION_REQUIRED');
  return (refused.data as ConfirmationRequiredData).confirmationToken;
}

/** The texts of a room's main timeline as a member reads them, oldest first. */
async function textsSeenBy(client: EnclaveClient, roomId: string): Promise<string[]> {
  const { messages } = await client.endpoint('listMessages')({ params: { roomId }, query: {} });
  return messages.map((message) => message.text).reverse();
}

describeEachBackend('wrong-recipient guard', (server) => {
  const admin = () => server().admin.client;

  async function confidentialRoom() {
    const alice = await buildUser(server(), { clearance: 'confidential' });
    const bob = await buildUser(server(), { clearance: 'confidential' });
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { ceiling: 'confidential' } });
    return { alice, bob, room };
  }

  test('a fresh install asks for confirmation of confidential sends, and the token lets the same send through', async () => {
    assert.deepEqual((await admin().endpoint('getAdminSettings')()).settings.sendGuard, freshInstallGuard);
    const { alice, bob, room } = await confidentialRoom();
    const live = await openStream(bob.client);
    const body = { text: 'the merger closes Friday', label: 'confidential' };
    const refused = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body }), 'CONFIRMATION_REQUIRED', 428);
    const data = refused.data as ConfirmationRequiredData;
    assert.deepEqual(data.reasons, ['label']);
    assert.deepEqual(data.room, { id: room.id, name: room.name, kind: 'group', memberCount: 2, guestCount: 0 });
    assert.equal(data.label, 'confidential');
    assert.ok(data.confirmationToken.length > 20);

    // Nothing reached anyone, and nothing was stored.
    assert.equal((await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages.length, 0);

    const sent = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: data.confirmationToken } });
    assert.equal(sent.message.label, 'confidential');
    await live.waitFor((events) => messagesIn(events, room.id).length === 1, 'the confirmed message');
    // Internal sends in the same room need no confirmation.
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'lunch?' } });
    live.close();
  });

  test('a token is bound to the sender, the room, the content and the audience', async () => {
    const { alice, bob, room } = await confidentialRoom();
    const body = { text: 'draft figures', label: 'confidential' };
    const { data } = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body }), 'CONFIRMATION_REQUIRED');
    const token = (data as ConfirmationRequiredData).confirmationToken;

    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, text: 'other figures', confirmationToken: token } }), 'CONFIRMATION_REQUIRED');
    await rejectsWith(bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: token } }), 'CONFIRMATION_REQUIRED');
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: `${token}x` } }), 'CONFIRMATION_REQUIRED');
    const { room: other } = await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: 'other', memberIds: [bob.user.id], ceiling: 'confidential' } });
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: other.id }, body: { ...body, confirmationToken: token } }), 'CONFIRMATION_REQUIRED');

    // Someone joined after the dialog was shown: the sender must see the new audience.
    const carol = await buildUser(server(), { clearance: 'confidential' });
    await alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [carol.user.id] } });
    const again = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: token } }), 'CONFIRMATION_REQUIRED');
    assert.equal((again.data as ConfirmationRequiredData).room.memberCount, 3);
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: (again.data as ConfirmationRequiredData).confirmationToken } });
  });

  test('rooms with guests ask on every send, over the stream too', async () => {
    const alice = await buildUser(server());
    const guest = await buildUser(server(), { role: 'guest' });
    const room = await buildRoom(server(), { owner: alice.client, members: [guest.user] });
    const live = await openStream(alice.client);
    const first = await live.stream.sendMessage({ roomId: room.id, text: 'price list attached', clientId: 'guarded-1' }).catch((e: unknown) => e);
    assert.equal((first as { code: string }).code, 'CONFIRMATION_REQUIRED');
    const data = (first as { data: ConfirmationRequiredData }).data;
    assert.deepEqual(data.reasons, ['guests']);
    assert.equal(data.room.guestCount, 1);
    const sent = await live.stream.sendMessage({ roomId: room.id, text: 'price list attached', clientId: 'guarded-1', confirmationToken: data.confirmationToken });
    assert.equal(sent.text, 'price list attached');
    live.close();
  });

  test('admin policy: more than N members, other departments; every confirmed send is audited', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const carol = await buildUser(server());
    const { department: sales } = await admin().endpoint('createDepartment')({ body: { name: `Sales ${Date.now()}` } });
    const { department: legal } = await admin().endpoint('createDepartment')({ body: { name: `Legal ${Date.now()}` } });
    await admin().endpoint('setUserDepartments')({ params: { userId: alice.user.id }, body: { departmentIds: [sales.id] } });
    await admin().endpoint('setUserDepartments')({ params: { userId: bob.user.id }, body: { departmentIds: [sales.id] } });
    await admin().endpoint('setUserDepartments')({ params: { userId: carol.user.id }, body: { departmentIds: [legal.id] } });
    const sameTeam = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const crossTeam = await buildRoom(server(), { owner: alice.client, members: [bob.user, carol.user] });

    await admin().endpoint('updateAdminSettings')({ body: { sendGuard: { ...freshInstallGuard, otherDepartments: true, membersAbove: 2 } } });
    try {
      await alice.client.endpoint('sendMessage')({ params: { roomId: sameTeam.id }, body: { text: 'team only' } });
      const refused = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: crossTeam.id }, body: { text: 'to everyone' } }), 'CONFIRMATION_REQUIRED');
      const data = refused.data as ConfirmationRequiredData;
      assert.deepEqual(data.reasons, ['other-departments', 'member-count']);
      assert.deepEqual(data.departments, [legal.name, sales.name].sort());
      await alice.client.endpoint('sendMessage')({ params: { roomId: crossTeam.id }, body: { text: 'to everyone', confirmationToken: data.confirmationToken } });
    } finally {
      await admin().endpoint('updateAdminSettings')({ body: { sendGuard: freshInstallGuard } });
    }
    await alice.client.endpoint('sendMessage')({ params: { roomId: crossTeam.id }, body: { text: 'policy back to default' } });

    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'message.confirmed_send', limit: 5 } });
    const confirmed = entries.find((entry) => entry.actorId === alice.user.id);
    assert.deepEqual(confirmed?.data, { kind: 'send', reasons: ['other-departments', 'member-count'] });
    assert.equal(confirmed?.target?.id, crossTeam.id);
  });

  test('a token lets one send through: replayed, it is refused and nothing more is stored', async () => {
    const { alice, bob, room } = await confidentialRoom();
    const body = { text: 'board minutes', label: 'confidential' };
    const token = await confirmationFor(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body }));
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: token } });
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: token } }), 'CONFIRMATION_REQUIRED', 428);
    assert.deepEqual(await textsSeenBy(bob.client, room.id), ['board minutes']);
  });

  test('a confirmed send retried with its client id gets the stored message back, and nothing is sent twice', async () => {
    const { alice, bob, room } = await confidentialRoom();
    const body = { text: 'answer lost on the way', label: 'confidential', clientId: `retry-${Date.now()}` };
    const token = await confirmationFor(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body }));
    const first = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: token } });
    const retried = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: token } });
    assert.equal(retried.message.id, first.message.id);
    // Without its client id the same token is a replay.
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: body.text, label: body.label, confirmationToken: token } }), 'CONFIRMATION_REQUIRED');
    assert.deepEqual(await textsSeenBy(bob.client, room.id), ['answer lost on the way']);
  });

  test('the same token sent twice at once: exactly one send is stored', async () => {
    const { alice, bob, room } = await confidentialRoom();
    const body = { text: 'raced figures', label: 'confidential' };
    const token = await confirmationFor(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body }));
    const send = () => alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: token } });
    const outcomes = await Promise.allSettled([send(), send(), send()]);
    assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
    for (const outcome of outcomes) if (outcome.status === 'rejected') assert.equal((outcome.reason as { code: string }).code, 'CONFIRMATION_REQUIRED');
    assert.deepEqual(await textsSeenBy(bob.client, room.id), ['raced figures']);
  });

  test('removing and re-adding a member voids a token, though the member list is the same again', async () => {
    const { alice, bob, room } = await confidentialRoom();
    const body = { text: 'after the reshuffle', label: 'confidential' };
    const token = await confirmationFor(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body }));
    await alice.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
    await alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [bob.user.id] } });
    const again = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: token } }), 'CONFIRMATION_REQUIRED');
    assert.deepEqual(await textsSeenBy(bob.client, room.id), []);
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: (again.data as ConfirmationRequiredData).confirmationToken } });
  });

  test("a send's token confirms neither an edit, nor a forward, nor a send elsewhere", async () => {
    const { alice, bob, room } = await confidentialRoom();
    const { room: other } = await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: 'elsewhere', memberIds: [bob.user.id], ceiling: 'confidential' } });
    const sent = await sendConfirmed(alice.client, room.id, { text: 'original', label: 'confidential' });
    const body = { text: 'reused', label: 'confidential' };
    const token = await confirmationFor(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body }));

    await rejectsWith(alice.client.endpoint('editMessage')({ params: { messageId: sent.id }, body: { text: 'reused', confirmationToken: token } }), 'CONFIRMATION_REQUIRED');
    await rejectsWith(alice.client.endpoint('forwardMessage')({ params: { messageId: sent.id }, body: { roomId: other.id, confirmationToken: token } }), 'CONFIRMATION_REQUIRED');
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: other.id }, body: { ...body, confirmationToken: token } }), 'CONFIRMATION_REQUIRED');
    assert.deepEqual(await textsSeenBy(bob.client, room.id), ['original']);
    assert.deepEqual(await textsSeenBy(bob.client, other.id), []);
    // Unused by those refusals, it still confirms the send it was given for.
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { ...body, confirmationToken: token } });
  });

  test('an edit meets the guard like a send: no token, no change; the token binds the new text and is used once', async () => {
    const alice = await buildUser(server());
    const guest = await buildUser(server(), { role: 'guest' });
    const room = await buildRoom(server(), { owner: alice.client, members: [guest.user] });
    const sent = await sendConfirmed(alice.client, room.id, { text: 'see you at ten' });
    const live = await openStream(guest.client);

    const refused = await rejectsWith(alice.client.endpoint('editMessage')({ params: { messageId: sent.id }, body: { text: 'the door code is 4711' } }), 'CONFIRMATION_REQUIRED', 428);
    const data = refused.data as ConfirmationRequiredData;
    assert.deepEqual(data.reasons, ['guests']);
    assert.deepEqual(await textsSeenBy(guest.client, room.id), ['see you at ten']);
    // The token covers this text only.
    await rejectsWith(alice.client.endpoint('editMessage')({ params: { messageId: sent.id }, body: { text: 'something else', confirmationToken: data.confirmationToken } }), 'CONFIRMATION_REQUIRED');

    const edited = await alice.client.endpoint('editMessage')({ params: { messageId: sent.id }, body: { text: 'the door code is 4711', confirmationToken: data.confirmationToken } });
    assert.equal(edited.message.text, 'the door code is 4711');
    await live.waitFor((events) => events.some((event) => event.type === 'message.updated' && event.message.id === sent.id), 'the confirmed edit');
    await rejectsWith(alice.client.endpoint('editMessage')({ params: { messageId: sent.id }, body: { text: 'the door code is 4711', confirmationToken: data.confirmationToken } }), 'CONFIRMATION_REQUIRED');
    live.close();

    const officer = await buildUser(server(), { role: 'compliance' });
    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'message.confirmed_send', limit: 5 } });
    assert.ok(entries.some((entry) => entry.actorId === alice.user.id && (entry.data as { kind: string }).kind === 'edit'));
  });

  test('thread replies and replies also sent to the room meet the guard', async () => {
    const alice = await buildUser(server());
    const guest = await buildUser(server(), { role: 'guest' });
    const room = await buildRoom(server(), { owner: alice.client, members: [guest.user] });
    const root = await sendConfirmed(alice.client, room.id, { text: 'thread start' });
    for (const body of [{ text: 'a reply', threadRootId: root.id }, { text: 'a loud reply', threadRootId: root.id, alsoSendToRoom: true }]) {
      const refused = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body }), 'CONFIRMATION_REQUIRED');
      assert.deepEqual((refused.data as ConfirmationRequiredData).reasons, ['guests']);
    }
    const replies = await guest.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { threadRootId: root.id } });
    assert.equal(replies.messages.filter((message) => message.id !== root.id).length, 0);
  });

  test('undo-send delay is a personal preference from 0 to 10 seconds', async () => {
    const alice = await buildUser(server());
    assert.equal((await alice.client.endpoint('me')()).preferences.undoSendSeconds, 0);
    await alice.client.endpoint('updateMyProfile')({ body: { undoSendSeconds: 5 } });
    assert.equal((await alice.client.endpoint('me')()).preferences.undoSendSeconds, 5);
    await rejectsWith(alice.client.endpoint('updateMyProfile')({ body: { undoSendSeconds: 11 } }), 'VALIDATION_FAILED', 400);
  });
});
