import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConfirmationRequiredData, DlpAction, EndpointInput } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { rejectsWith } from './expect-error';
import { makePdf } from './file-fixtures';
import { describeEachBackend } from './harness';
import { buildRoom, buildUser, createApprovedDlpRule } from '@enclave/testkit';
import { upload } from './upload-helpers';

/** Starts like a PDF, so it is accepted as one, but cannot be parsed: its text cannot be checked. */
const UNREADABLE_PDF = '%PDF-1.7\nthis is not really a PDF';

describeEachBackend('DLP on files it cannot read to the end', (server) => {
  const admin = () => server().admin.client;

  async function roomWithRule(action: DlpAction) {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    // A review rule on one small group waits for a second approver: an officer of its own approves it.
    const approver = await buildUser(server(), { role: 'compliance' });
    const rule = await createApprovedDlpRule(admin(), approver.client, { name: `Deal names (${action})`, detector: { kind: 'keywords', words: ['bluebird'] }, scope: { roomIds: [room.id] }, action });
    return { alice, bob, room, rule };
  }

  const send = (client: EnclaveClient, roomId: string, body: EndpointInput<'sendMessage'>['body']) => client.endpoint('sendMessage')({ params: { roomId }, body });

  test('a block rule that applies refuses a file it cannot read, names the file, and audits it as unread', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const { alice, bob, room, rule } = await roomWithRule('block');
    const unreadable = await upload(alice.client, room.id, UNREADABLE_PDF, 'locked.pdf');
    const refused = await rejectsWith(send(alice.client, room.id, { text: 'see attached', fileIds: [unreadable.id] }), 'DLP_BLOCKED', 403);
    assert.deepEqual(refused.data, { rules: [{ id: rule.id, name: rule.name, action: 'block' }], unreadFiles: [{ id: unreadable.id, name: 'locked.pdf' }] });
    assert.equal((await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages.length, 0);

    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'dlp.hit', limit: 20 } });
    const hit = entries.find((entry) => (entry.data.rule as { id: string }).id === rule.id);
    assert.deepEqual([hit?.data.fileId, hit?.data.unread, hit?.data.outcome, hit?.data.matches], [unreadable.id, true, 'blocked', 0]);

    // A readable PDF without the words goes out under the same rule.
    const readable = await upload(alice.client, room.id, await makePdf('Quarterly figures'), 'figures.pdf');
    const sent = await send(alice.client, room.id, { text: 'figures', fileIds: [readable.id] });
    assert.deepEqual(sent.message.files.map((file) => file.id), [readable.id]);
  });

  test('a warn rule asks for confirmation naming the unread file, and the confirmed send goes out', async () => {
    const { alice, room, rule } = await roomWithRule('warn');
    const unreadable = await upload(alice.client, room.id, UNREADABLE_PDF, 'scan.pdf');
    const asked = await rejectsWith(send(alice.client, room.id, { text: 'scan', fileIds: [unreadable.id] }), 'CONFIRMATION_REQUIRED', 428);
    const data = asked.data as ConfirmationRequiredData;
    assert.deepEqual([data.reasons, data.rules, data.unreadFiles], [['dlp'], [{ id: rule.id, name: rule.name }], [{ id: unreadable.id, name: 'scan.pdf' }]]);
    const sent = await send(alice.client, room.id, { text: 'scan', fileIds: [unreadable.id], confirmationToken: data.confirmationToken });
    assert.deepEqual(sent.message.files.map((file) => file.id), [unreadable.id]);
  });

  test('a review rule holds a message carrying an unread file for a compliance officer', async () => {
    const { alice, room, rule } = await roomWithRule('review');
    const unreadable = await upload(alice.client, room.id, UNREADABLE_PDF, 'contract.pdf');
    const held = await rejectsWith(send(alice.client, room.id, { text: 'contract', fileIds: [unreadable.id] }), 'DLP_HELD_FOR_REVIEW', 409);
    assert.deepEqual(held.data?.rules, [{ id: rule.id, name: rule.name, action: 'review' }]);
    assert.deepEqual(held.data?.unreadFiles, [{ id: unreadable.id, name: 'contract.pdf' }]);
  });

  test('where no rule applies, an unread file is sent like any other', async () => {
    const { alice } = await roomWithRule('block');
    const elsewhere = await buildRoom(server(), { owner: alice.client });
    const unreadable = await upload(alice.client, elsewhere.id, UNREADABLE_PDF, 'old.pdf');
    const sent = await send(alice.client, elsewhere.id, { text: 'old', fileIds: [unreadable.id] });
    assert.deepEqual(sent.message.files.map((file) => file.id), [unreadable.id]);
  });

  test('a forward of an unread file is checked against the rules of the room it goes to', async () => {
    const alice = await buildUser(server());
    const open = await buildRoom(server(), { owner: alice.client });
    const guarded = await buildRoom(server(), { owner: alice.client });
    const unreadable = await upload(alice.client, open.id, UNREADABLE_PDF, 'minutes.pdf');
    const { message } = await send(alice.client, open.id, { text: 'minutes', fileIds: [unreadable.id] });
    const rule = (await admin().endpoint('createDlpRule')({ body: { name: 'Guarded room', detector: { kind: 'builtin', id: 'marking' }, scope: { roomIds: [guarded.id] }, action: 'block' } })).rule;
    const refused = await rejectsWith(alice.client.endpoint('forwardMessage')({ params: { messageId: message.id }, body: { roomId: guarded.id } }), 'DLP_BLOCKED');
    assert.deepEqual(refused.data, { rules: [{ id: rule.id, name: rule.name, action: 'block' }], unreadFiles: [{ id: unreadable.id, name: 'minutes.pdf' }] });
  });
});
