import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { readZip } from './export-zip-reader';
import { describeEachBackend, type TestServer } from './harness';

const DAY = 86_400_000;

/** Makes messages look sent `days` ago: retention counts ages from the sending time. */
async function age(server: TestServer, messageIds: string[], days: number): Promise<void> {
  await server.running.database.db.updateTable('messages').set({ created_at: Date.now() - days * DAY }).where('id', 'in', messageIds).execute();
}

/** What an officer's compliance search finds for these words in a room, as `kind messageId`. */
async function foundByOfficer(officer: EnclaveClient, roomId: string, words: string): Promise<string[]> {
  const { records } = await officer.endpoint('searchRecords')({ body: { roomIds: [roomId], words } });
  return records.map((record) => `${record.kind} ${record.messageId}`);
}

/** The messages.jsonl lines of a matter's export: what its hold keeps, as an officer receives it. */
async function matterExport(officer: EnclaveClient, holdId: string): Promise<{ id: string; text: string | null; deleted: boolean; versions: { version: number; text: string | null }[] }[]> {
  const entries = await readZip(await officer.endpoint('createExport')({ body: { matterId: holdId } }));
  return entries.get('messages.jsonl')!.toString('utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

// One call site per endpoint: each typed endpoint call costs the type check.
async function remove(client: EnclaveClient, messageId: string): Promise<void> {
  await client.endpoint('deleteMessage')({ params: { messageId } });
}

async function membersSee(client: EnclaveClient, roomId: string) {
  return (await client.endpoint('listMessages')({ params: { roomId } })).messages;
}

/** Sets the room's retention to 30 days and runs the purge at once. */
async function purgeAfter30Days(officer: EnclaveClient, roomId: string) {
  await officer.endpoint('setRetention')({ body: { scope: 'room', targetId: roomId, deleteAfterDays: 30, keepAtLeastDays: null } });
  return officer.endpoint('runPurge')();
}

/** A word no other test uses, so a search finds only this test's messages. */
function unique(stem: string): string {
  return `${stem}${randomBytes(3).toString('hex').replace(/\d/g, 'x')}`;
}

async function storedMessageIds(server: TestServer, roomId: string): Promise<string[]> {
  const rows = await server.running.database.db.selectFrom('messages').select('id').where('room_id', '=', roomId).orderBy('position').execute();
  return rows.map((row) => row.id);
}

describeEachBackend('legal hold', (server) => {
  async function officerAndRoom() {
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    return { officer, alice, bob, room };
  }

  /** A room under a legal hold of its own, and one message sent in it. */
  async function heldRoomWith(sender: 'alice' | 'bob', text: string) {
    const people = await officerAndRoom();
    const { hold } = await people.officer.client.endpoint('createHold')({ body: { name: `Matter ${text}`, covers: { roomIds: [people.room.id] } } });
    const { message } = await people[sender].client.endpoint('sendMessage')({ params: { roomId: people.room.id }, body: { text } });
    return { ...people, hold, message };
  }

  test('only a compliance officer may list, place, change or release holds, by any route', async () => {
    const { officer, alice, room } = await officerAndRoom();
    const { hold } = await officer.client.endpoint('createHold')({ body: { name: 'Matter A', covers: { roomIds: [room.id] } } });
    for (const client of [server().admin.client, alice.client]) {
      await rejectsWith(client.endpoint('listHolds')({ query: {} }), 'COMPLIANCE_REQUIRED', 403);
      await rejectsWith(client.endpoint('createHold')({ body: { name: 'mine', covers: { roomIds: [room.id] } } }), 'COMPLIANCE_REQUIRED', 403);
      await rejectsWith(client.endpoint('updateHold')({ params: { holdId: hold.id }, body: { covers: { roomIds: ['elsewhere'] } } }), 'COMPLIANCE_REQUIRED', 403);
      await rejectsWith(client.endpoint('releaseHold')({ params: { holdId: hold.id } }), 'COMPLIANCE_REQUIRED', 403);
    }
    const raw = await fetch(`${server().url}/api/v1/compliance/holds/${hold.id}/release`, { method: 'POST', headers: { authorization: `Bearer ${server().admin.client.currentToken}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(raw.status, 403, 'the raw API refuses an admin too');
    const { holds } = await officer.client.endpoint('listHolds')({ query: {} });
    assert.equal(holds.find((h) => h.id === hold.id)?.releasedAt, null, 'nothing above released it');
  });

  test('a hold covers custodians, rooms and dates only, and must name someone or something', async () => {
    const { officer, alice, room } = await officerAndRoom();
    const refused = [
      { roomIds: [room.id], words: 'merger' },
      { roomIds: [room.id], label: 'internal' },
      { roomIds: [room.id], hasFile: true },
      {},
      { custodianIds: [alice.user.id], from: '2026-02-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z' },
    ];
    for (const covers of refused) await rejectsWith(officer.client.endpoint('createHold')({ body: { name: 'x', covers } }), 'VALIDATION_FAILED', 400);
  });

  test('placing, changing and releasing a hold are audited, its name sealed and never in the entry data', async () => {
    const { officer, alice, room } = await officerAndRoom();
    const name = 'Dismissal of Alice Example';
    const { hold } = await officer.client.endpoint('createHold')({ body: { name, description: 'Tribunal case 17', covers: { custodianIds: [alice.user.id], from: '2026-01-01T00:00:00.000Z' } } });
    assert.deepEqual(hold.covers, { custodianIds: [alice.user.id], roomIds: [], from: '2026-01-01T00:00:00.000Z' });
    const changed = await officer.client.endpoint('updateHold')({ params: { holdId: hold.id }, body: { covers: { custodianIds: [alice.user.id], roomIds: [room.id] } } });
    assert.deepEqual(changed.hold.covers.roomIds, [room.id]);
    assert.equal(changed.hold.name, name);
    const released = await officer.client.endpoint('releaseHold')({ params: { holdId: hold.id } });
    assert.equal(released.hold.releasedBy, officer.user.id);
    await rejectsWith(officer.client.endpoint('releaseHold')({ params: { holdId: hold.id } }), 'HOLD_RELEASED', 409);
    await rejectsWith(officer.client.endpoint('updateHold')({ params: { holdId: hold.id }, body: { name: 'revived' } }), 'HOLD_RELEASED', 409);
    await rejectsWith(officer.client.endpoint('releaseHold')({ params: { holdId: 'no-such-hold' } }), 'HOLD_NOT_FOUND', 404);
    const db = server().running.database.db;
    const entries = await db.selectFrom('audit_log').select(['action', 'actor_id', 'data']).where('target_id', '=', hold.id).orderBy('seq').execute();
    assert.deepEqual(entries.map((e) => e.action), ['hold.created', 'hold.updated', 'hold.released']);
    assert.ok(entries.every((e) => e.actor_id === officer.user.id));
    for (const entry of entries) assert.ok(!entry.data.includes('Dismissal') && !entry.data.includes('Tribunal'), 'the matter name is sealed content, not data');
    const stored = await db.selectFrom('legal_holds').select(['name', 'description']).where('id', '=', hold.id).executeTakeFirstOrThrow();
    assert.ok(!stored.name.includes('Dismissal') && !stored.description.includes('Tribunal'), 'the name is sealed at rest');
  });

  test('room deletion, single and bulk, is refused with LEGAL_HOLD naming the matter, and nothing is erased; release lets it proceed', async () => {
    const { officer, alice, room } = await officerAndRoom();
    const free = await buildRoom(server(), { owner: alice.client });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'keep me' } });
    const { hold } = await officer.client.endpoint('createHold')({ body: { name: 'Room matter', covers: { roomIds: [room.id] } } });
    const admin = server().admin.client;
    for (const id of [room.id, free.id]) await admin.endpoint('freezeRoom')({ params: { roomId: id }, body: { reason: 'closing' } });
    // The records policy's archive is there, so what refuses below is the hold alone.
    for (const id of [room.id, free.id]) await officer.client.endpoint('exportRoom')({ params: { roomId: id }, query: { format: 'jsonl' } });
    const single = await rejectsWith(admin.endpoint('deleteRoom')({ params: { roomId: room.id } }), 'LEGAL_HOLD', 409);
    assert.equal(single.data?.holdId, hold.id);
    assert.equal(single.data?.holdName, 'Room matter');
    const bulk = await rejectsWith(admin.endpoint('bulkDeleteRooms')({ body: { roomIds: [free.id, room.id] } }), 'LEGAL_HOLD', 409);
    assert.equal(bulk.data?.holdId, hold.id);
    assert.equal((await storedMessageIds(server(), room.id)).length, 1, 'the held room keeps its messages');
    const db = server().running.database.db;
    assert.ok(await db.selectFrom('rooms').select('id').where('id', '=', free.id).executeTakeFirst(), 'one held room in a bulk list deletes nothing');
    assert.ok(await db.selectFrom('data_keys').select('owner').where('owner', '=', `room:${room.id}`).executeTakeFirst(), "the held room's key is not destroyed");
    await officer.client.endpoint('releaseHold')({ params: { holdId: hold.id } });
    const { certificates } = await admin.endpoint('bulkDeleteRooms')({ body: { roomIds: [free.id, room.id] } });
    assert.equal(certificates.length, 2);
  });

  test("a custodian hold keeps a room holding the custodian's messages in its range, and no other room", async () => {
    const { officer, alice, bob, room } = await officerAndRoom();
    const other = await buildRoom(server(), { owner: bob.client });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'from the custodian' } });
    await bob.client.endpoint('sendMessage')({ params: { roomId: other.id }, body: { text: 'not a custodian' } });
    await age(server(), [message.id], 10);
    const { hold } = await officer.client.endpoint('createHold')({ body: { name: 'Custodian matter', covers: { custodianIds: [alice.user.id], from: new Date(Date.now() - 30 * DAY).toISOString() } } });
    const admin = server().admin.client;
    for (const id of [room.id, other.id]) await admin.endpoint('freezeRoom')({ params: { roomId: id }, body: { reason: 'closing' } });
    for (const id of [room.id, other.id]) await officer.client.endpoint('exportRoom')({ params: { roomId: id }, query: { format: 'jsonl' } });
    await rejectsWith(admin.endpoint('deleteRoom')({ params: { roomId: room.id } }), 'LEGAL_HOLD', 409);
    await admin.endpoint('deleteRoom')({ params: { roomId: other.id } });
    await officer.client.endpoint('updateHold')({ params: { holdId: hold.id }, body: { covers: { custodianIds: [alice.user.id], from: new Date(Date.now() - 5 * DAY).toISOString() } } });
    await admin.endpoint('deleteRoom')({ params: { roomId: room.id } });
  });

  test('held messages survive their authors’ delete and recall and the retention purge; released, the purge takes them', async () => {
    const { officer, alice, bob, room } = await officerAndRoom();
    const sent = [];
    for (const text of ['deleted but held', 'recalled but held', 'expired but held']) sent.push((await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text } })).message);
    const unheld = (await bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'expired, not held' } })).message;
    const { hold } = await officer.client.endpoint('createHold')({ body: { name: 'Alice', covers: { custodianIds: [alice.user.id] } } });
    await remove(alice.client, sent[0]!.id);
    await alice.client.endpoint('recallMessage')({ params: { messageId: sent[1]!.id }, body: {} });
    await age(server(), [...sent.map((m) => m.id), unheld.id], 40);
    const run = await purgeAfter30Days(officer.client, room.id);
    assert.equal(run.keptByHolds, 3);
    assert.deepEqual(run.rooms, [{ roomId: room.id, messages: 1, files: 0 }]);
    assert.deepEqual(await storedMessageIds(server(), room.id), sent.map((m) => m.id), 'held rows are kept, the unheld one erased');
    const messages = (await membersSee(bob.client, room.id)).reverse();
    assert.deepEqual(messages.map((m) => m.id), sent.map((m) => m.id));
    assert.deepEqual(messages.map((m) => [m.deleted, m.recalled, m.text]), [[true, false, ''], [false, true, ''], [false, false, 'expired but held']], 'deleted and recalled stay hidden from members');
    await officer.client.endpoint('releaseHold')({ params: { holdId: hold.id } });
    const after = await officer.client.endpoint('runPurge')();
    assert.equal(after.messages, 3);
    assert.deepEqual(await storedMessageIds(server(), room.id), []);
  });

  test('an edit in a held room keeps every text it replaced: members see the last, the officer’s search and the matter’s export find each', async () => {
    const [first, second] = [unique('draft'), unique('revision')];
    const { officer, alice, bob, room, hold, message } = await heldRoomWith('alice', `the ${first} figures`);
    for (const text of [`the ${second} figures`, 'nothing to see here']) await alice.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text } });
    const seen = await membersSee(bob.client, room.id);
    assert.deepEqual(seen.map((m) => m.text), ['nothing to see here'], 'members see only the last text');
    assert.deepEqual(await foundByOfficer(officer.client, room.id, first), [`version ${message.id}`]);
    assert.deepEqual(await foundByOfficer(officer.client, room.id, second), [`version ${message.id}`]);
    const [line] = await matterExport(officer.client, hold.id);
    assert.deepEqual([line!.id, line!.text, line!.versions.map((v) => [v.version, v.text])], [message.id, 'nothing to see here', [[1, `the ${first} figures`], [2, `the ${second} figures`]]]);
  });

  test('forwarding a held-room message elsewhere and deleting the original keeps the original held, through retention too', async () => {
    const word = unique('plan');
    const { officer, alice, room, hold, message: original } = await heldRoomWith('alice', `the ${word} as agreed`);
    const elsewhere = await buildRoom(server(), { owner: alice.client });
    const { message: copy } = await alice.client.endpoint('forwardMessage')({ params: { messageId: original.id }, body: { roomId: elsewhere.id } });
    await remove(alice.client, original.id);
    await age(server(), [original.id], 40);
    const run = await purgeAfter30Days(officer.client, room.id);
    assert.equal(run.keptByHolds, 1, 'the hold, not the copy, keeps the original');
    assert.deepEqual(await storedMessageIds(server(), room.id), [original.id]);
    const found = await foundByOfficer(officer.client, room.id, word);
    assert.deepEqual(found, [`deleted ${original.id}`], 'the original, by its own id, not the copy in the other room');
    const lines = await matterExport(officer.client, hold.id);
    assert.deepEqual(lines.map((line) => [line.id, line.deleted, line.text]), [[original.id, true, `the ${word} as agreed`]]);
    assert.ok(!lines.some((line) => line.id === copy.id), 'the copy is outside the matter');
  });

  test('a member’s delete in a held room hides the message from members, not from the officer’s search and export', async () => {
    const word = unique('secret');
    const { officer, alice, bob, room, hold, message } = await heldRoomWith('bob', `the ${word} is out`);
    await remove(bob.client, message.id);
    for (const member of [alice, bob]) {
      const [seen] = await membersSee(member.client, room.id);
      assert.deepEqual([seen?.id, seen?.deleted, seen?.text], [message.id, true, ''], 'members see a deleted message without its text');
      const { results } = await member.client.endpoint('search')({ query: { q: word } });
      assert.deepEqual(results, [], "a member's search does not find it");
    }
    assert.deepEqual(await foundByOfficer(officer.client, room.id, word), [`deleted ${message.id}`]);
    const [line] = await matterExport(officer.client, hold.id);
    assert.deepEqual([line!.id, line!.deleted, line!.text], [message.id, true, `the ${word} is out`]);
  });
});
