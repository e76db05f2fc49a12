import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { ConfirmationRequiredData, DlpRule, EndpointInput, Room } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { makeDocx, makePdf } from './file-fixtures';
import { describeEachBackend } from './harness';
import { storageSnapshot, upload } from './upload-helpers';

/** A word no other test uses, letters only, so that it stays one word to the keyword detector. */
function unique(stem: string): string {
  return `${stem}${randomBytes(4).toString('hex').replace(/\d/g, (digit) => 'ghijklmnop'[Number(digit)]!)}`;
}

describeEachBackend('labels from content', (server) => {
  const admin = () => server().admin.client;
  const send = (client: EnclaveClient, roomId: string, body: EndpointInput<'sendMessage'>['body']) => client.endpoint('sendMessage')({ params: { roomId }, body });

  async function textsSeenBy(client: EnclaveClient, roomId: string): Promise<string[]> {
    const { messages } = await client.endpoint('listMessages')({ params: { roomId }, query: {} });
    return messages.map((message) => message.text).reverse();
  }

  /** Alice and Bob, both cleared confidential, in a room whose ceiling is confidential. */
  async function confidentialRoom(): Promise<{ alice: Awaited<ReturnType<typeof buildUser>>; bob: Awaited<ReturnType<typeof buildUser>>; room: Room }> {
    const alice = await buildUser(server(), { clearance: 'confidential' });
    const bob = await buildUser(server(), { clearance: 'confidential' });
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { ceiling: 'confidential' } });
    return { alice, bob, room };
  }

  async function internalRoom() {
    const alice = await buildUser(server(), { clearance: 'confidential' });
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    assert.equal(room.ceiling, 'internal');
    return { alice, bob, room };
  }

  test('a fresh install has the two marking rules, which only raise labels', async () => {
    const { rules } = await admin().endpoint('listDlpRules')();
    const seeded = rules.filter((rule) => rule.action === 'label').map((rule) => [rule.detector, rule.raisesLabelTo, rule.scope, rule.enabled]);
    assert.deepEqual(seeded, [
      [{ kind: 'builtin', id: 'marking-secret' }, 'secret', {}, true],
      [{ kind: 'builtin', id: 'marking-confidential' }, 'confidential', {}, true],
    ]);
  });

  test('【机密】 sent unlabelled into a 200-member internal room is refused, says content raised it, and reaches nobody', async () => {
    const alice = await buildUser(server(), { clearance: 'confidential' });
    const members = [];
    for (let batch = 0; batch < 199; batch += 20) {
      members.push(...(await Promise.all(Array.from({ length: Math.min(20, 199 - batch) }, () => admin().endpoint('createUser')({ body: { username: unique('member'), password: `pw-${unique('x')}`, displayName: 'Member', role: 'member' } })))));
    }
    const { room } = await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: 'everyone', memberIds: members.map((member) => member.user.id) } });
    assert.equal(room.memberCount, 200);
    assert.equal(room.ceiling, 'internal');

    const refused = await rejectsWith(send(alice.client, room.id, { text: '【机密】季度预算草案' }), 'LABEL_ABOVE_ROOM_CEILING', 403);
    assert.deepEqual(refused.data, { label: 'confidential', ceiling: 'internal', raisedBy: 'content' });
    // English markings count too.
    await rejectsWith(send(alice.client, room.id, { text: 'TOP SECRET: the plan' }), 'LABEL_ABOVE_ROOM_CEILING');
    assert.deepEqual(await textsSeenBy(alice.client, room.id), []);
  });

  test('【机密】 into a confidential room is stored confidential, after the guard asks because content raised the label', async () => {
    const { alice, bob, room } = await confidentialRoom();
    const body = { text: '【机密】并购时间表' };
    const asked = await rejectsWith(send(alice.client, room.id, body), 'CONFIRMATION_REQUIRED', 428);
    const data = asked.data as ConfirmationRequiredData;
    assert.deepEqual(data.reasons, ['label']);
    assert.equal(data.label, 'confidential');
    assert.equal(data.raisedBy, 'content');
    assert.deepEqual(await textsSeenBy(bob.client, room.id), []);

    const sent = await send(alice.client, room.id, { ...body, confirmationToken: data.confirmationToken });
    assert.equal(sent.message.label, 'confidential');
    const [stored] = (await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages;
    assert.equal(stored?.label, 'confidential');

    // The raise is audited by rule and labels, never with the text.
    const officer = await buildUser(server(), { role: 'compliance' });
    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'message.label_raised', limit: 20 } });
    const raised = entries.find((entry) => entry.actorId === alice.user.id && entry.target?.id === room.id);
    assert.deepEqual({ ...raised?.data, rules: undefined }, { kind: 'send', from: 'internal', to: 'confidential', rules: undefined });
    assert.ok(!JSON.stringify(raised).includes('并购'));
  });

  test('a DOCX stamped 机密 and a PDF stamped CONFIDENTIAL are labelled confidential at upload; an internal room refuses them', async () => {
    const { alice, room } = await confidentialRoom();
    const docx = makeDocx(['季度数字'], { header: ['机密'] });
    const pdf = await makePdf('CONFIDENTIAL\nQuarterly figures');
    for (const [name, content] of [['figures.docx', docx], ['figures.pdf', pdf], ['机密-名单.txt', 'names']] as const) {
      const file = await upload(alice.client, room.id, content, name);
      assert.equal(file.label, 'confidential', name);
      assert.equal((await alice.client.endpoint('getFile')({ params: { fileId: file.id } })).file.label, 'confidential');
      // The message carrying it is at least the file's label, so the guard asks.
      const asked = await rejectsWith(send(alice.client, room.id, { text: 'see attached', fileIds: [file.id] }), 'CONFIRMATION_REQUIRED');
      assert.equal((asked.data as ConfirmationRequiredData).label, 'confidential');
    }

    const { alice: sender, room: internal } = await internalRoom();
    const before = await storageSnapshot(server());
    for (const [name, content] of [['figures.docx', docx], ['figures.pdf', pdf]] as const) {
      const refused = await rejectsWith(upload(sender.client, internal.id, content, name), 'LABEL_ABOVE_ROOM_CEILING', 403);
      assert.deepEqual(refused.data, { label: 'confidential', ceiling: 'internal', raisedBy: 'content' });
    }
    assert.deepEqual(await storageSnapshot(server()), before, 'a refused upload leaves nothing behind');
  });

  test('editing a harmless message into 【绝密】 is refused and changes nothing; into 【机密】 it raises the stored label', async () => {
    const { alice, bob, room } = await confidentialRoom();
    const sent = await send(alice.client, room.id, { text: 'lunch at noon' });
    assert.equal(sent.message.label, 'internal');

    const refused = await rejectsWith(alice.client.endpoint('editMessage')({ params: { messageId: sent.message.id }, body: { text: '【绝密】作战计划' } }), 'LABEL_ABOVE_ROOM_CEILING');
    assert.deepEqual(refused.data, { label: 'secret', ceiling: 'confidential', raisedBy: 'content' });
    assert.deepEqual(await textsSeenBy(bob.client, room.id), ['lunch at noon']);

    const body = { text: '【机密】午餐改到一点' };
    const asked = await rejectsWith(alice.client.endpoint('editMessage')({ params: { messageId: sent.message.id }, body }), 'CONFIRMATION_REQUIRED');
    assert.equal((asked.data as ConfirmationRequiredData).raisedBy, 'content');
    const edited = await alice.client.endpoint('editMessage')({ params: { messageId: sent.message.id }, body: { ...body, confirmationToken: (asked.data as ConfirmationRequiredData).confirmationToken } });
    assert.equal(edited.message.label, 'confidential');
    const [seen] = (await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages;
    assert.deepEqual([seen?.text, seen?.label], ['【机密】午餐改到一点', 'confidential']);
  });

  test('an admin rule "Project Falcon" that raises to confidential labels sends, thread replies and forwards', async () => {
    const codename = `Project ${unique('Falcon')}`;
    const created = await admin().endpoint('createDlpRule')({ body: { name: 'Falcon is confidential', detector: { kind: 'keywords', words: [codename] }, action: 'label', raisesLabelTo: 'confidential' } });
    const rule: DlpRule = created.rule;
    assert.equal(rule.raisesLabelTo, 'confidential');
    try {
      const { alice, bob, room: internal } = await internalRoom();
      await rejectsWith(send(alice.client, internal.id, { text: `${codename} update` }), 'LABEL_ABOVE_ROOM_CEILING');
      const root = await send(alice.client, internal.id, { text: 'status thread' });
      await rejectsWith(send(alice.client, internal.id, { text: `${codename} in a reply`, threadRootId: root.message.id }), 'LABEL_ABOVE_ROOM_CEILING');
      await rejectsWith(send(alice.client, internal.id, { text: `${codename} in a loud reply`, threadRootId: root.message.id, alsoSendToRoom: true }), 'LABEL_ABOVE_ROOM_CEILING');
      assert.deepEqual(await textsSeenBy(bob.client, internal.id), ['status thread']);

      const { alice: carol, room: confidential } = await confidentialRoom();
      const stored = await sendConfirmed(carol.client, confidential.id, { text: `${codename} budget` });
      assert.equal(stored.label, 'confidential');
    } finally {
      await admin().endpoint('deleteDlpRule')({ params: { ruleId: rule.id } });
    }
  });

  test('a forward is labelled by the rules of today: a message marked after it was sent cannot be forwarded into an internal room', async () => {
    const codename = unique('heron');
    const { alice, bob, room } = await internalRoom();
    const other = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const sent = await send(alice.client, room.id, { text: `the ${codename} numbers` });
    const { rule } = await admin().endpoint('createDlpRule')({ body: { name: 'Heron', detector: { kind: 'keywords', words: [codename] }, action: 'label', raisesLabelTo: 'confidential' } });
    try {
      const refused = await rejectsWith(alice.client.endpoint('forwardMessage')({ params: { messageId: sent.message.id }, body: { roomId: other.id } }), 'LABEL_ABOVE_ROOM_CEILING');
      assert.deepEqual(refused.data, { label: 'confidential', ceiling: 'internal', raisedBy: 'content' });
      assert.deepEqual(await textsSeenBy(bob.client, other.id), []);
    } finally {
      await admin().endpoint('deleteDlpRule')({ params: { ruleId: rule.id } });
    }
  });

  test('any rule may raise a label besides its action; a label rule must name its label, and an existing one', async () => {
    const codename = unique('osprey');
    const { rule } = await admin().endpoint('createDlpRule')({ body: { name: 'Osprey', detector: { kind: 'keywords', words: [codename] }, action: 'warn' } });
    try {
      const updated = await admin().endpoint('updateDlpRule')({ params: { ruleId: rule.id }, body: { raisesLabelTo: 'confidential' } });
      assert.equal(updated.rule.raisesLabelTo, 'confidential');
      const { alice, room } = await confidentialRoom();
      const asked = await rejectsWith(send(alice.client, room.id, { text: `${codename} memo` }), 'CONFIRMATION_REQUIRED');
      const data = asked.data as ConfirmationRequiredData;
      assert.deepEqual([data.reasons, data.label, data.rules.map((found) => found.name)], [['label', 'dlp'], 'confidential', ['Osprey']]);

      await rejectsWith(admin().endpoint('updateDlpRule')({ params: { ruleId: rule.id }, body: { action: 'label', raisesLabelTo: null } }), 'VALIDATION_FAILED', 400);
      await rejectsWith(admin().endpoint('updateDlpRule')({ params: { ruleId: rule.id }, body: { raisesLabelTo: 'no-such-label' } }), 'LABEL_NOT_FOUND');
      await rejectsWith(admin().endpoint('createDlpRule')({ body: { name: 'Nameless', detector: { kind: 'keywords', words: ['x'] }, action: 'label' } }), 'VALIDATION_FAILED', 400);
    } finally {
      await admin().endpoint('deleteDlpRule')({ params: { ruleId: rule.id } });
    }
  });
});
