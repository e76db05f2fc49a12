import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { EndpointInput } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import sharp from 'sharp';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';
import { photoLikeJpeg } from './photo-fixture';
import { storageSnapshot, upload } from './upload-helpers';

/** A word no other test uses, letters only, so that search finds it as one word. */
function unique(stem: string): string {
  return `${stem}${randomBytes(4).toString('hex').replace(/\d/g, (digit) => 'ghijklmnop'[Number(digit)]!)}`;
}

/**
 * A paragraph of work text, long enough to be fingerprinted by its shingles, made of words of its own (tests that
 * share one server must not copy each other's text by accident), in versions with a few words changed.
 */
function paragraph(word: string) {
  const [company, board, team, place, budget] = [0, 1, 2, 3, 4].map((index) => unique(`${word.slice(0, 4)}${index}`));
  const closing = `Keep this inside ${team}.`;
  return {
    closing,
    text: (price = '42', day = '14th') => `${word} ${company}: ${price} million, ${board} on the ${day} at ${place} with ${budget}. ${closing}`,
  };
}

describeEachBackend('provenance: copies keep the label and origin of what they copy', (server) => {
  const send = (client: EnclaveClient, roomId: string, body: EndpointInput<'sendMessage'>['body']) => client.endpoint('sendMessage')({ params: { roomId }, body });
  const texts = async (client: EnclaveClient, roomId: string) => (await client.endpoint('listMessages')({ params: { roomId }, query: {} })).messages.map((m) => m.text);
  const searchHits = async (client: EnclaveClient, q: string) => (await client.endpoint('search')({ query: { q } })).results.length;

  /**
   * Alice and Bob, cleared Confidential, share a confidential room; Bob also owns an internal room with Carol and
   * a confidential one with Dave (both cleared to match).
   */
  async function organisation() {
    const alice = await buildUser(server(), { clearance: 'confidential' });
    const bob = await buildUser(server(), { clearance: 'confidential' });
    const carol = await buildUser(server());
    const dave = await buildUser(server(), { clearance: 'confidential' });
    const name = () => `room-${randomBytes(3).toString('hex')}`;
    const secretRoom = (await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: `vault-${randomBytes(3).toString('hex')}`, memberIds: [bob.user.id], ceiling: 'confidential' } })).room;
    const internalRoom = await buildRoom(server(), { owner: bob.client, members: [carol.user], name: name() });
    const highRoom = (await bob.client.endpoint('createRoom')({ body: { kind: 'group', name: name(), memberIds: [dave.user.id], ceiling: 'confidential' } })).room;
    return { alice, bob, carol, dave, secretRoom, internalRoom, highRoom };
  }

  test('a confidential image downloaded and uploaded again, as it is or resized and re-encoded, keeps its label', async () => {
    const { alice, bob, secretRoom, internalRoom, highRoom } = await organisation();
    const photo = await photoLikeJpeg(7);
    const original = await upload(alice.client, secretRoom.id, photo, 'site-plan.jpg', { label: 'confidential' });
    await sendConfirmed(alice.client, secretRoom.id, { text: 'the site plan', fileIds: [original.id], label: 'confidential' });
    // A confidential photo comes down stamped for its viewer (leak tracing): not one byte as stored, still the same file.
    const downloaded = Buffer.from(await bob.client.endpoint('fileContent')({ params: { fileId: original.id }, query: { disposition: 'inline' } }));
    assert.ok(!downloaded.equals(photo));
    const shrunk = await sharp(downloaded).resize(800).jpeg({ quality: 60 }).toBuffer();
    const asPng = await sharp(downloaded).resize(1200).png().toBuffer();

    const before = await storageSnapshot(server());
    for (const [bytes, name] of [[downloaded, 'holiday.jpg'], [shrunk, 'small.jpg'], [asPng, 'screenshot.png']] as const) {
      const refused = await rejectsWith(upload(bob.client, internalRoom.id, bytes, name), 'LABEL_ABOVE_ROOM_CEILING', 403);
      assert.deepEqual(refused.data, { label: 'confidential', ceiling: 'internal', copyOfLabel: 'confidential' });
      // The refusal names the label, never where the original is.
      const told = JSON.stringify({ message: refused.message, data: refused.data });
      assert.ok(!told.includes(secretRoom.id) && !told.includes(secretRoom.name!));
    }
    assert.deepEqual(await storageSnapshot(server()), before, 'a refused copy leaves nothing behind');

    // Where the ceiling allows it, the copy is stored with the label and a link to its origin.
    const exact = await upload(bob.client, highRoom.id, downloaded, 'copy.jpg');
    assert.equal(exact.label, 'confidential');
    assert.deepEqual(exact.copiedFrom, { kind: 'file', id: original.id, roomId: secretRoom.id, senderId: alice.user.id, createdAt: exact.copiedFrom?.createdAt, label: 'confidential', match: 'exact' });
    const lookalike = await upload(bob.client, highRoom.id, shrunk, 'small.jpg');
    assert.equal(lookalike.label, 'confidential');
    assert.equal(lookalike.copiedFrom?.match, 'perceptual');
    assert.equal(lookalike.copiedFrom?.id, original.id, 'a copy points at the original, not at an earlier copy');
    // A different photo is not a copy of anything.
    const other = await upload(bob.client, internalRoom.id, await photoLikeJpeg(8), 'other.jpg');
    assert.equal(other.label, 'internal');
    assert.equal(other.copiedFrom, null);
  });

  test('a confidential message copied with light edits into a lower room is refused; where allowed it is labelled and asks first', async () => {
    const { alice, bob, carol, dave, secretRoom, internalRoom, highRoom } = await organisation();
    const word = unique('northwind');
    const plan = paragraph(word);
    const original = await sendConfirmed(alice.client, secretRoom.id, { text: plan.text(), label: 'confidential' });
    const edited = plan.text('45', '15th').replace('Keep this inside', 'Keep it within');

    const refused = await rejectsWith(send(bob.client, internalRoom.id, { text: edited }), 'LABEL_ABOVE_ROOM_CEILING', 403);
    assert.deepEqual(refused.data, { label: 'confidential', ceiling: 'internal', copyOfLabel: 'confidential' });
    // Another encoding of the same words (a sentence moved, shouting, full-width digits) is no way around it.
    const reordered = `${plan.closing.toUpperCase()}!! ${plan.text('４２').replace(plan.closing, '')}`;
    await rejectsWith(send(bob.client, internalRoom.id, { text: reordered }), 'LABEL_ABOVE_ROOM_CEILING', 403);
    assert.ok(!(await texts(carol.client, internalRoom.id)).some((text) => text.includes(word)), 'nothing reached the lower room');
    assert.equal(await searchHits(carol.client, word), 0, 'nor its search');

    // Into a room whose ceiling allows it: labelled Confidential, so the guard asks as for any confidential send.
    await rejectsWith(send(bob.client, highRoom.id, { text: edited }), 'CONFIRMATION_REQUIRED', 428);
    const copy = await sendConfirmed(bob.client, highRoom.id, { text: edited });
    assert.equal(copy.label, 'confidential');
    assert.equal(copy.copiedFrom?.id, original.id);
    assert.equal(copy.copiedFrom?.kind, 'message');
    assert.equal(copy.copiedFrom?.match, 'text-similar');
    const seen = (await dave.client.endpoint('listMessages')({ params: { roomId: highRoom.id }, query: {} })).messages.find((m) => m.id === copy.id);
    assert.equal(seen?.copiedFrom?.id, original.id);

    // Ordinary messages, short ones and different long ones, are not copies of anything.
    const short = (await send(bob.client, internalRoom.id, { text: `ok ${word}` })).message;
    const unrelated = (await send(bob.client, internalRoom.id, { text: `Lunch order for Friday ${unique('lunch')}: two pizzas, one salad and the vegetarian option.` })).message;
    for (const message of [short, unrelated]) {
      assert.equal(message.label, 'internal');
      assert.equal(message.copiedFrom, null);
    }
  });

  test('an edit that turns a harmless message into a copy is judged like a send of it: refused, or labelled with its origin', async () => {
    const { alice, bob, carol, dave, secretRoom, internalRoom, highRoom } = await organisation();
    const word = unique('harbour');
    const plan = paragraph(word);
    const original = await sendConfirmed(alice.client, secretRoom.id, { text: plan.text(), label: 'confidential' });
    const edit = (messageId: string, text: string, confirmationToken?: string) =>
      bob.client.endpoint('editMessage')({ params: { messageId }, body: { text, ...(confirmationToken ? { confirmationToken } : {}) } });

    const harmless = (await send(bob.client, internalRoom.id, { text: `Agenda for ${unique('agenda')} is in the usual place.` })).message;
    const refused = await rejectsWith(edit(harmless.id, plan.text('45')), 'LABEL_ABOVE_ROOM_CEILING', 403);
    assert.deepEqual(refused.data, { label: 'confidential', ceiling: 'internal', copyOfLabel: 'confidential' });
    assert.ok(!(await texts(carol.client, internalRoom.id)).some((text) => text.includes(word)), 'the lower room still has the harmless text');
    assert.equal(await searchHits(carol.client, word), 0);

    // Where the ceiling allows it, the edited message takes the label and the origin, and a later copy of the
    // edited text is a copy of the same original.
    const note = (await send(bob.client, highRoom.id, { text: `Notes from ${unique('notes')} follow soon.` })).message;
    assert.equal(note.label, 'internal');
    const asked = await rejectsWith(edit(note.id, plan.text('46')), 'CONFIRMATION_REQUIRED', 428);
    const edited = (await edit(note.id, plan.text('46'), (asked.data as { confirmationToken: string }).confirmationToken)).message;
    assert.equal(edited.label, 'confidential');
    assert.equal(edited.copiedFrom?.id, original.id);
    const seen = (await dave.client.endpoint('listMessages')({ params: { roomId: highRoom.id }, query: {} })).messages.find((m) => m.id === note.id);
    assert.equal(seen?.label, 'confidential');
  });

  test('a copy into a room with guests of an item whose label forbids forwarding to guests is FORWARD_NOT_ALLOWED', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const guest = await buildUser(server(), { role: 'guest' });
    const source = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const withGuest = await buildRoom(server(), { owner: bob.client, members: [guest.user] });
    const word = unique('roadmap');
    const plan = paragraph(word);
    await send(alice.client, source.id, { text: plan.text() });
    // Sent as Public it would take the Internal label of what it copies, which goes to internal audiences only.
    const refused = await rejectsWith(send(bob.client, withGuest.id, { text: plan.text('43'), label: 'public' }), 'FORWARD_NOT_ALLOWED', 403);
    assert.deepEqual(refused.data, { reason: 'guests', copyOfLabel: 'internal' });
    assert.deepEqual(await texts(guest.client, withGuest.id), []);
    assert.equal(await searchHits(guest.client, word), 0);

    // The origin's own restriction applies as well: a message its sender marked "no forwarding" cannot be copied up.
    const restricted = paragraph(unique('restricted'));
    const marked = (await send(alice.client, source.id, { text: restricted.text(), label: 'internal', restrictions: { noForward: true } })).message;
    const other = await buildRoom(server(), { owner: bob.client });
    const refusedToo = await rejectsWith(send(bob.client, other.id, { text: restricted.text('44'), label: 'public' }), 'FORWARD_NOT_ALLOWED', 403);
    assert.deepEqual(refusedToo.data, { reason: 'message', copyOfLabel: 'internal' });
    assert.equal(marked.restrictions.noForward, true);
  });

  test('a compliance officer sees the copy chain (forwards and fingerprint copies), audited; members get 403', async () => {
    const { alice, bob, secretRoom, highRoom } = await organisation();
    const officer = await buildUser(server(), { role: 'compliance' });
    const plan = paragraph(unique('merger'));
    const original = await sendConfirmed(alice.client, secretRoom.id, { text: plan.text(), label: 'confidential' });
    // The guard asks before a confidential forward; the officer's view does not depend on that.
    const asked = await rejectsWith(bob.client.endpoint('forwardMessage')({ params: { messageId: original.id }, body: { roomId: highRoom.id } }), 'CONFIRMATION_REQUIRED');
    const confirmationToken = (asked.data as { confirmationToken: string }).confirmationToken;
    const forward = (await bob.client.endpoint('forwardMessage')({ params: { messageId: original.id }, body: { roomId: highRoom.id, confirmationToken } })).message;
    const textCopy = await sendConfirmed(bob.client, highRoom.id, { text: plan.text('46', '16th'), label: 'internal' });
    assert.equal(textCopy.label, 'confidential');

    for (const start of [original.id, forward.id, textCopy.id]) {
      const chain = await officer.client.endpoint('copyChain')({ params: { kind: 'message', id: start } });
      assert.deepEqual([chain.origin.id, chain.origin.roomId, chain.origin.roomName, chain.origin.match], [original.id, secretRoom.id, secretRoom.name, null]);
      const byId = new Map(chain.copies.map((item) => [item.id, item]));
      const forwarded = byId.get(forward.id);
      assert.deepEqual([forwarded?.match, forwarded?.senderId, forwarded?.roomId, forwarded?.copiedFromId], ['forward', bob.user.id, highRoom.id, original.id]);
      assert.deepEqual([byId.get(textCopy.id)?.match, byId.get(textCopy.id)?.label], ['text-similar', 'confidential']);
    }
    // A short message keeps no fingerprint of its own, yet its forwards still lead back to it.
    const short = (await send(alice.client, secretRoom.id, { text: 'see above' })).message;
    const shortForward = (await bob.client.endpoint('forwardMessage')({ params: { messageId: short.id }, body: { roomId: highRoom.id } })).message;
    const shortChain = await officer.client.endpoint('copyChain')({ params: { kind: 'message', id: shortForward.id } });
    assert.deepEqual([shortChain.origin.id, shortChain.copies.map((item) => [item.id, item.match])], [short.id, [[shortForward.id, 'forward']]]);
    const audit = await officer.client.endpoint('listAudit')({ query: { action: 'compliance.copy_chain_viewed' } });
    assert.ok(audit.entries.some((entry) => entry.target?.id === textCopy.id && entry.actorId === officer.user.id));

    await rejectsWith(bob.client.endpoint('copyChain')({ params: { kind: 'message', id: original.id } }), 'COMPLIANCE_REQUIRED', 403);
    await rejectsWith(alice.client.endpoint('copyChain')({ params: { kind: 'message', id: original.id } }), 'COMPLIANCE_REQUIRED', 403);
    await rejectsWith(officer.client.endpoint('copyChain')({ params: { kind: 'file', id: original.id } }), 'FILE_NOT_FOUND', 404);
  });

  test('recall with includeCopies takes forwards and text copies out of the other rooms, their history and search', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const carol = await buildUser(server());
    const source = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const elsewhere = await buildRoom(server(), { owner: bob.client, members: [carol.user] });
    const word = unique('launch');
    const plan = paragraph(word);
    const original = (await send(alice.client, source.id, { text: plan.text() })).message;
    const forward = (await bob.client.endpoint('forwardMessage')({ params: { messageId: original.id }, body: { roomId: elsewhere.id } })).message;
    const pasted = (await send(bob.client, elsewhere.id, { text: plan.text('47') })).message;
    assert.equal(await searchHits(carol.client, word), 2);

    await alice.client.endpoint('recallMessage')({ params: { messageId: original.id }, body: { includeCopies: true } });
    const seen = (await carol.client.endpoint('listMessages')({ params: { roomId: elsewhere.id }, query: {} })).messages;
    for (const id of [forward.id, pasted.id]) {
      const copy = seen.find((message) => message.id === id);
      assert.deepEqual([copy?.recalled, copy?.text], [true, '']);
    }
    assert.equal(await searchHits(carol.client, word), 0);
    assert.equal(await searchHits(bob.client, word), 0);
  });

  test('recall reaches copies only when asked and when the organisation allows it', async () => {
    const admin = server().admin.client;
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const source = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const elsewhere = await buildRoom(server(), { owner: bob.client });
    const forwardOf = async (text: string) => {
      const original = (await send(alice.client, source.id, { text })).message;
      const copy = (await bob.client.endpoint('forwardMessage')({ params: { messageId: original.id }, body: { roomId: elsewhere.id } })).message;
      return { original, copy };
    };
    const stillThere = async (id: string) => !(await bob.client.endpoint('listMessages')({ params: { roomId: elsewhere.id }, query: {} })).messages.find((m) => m.id === id)?.recalled;

    const notAsked = await forwardOf(`not asked ${unique('x')}`);
    await alice.client.endpoint('recallMessage')({ params: { messageId: notAsked.original.id } });
    assert.ok(await stillThere(notAsked.copy.id));

    await admin.endpoint('updateAdminSettings')({ body: { recallReachesCopies: false } });
    try {
      const notAllowed = await forwardOf(`not allowed ${unique('y')}`);
      await alice.client.endpoint('recallMessage')({ params: { messageId: notAllowed.original.id }, body: { includeCopies: true } });
      assert.ok(await stillThere(notAllowed.copy.id));
    } finally {
      await admin.endpoint('updateAdminSettings')({ body: { recallReachesCopies: true } });
    }
    // Only the author recalls, and an unknown option is refused by name.
    const mine = await forwardOf(`mine ${unique('z')}`);
    await rejectsWith(bob.client.endpoint('recallMessage')({ params: { messageId: mine.original.id }, body: { includeCopies: true } }), 'NOT_MESSAGE_AUTHOR', 403);
    await rejectsWith(alice.client.endpoint('recallMessage')({ params: { messageId: mine.original.id }, body: { includeCopies: true, everywhere: true } as never }), 'VALIDATION_FAILED', 400);
    assert.ok(await stillThere(mine.copy.id));
  });
});
