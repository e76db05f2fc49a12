import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from './expect-error';
import { describeEachBackend, messagesIn, openStream } from './harness';
import { buildRoom, buildUser, createApprovedDlpRule } from '@enclave/testkit';
import { upload } from './upload-helpers';

describeEachBackend('DLP review queue', (server) => {
  const admin = () => server().admin.client;

  async function reviewedRoom() {
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const word = `tender${Date.now()}`;
    // A review rule on one small group is one a second person must approve: the officer does.
    const rule = await createApprovedDlpRule(admin(), officer.client, { name: 'Tender talk', detector: { kind: 'keywords', words: [word] }, scope: { roomIds: [room.id] }, action: 'review' });
    return { officer, alice, bob, room, word, rule };
  }

  test('a held message reaches nobody until an officer releases it; the sender is told both times', async () => {
    const { officer, alice, bob, room, word, rule } = await reviewedRoom();
    const bobLive = await openStream(bob.client);
    const aliceLive = await openStream(alice.client);
    const held = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `the ${word} price is 4m` } }), 'DLP_HELD_FOR_REVIEW', 409);
    const reviewId = held.data?.reviewId as string;
    assert.deepEqual(held.data?.rules, [{ id: rule.id, name: 'Tender talk', action: 'review' }]);
    assert.equal((await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages.length, 0);

    const { reviews } = await officer.client.endpoint('listReviews')({ query: {} });
    const item = reviews.find((r) => r.id === reviewId);
    assert.ok(item);
    assert.deepEqual([item.status, item.kind, item.text, item.senderId, item.roomName], ['pending', 'send', `the ${word} price is 4m`, alice.user.id, room.name]);

    const released = await officer.client.endpoint('releaseReview')({ params: { reviewId }, body: { note: 'public figure' } });
    assert.equal(released.review.status, 'released');
    assert.ok(released.review.messageId);
    await bobLive.waitFor((events) => messagesIn(events, room.id).some((m) => m.text === `the ${word} price is 4m`), 'the released message');
    await aliceLive.waitFor((events) => events.some((e) => e.type === 'review.decided' && e.reviewId === reviewId && e.outcome === 'released'), 'the decision');
    await rejectsWith(officer.client.endpoint('rejectReview')({ params: { reviewId }, body: {} }), 'REVIEW_ALREADY_DECIDED', 409);
    bobLive.close();
    aliceLive.close();
  });

  test('the officer sees a held message’s files and opens them, audited; no other file, and nobody else, that way', async () => {
    const { officer, alice, room, word } = await reviewedRoom();
    const bids = await upload(alice.client, room.id, `${word} bids: 4.1m, 4.3m`, 'bids.txt');
    const other = await upload(alice.client, room.id, 'unrelated', 'other.txt');
    const held = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'the bids', fileIds: [bids.id] } }), 'DLP_HELD_FOR_REVIEW');
    const reviewId = held.data?.reviewId as string;

    const { reviews } = await officer.client.endpoint('listReviews')({ query: {} });
    assert.deepEqual(reviews.find((r) => r.id === reviewId)?.files, [bids]);
    const bytes = await officer.client.endpoint('heldFileContent')({ params: { reviewId, fileId: bids.id }, query: { disposition: 'inline' } });
    assert.equal(new TextDecoder().decode(bytes), `${word} bids: 4.1m, 4.3m`);
    await rejectsWith(officer.client.endpoint('heldFileContent')({ params: { reviewId, fileId: other.id }, query: {} }), 'FILE_NOT_FOUND', 404);
    await rejectsWith(officer.client.endpoint('heldFileContent')({ params: { reviewId: 'no-such-review', fileId: bids.id }, query: {} }), 'REVIEW_NOT_FOUND', 404);
    await rejectsWith(alice.client.endpoint('heldFileContent')({ params: { reviewId, fileId: bids.id }, query: {} }), 'COMPLIANCE_REQUIRED', 403);

    const rejected = await officer.client.endpoint('rejectReview')({ params: { reviewId }, body: {} });
    assert.deepEqual(rejected.review.files.map((file) => file.id), [bids.id], 'a decided item still shows what it held');
    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'compliance.', limit: 20 } });
    const opened = entries.filter((e) => e.action === 'compliance.held_file_opened' && e.target?.id === bids.id);
    assert.deepEqual(opened.map((e) => [e.actorId, e.data.reviewId, e.data.disposition]), [[officer.user.id, reviewId, 'inline']]);
  });

  test('a rejected message is never delivered; the decision and the look at the queue are audited', async () => {
    const { officer, alice, bob, room, word } = await reviewedRoom();
    const aliceLive = await openStream(alice.client);
    const held = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `${word} leak` } }), 'DLP_HELD_FOR_REVIEW');
    const reviewId = held.data?.reviewId as string;
    const rejected = await officer.client.endpoint('rejectReview')({ params: { reviewId }, body: { note: 'not to be shared' } });
    assert.deepEqual([rejected.review.status, rejected.review.note, rejected.review.decidedBy], ['rejected', 'not to be shared', officer.user.id]);
    await aliceLive.waitFor((events) => events.some((e) => e.type === 'review.decided' && e.reviewId === reviewId && e.outcome === 'rejected'), 'the rejection');
    assert.equal((await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages.length, 0);
    const history = await officer.client.endpoint('listReviews')({ query: { status: 'rejected' } });
    assert.ok(history.reviews.some((r) => r.id === reviewId));
    await rejectsWith(officer.client.endpoint('releaseReview')({ params: { reviewId: 'no-such-review' }, body: {} }), 'REVIEW_NOT_FOUND', 404);

    const { entries } = await officer.client.endpoint('listAudit')({ query: { limit: 20 } });
    const actions = entries.map((e) => e.action);
    assert.ok(actions.includes('dlp.review_rejected'));
    assert.ok(actions.includes('compliance.reviews_viewed'));
    const hit = entries.find((e) => e.action === 'dlp.hit' && e.data.heldMessageId === reviewId);
    assert.equal(hit?.data.outcome, 'held');
    assert.ok(!JSON.stringify(entries).includes(`${word} leak`));
    aliceLive.close();
  });

  test('edits and forwards are held too, and take effect on release', async () => {
    const { officer, alice, bob, room, word } = await reviewedRoom();
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'harmless' } });
    const held = await rejectsWith(alice.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: `harmless ${word}` } }), 'DLP_HELD_FOR_REVIEW');
    assert.equal((await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages[0]?.text, 'harmless');
    await officer.client.endpoint('releaseReview')({ params: { reviewId: held.data?.reviewId as string }, body: {} });
    assert.equal((await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages[0]?.text, `harmless ${word}`);

    const elsewhere = await buildRoom(server(), { owner: bob.client, members: [alice.user] });
    const plain = (await bob.client.endpoint('sendMessage')({ params: { roomId: elsewhere.id }, body: { text: `${word} from elsewhere` } })).message;
    const heldForward = await rejectsWith(alice.client.endpoint('forwardMessage')({ params: { messageId: plain.id }, body: { roomId: room.id } }), 'DLP_HELD_FOR_REVIEW');
    const { review } = await officer.client.endpoint('releaseReview')({ params: { reviewId: heldForward.data?.reviewId as string }, body: {} });
    const [forwarded] = (await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages;
    assert.equal(forwarded?.id, review.messageId);
    assert.equal(forwarded?.forwardedFrom?.messageId, plain.id);
  });

  test('a release fails cleanly and stays pending when the sender has left the room', async () => {
    const { officer, alice, bob, room, word } = await reviewedRoom();
    const held = await rejectsWith(bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `${word} from bob` } }), 'DLP_HELD_FOR_REVIEW');
    await alice.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
    const reviewId = held.data?.reviewId as string;
    await rejectsWith(officer.client.endpoint('releaseReview')({ params: { reviewId }, body: {} }), 'ROOM_NOT_FOUND', 404);
    const { reviews } = await officer.client.endpoint('listReviews')({ query: {} });
    assert.equal(reviews.find((r) => r.id === reviewId)?.status, 'pending');
  });
});
