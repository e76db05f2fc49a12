import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { DEFAULT_SEND_GUARD, type ConfirmationRequiredData, type DlpAction, type EndpointInput } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { rejectsWith } from './expect-error';
import { makeDocx, makePdf } from './file-fixtures';
import { describeEachBackend, messagesIn, openStream } from './harness';
import { buildRoom, buildRoomOfTwo, buildUser, createApprovedDlpRule } from '@enclave/testkit';
import { upload } from './upload-helpers';

/** A word no other test uses, letters only (so that it stays one word in the index and to the DLP detectors). */
function unique(stem: string): string {
  return `${stem}${randomBytes(4).toString('hex').replace(/\d/g, (digit) => 'ghijklmnop'[Number(digit)]!)}`;
}

describeEachBackend('files and information protection', (server) => {
  const admin = () => server().admin.client;

  async function keywordRule(roomId: string, word: string, action: DlpAction) {
    // A review rule on one small group waits for a second approver: an officer of its own approves it.
    const approver = await buildUser(server(), { role: 'compliance' });
    return createApprovedDlpRule(admin(), approver.client, { name: `Code words (${action})`, detector: { kind: 'keywords', words: [word] }, scope: { roomIds: [roomId] }, action });
  }

  const send = (client: EnclaveClient, roomId: string, body: EndpointInput<'sendMessage'>['body']) => client.endpoint('sendMessage')({ params: { roomId }, body });

  test('the guard can ask before any message with files goes out; the token covers exactly those files', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    await admin().endpoint('updateAdminSettings')({ body: { sendGuard: { ...DEFAULT_SEND_GUARD, files: true } } });
    try {
      await send(alice.client, room.id, { text: 'no files, no question' });
      const first = await upload(alice.client, room.id, 'one', 'one.txt');
      const second = await upload(alice.client, room.id, 'two', 'two.txt');
      const asked = await rejectsWith(send(alice.client, room.id, { text: 'files', fileIds: [first.id] }), 'CONFIRMATION_REQUIRED', 428);
      const { reasons, confirmationToken } = asked.data as ConfirmationRequiredData;
      assert.deepEqual(reasons, ['files']);
      await rejectsWith(send(alice.client, room.id, { text: 'files', fileIds: [second.id], confirmationToken }), 'CONFIRMATION_REQUIRED');
      await rejectsWith(send(alice.client, room.id, { text: 'files', fileIds: [first.id, second.id], confirmationToken }), 'CONFIRMATION_REQUIRED');
      const sent = await send(alice.client, room.id, { text: 'files', fileIds: [first.id], confirmationToken });
      assert.deepEqual(sent.message.files.map((file) => file.id), [first.id]);
    } finally {
      await admin().endpoint('updateAdminSettings')({ body: { sendGuard: DEFAULT_SEND_GUARD } });
    }
  });

  test('a block rule refuses a file by its name or by the text inside it, whatever its format', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const word = unique('falcon');
    const rule = await keywordRule(room.id, word, 'block');
    const carriers: [string, Uint8Array | string][] = [
      [`${word}-plan.txt`, 'nothing to see'],
      ['notes.txt', `the ${word} notes`],
      ['table.csv', `name,code\nproject,${word}\n`],
      ['readme.md', `# About ${word}\n`],
      ['brief.pdf', await makePdf(`Briefing on ${word} for the board`)],
      ['brief.docx', makeDocx(['Agenda', `Item one: ${word} budget`])],
    ];
    for (const [name, content] of carriers) {
      const file = await upload(alice.client, room.id, content, name);
      const refused = await rejectsWith(send(alice.client, room.id, { text: 'see attached', fileIds: [file.id] }), 'DLP_BLOCKED', 403);
      assert.deepEqual(refused.data, { rules: [{ id: rule.id, name: rule.name, action: 'block' }] }, name);
    }
    assert.equal((await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages.length, 0);
    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'dlp.hit', limit: 20 } });
    const hits = entries.filter((entry) => (entry.data.rule as { id: string }).id === rule.id);
    assert.equal(hits.length, carriers.length);
    assert.ok(hits.every((hit) => typeof hit.data.fileId === 'string' && hit.data.outcome === 'blocked'));
    assert.ok(!JSON.stringify(entries).includes(word));
  });

  test('a redact rule cannot change a file, so a match in one blocks the send; in the text it still redacts', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const word = unique('codename');
    const rule = await keywordRule(room.id, word, 'redact');
    const file = await upload(alice.client, room.id, `about ${word}`, 'about.txt');
    const refused = await rejectsWith(send(alice.client, room.id, { text: 'attached', fileIds: [file.id] }), 'DLP_BLOCKED');
    assert.deepEqual(refused.data, { rules: [{ id: rule.id, name: rule.name, action: 'redact' }] });
    const clean = await upload(alice.client, room.id, 'nothing here', 'clean.txt');
    const sent = await send(alice.client, room.id, { text: `the ${word} file`, fileIds: [clean.id] });
    assert.equal(sent.message.text, 'the ████ file');
    assert.equal(sent.message.files[0]!.id, clean.id);
  });

  test('a warn rule on a file asks for confirmation; a review rule holds the whole message, files and all', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const warned = unique('tender');
    const reviewed = unique('merger');
    const warnRule = await keywordRule(room.id, warned, 'warn');
    await keywordRule(room.id, reviewed, 'review');

    const price = await upload(alice.client, room.id, `${warned} price list`, 'prices.txt');
    const asked = await rejectsWith(send(alice.client, room.id, { text: 'prices', fileIds: [price.id] }), 'CONFIRMATION_REQUIRED');
    const data = asked.data as ConfirmationRequiredData;
    assert.deepEqual([data.reasons, data.rules], [['dlp'], [{ id: warnRule.id, name: warnRule.name }]]);
    await send(alice.client, room.id, { text: 'prices', fileIds: [price.id], confirmationToken: data.confirmationToken });

    const deal = await upload(alice.client, room.id, makeDocx([`The ${reviewed} closes in May`]), 'deal.docx');
    const held = await rejectsWith(send(alice.client, room.id, { text: 'the deal', fileIds: [deal.id] }), 'DLP_HELD_FOR_REVIEW', 409);
    // Waiting for review, the upload goes with no other message.
    await rejectsWith(send(alice.client, room.id, { text: 'the deal again', fileIds: [deal.id] }), 'FILE_NOT_ATTACHABLE');
    const bobLive = await openStream(bob.client);
    await officer.client.endpoint('releaseReview')({ params: { reviewId: held.data?.reviewId as string }, body: {} });
    await bobLive.waitFor((events) => messagesIn(events, room.id).some((message) => message.text === 'the deal'), 'the released message');
    const released = messagesIn(bobLive.events, room.id).find((message) => message.text === 'the deal')!;
    assert.deepEqual(released.files.map((file) => file.id), [deal.id]);
    assert.ok((await bob.client.endpoint('fileContent')({ params: { fileId: deal.id }, query: { disposition: 'attachment' } })).length > 0);
    bobLive.close();
  });

  test('a forward is checked against the target room, files included', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const other = await buildRoom(server(), { owner: alice.client });
    const word = unique('sparrow');
    const file = await upload(alice.client, room.id, `${word} details`, 'details.txt');
    const { message } = await send(alice.client, room.id, { text: 'details', fileIds: [file.id] });
    await keywordRule(other.id, word, 'block');
    await rejectsWith(alice.client.endpoint('forwardMessage')({ params: { messageId: message.id }, body: { roomId: other.id } }), 'DLP_BLOCKED');
  });

  test("search finds a message by a word of its file's name or content, Chinese too, and honours hasFile", async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const nameWord = unique('blueprint');
    const contentWord = unique('turbine');
    const pdfWord = unique('propeller');
    const named = await upload(alice.client, room.id, 'plain content', `${nameWord}-v2.txt`);
    const chinese = await upload(alice.client, room.id, `这是一份重要的文件，关于${contentWord}的设计。`, 'design.txt');
    const pdf = await upload(alice.client, room.id, await makePdf(`Specification of the ${pdfWord} blades`), 'spec.pdf');
    const withName = await send(alice.client, room.id, { text: 'drawings', fileIds: [named.id] });
    const withContent = await send(alice.client, room.id, { text: '设计稿', fileIds: [chinese.id, pdf.id] });
    const plain = await send(alice.client, room.id, { text: `no file but ${contentWord}` });
    const found = async (query: EndpointInput<'search'>['query']) => (await bob.client.endpoint('search')({ query })).results.map((result) => result.message.id);

    assert.deepEqual(await found({ q: nameWord }), [withName.message.id]);
    assert.deepEqual(await found({ q: `${pdfWord} ` }), [withContent.message.id]);
    assert.deepEqual(await found({ q: `${contentWord} ` }), [plain.message.id, withContent.message.id]);
    assert.deepEqual(await found({ q: `${contentWord} `, hasFile: true }), [withContent.message.id]);
    assert.deepEqual(await found({ q: `${contentWord} `, hasFile: false }), [plain.message.id]);
    assert.ok((await found({ q: '文件', roomId: room.id })).includes(withContent.message.id));
    const [hit] = (await bob.client.endpoint('search')({ query: { q: nameWord } })).results;
    assert.deepEqual(hit!.message.files.map((file) => file.id), [named.id]);

    // An edit keeps the files and what they are found by; a deletion takes all of it out of search.
    await alice.client.endpoint('editMessage')({ params: { messageId: withName.message.id }, body: { text: 'drawings, revised' } });
    assert.deepEqual(await found({ q: nameWord }), [withName.message.id]);
    await alice.client.endpoint('deleteMessage')({ params: { messageId: withName.message.id } });
    assert.deepEqual(await found({ q: nameWord }), []);
    const outsider = await buildUser(server());
    assert.deepEqual((await outsider.client.endpoint('search')({ query: { q: pdfWord } })).results, []);
  });
});
