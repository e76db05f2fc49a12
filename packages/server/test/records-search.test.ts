import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { EndpointInput, RecordSummary } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { sql } from 'kysely';
import { buildRoom, buildUser, createApprovedDlpRule, sendConfirmed } from '@enclave/testkit';
import { matchingRecords } from '../src/records/records-search';
import { rejectsWith } from './expect-error';
import { describeEachBackend, type TestServer } from './harness';
import { rowsOf } from './stored-text';
import { upload } from './upload-helpers';

type RecordsSearchBody = EndpointInput<'searchRecords'>['body'];

// One call site per endpoint: each typed endpoint call costs the type check.
async function searchRecords(client: EnclaveClient, body: RecordsSearchBody) {
  return client.endpoint('searchRecords')({ body });
}

async function openRecord(client: EnclaveClient, recordId: string) {
  return (await client.endpoint('openRecord')({ params: { recordId } })).record;
}

async function openRecordFile(client: EnclaveClient, recordId: string, fileId: string, disposition: 'inline' | 'attachment' = 'inline') {
  return client.endpoint('recordFileContent')({ params: { recordId, fileId }, query: { disposition } });
}

async function edit(client: EnclaveClient, messageId: string, text: string) {
  await client.endpoint('editMessage')({ params: { messageId }, body: { text } });
}

async function remove(client: EnclaveClient, messageId: string) {
  await client.endpoint('deleteMessage')({ params: { messageId } });
}

async function recall(client: EnclaveClient, messageId: string) {
  await client.endpoint('recallMessage')({ params: { messageId } });
}

/** What a search found, as `kind` or `kind n` for versions, with the record's message or held id. */
async function kindsFound(client: EnclaveClient, body: RecordsSearchBody): Promise<string[]> {
  return (await searchRecords(client, body)).records.map(describe);
}

function describe(record: RecordSummary): string {
  return `${record.kind}${record.version === null ? '' : ` ${record.version}`} ${record.messageId ?? record.heldId}`;
}

/** A word no other test uses, so tests stay independent of each other's messages. */
function unique(stem: string): string {
  return `${stem}${randomBytes(3).toString('hex').replace(/\d/g, 'x')}`;
}

/** Every byte the records index and the audit log hold, read past the server, as someone with the database would. */
async function rawRecordsAndAudit(server: TestServer): Promise<Buffer> {
  const handle = server.running.database;
  const tables =
    handle.dialect === 'postgres'
      ? ['records', 'records_documents', 'audit_log']
      : [...(await rowsOf<{ name: string }>(handle, sql`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'records%'`)).map((row) => row.name), 'audit_log'];
  const pieces: Buffer[] = [];
  for (const name of tables) {
    for (const row of await rowsOf<Record<string, unknown>>(handle, sql`SELECT * FROM ${sql.table(name)}`)) {
      for (const value of Object.values(row)) pieces.push(value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value)));
    }
  }
  return Buffer.concat(pieces);
}

describeEachBackend('compliance search', (server) => {
  const admin = () => server().admin.client;

  async function setting() {
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const say = (client: EnclaveClient, text: string, roomId = room.id, extra: Partial<EndpointInput<'sendMessage'>['body']> = {}) => sendConfirmed(client, roomId, { text, ...extra });
    return { officer, alice, bob, room, say };
  }

  test('finds earlier versions, deleted and recalled messages that people’s search no longer finds, each with its kind', async () => {
    const { officer, alice, bob, say } = await setting();
    const tag = unique('merger');
    const edited = await say(alice.client, `${tag} price is 4m`);
    await edit(alice.client, edited.id, `${tag} price is 5m`);
    await edit(alice.client, edited.id, 'nothing to see');
    const deleted = await say(alice.client, `${tag} delete me`);
    await remove(alice.client, deleted.id);
    const recalled = await say(bob.client, `${tag} recall me`);
    await recall(bob.client, recalled.id);
    const current = await say(bob.client, `${tag} still here`);

    assert.deepEqual((await bob.client.endpoint('search')({ query: { q: tag } })).results.map((r) => r.message.id), [current.id], 'people find only the current text');
    assert.deepEqual(await kindsFound(officer.client, { words: tag }), [`current ${current.id}`, `recalled ${recalled.id}`, `deleted ${deleted.id}`, `version 2 ${edited.id}`, `version 1 ${edited.id}`]);
    assert.deepEqual(await kindsFound(officer.client, { words: `${tag} 5m` }), [`version 2 ${edited.id}`]);
    assert.deepEqual(await kindsFound(officer.client, { words: 'nothing to see', custodianIds: [alice.user.id] }).then((kinds) => kinds.filter((kind) => kind.endsWith(edited.id))), [`current ${edited.id}`]);
  });

  test('finds Chinese words inside sentences, and the last word as a prefix, in every kind of record', async () => {
    const { officer, alice, room, say } = await setting();
    const sent = await say(alice.client, '董事会决定收购计划暂停');
    await edit(alice.client, sent.id, '会议改期');
    const mine = { custodianIds: [alice.user.id], roomIds: [room.id] };
    assert.deepEqual(await kindsFound(officer.client, { ...mine, words: '收购' }), [`version 1 ${sent.id}`]);
    assert.deepEqual(await kindsFound(officer.client, { ...mine, words: '会议' }), [`current ${sent.id}`]);
    const tag = unique('acquisition');
    const deleted = await say(alice.client, `${tag} 收购计划`);
    await remove(alice.client, deleted.id);
    assert.deepEqual(await kindsFound(officer.client, { ...mine, words: `收购 ${tag.slice(0, 6)}` }), [`deleted ${deleted.id}`], 'the last word is a prefix');
    assert.deepEqual(await kindsFound(officer.client, { ...mine, words: `收购 ${tag.slice(0, 6)}q` }), [], 'a prefix matches only words that start with it');
    assert.deepEqual(await kindsFound(officer.client, { ...mine, words: '收购' }), [`deleted ${deleted.id}`, `version 1 ${sent.id}`]);
  });

  test('finds what DLP held, released or not, with its files, and opens it', async () => {
    const { officer, alice, room } = await setting();
    const word = unique('tender');
    await createApprovedDlpRule(admin(), officer.client, { name: `Review ${word}`, detector: { kind: 'keywords', words: [word] }, scope: { roomIds: [room.id] }, action: 'review' });
    const file = await upload(alice.client, room.id, 'the bids', 'bids.txt');
    const held = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `${word} bids attached`, fileIds: [file.id] } }), 'DLP_HELD_FOR_REVIEW');
    const heldId = held.data?.reviewId as string;
    const { records } = await searchRecords(officer.client, { words: word });
    assert.deepEqual(records.map(describe), [`held ${heldId}`]);
    assert.deepEqual([records[0]!.recordId, records[0]!.roomName, records[0]!.senderId, records[0]!.files.map((f) => f.id)], [`h:${heldId}`, room.name, alice.user.id, [file.id]]);
    assert.deepEqual(await kindsFound(officer.client, { words: word, hasFile: false }), []);
    const opened = await openRecord(officer.client, `h:${heldId}`);
    assert.deepEqual([opened.kind, opened.text, opened.files.map((f) => f.id)], ['held', `${word} bids attached`, [file.id]]);
    const bytes = await openRecordFile(officer.client, `h:${heldId}`, file.id, 'attachment');
    assert.equal(new TextDecoder().decode(bytes), 'the bids');

    await officer.client.endpoint('releaseReview')({ params: { reviewId: heldId }, body: {} });
    const kinds = (await searchRecords(officer.client, { words: word })).records.map((record) => record.kind);
    assert.deepEqual(kinds, ['current', 'held'], 'the released message, and the held record of it');
  });

  test('filters by custodians, rooms, time, label and files, in any combination', async () => {
    const { officer, alice, bob, room, say } = await setting();
    const other = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const tag = unique('budget');
    const first = await say(alice.client, `${tag} one`, room.id, { label: 'public' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await say(bob.client, `${tag} two`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const file = await upload(alice.client, other.id, 'numbers', 'numbers.txt');
    const third = await say(alice.client, `${tag} three`, other.id, { fileIds: [file.id] });
    const ids = async (body: RecordsSearchBody) => (await searchRecords(officer.client, { words: tag, ...body })).records.map((record) => record.messageId);
    assert.deepEqual(await ids({}), [third.id, second.id, first.id]);
    assert.deepEqual(await ids({ roomIds: [room.id] }), [second.id, first.id]);
    assert.deepEqual(await ids({ roomIds: [room.id, other.id] }), [third.id, second.id, first.id]);
    assert.deepEqual(await ids({ custodianIds: [alice.user.id] }), [third.id, first.id]);
    assert.deepEqual(await ids({ custodianIds: [alice.user.id], roomIds: [room.id] }), [first.id]);
    assert.deepEqual(await ids({ label: 'public' }), [first.id]);
    assert.deepEqual(await ids({ from: second.createdAt }), [third.id, second.id], 'from is inclusive');
    assert.deepEqual(await ids({ to: second.createdAt }), [first.id], 'to is exclusive');
    assert.deepEqual(await ids({ hasFile: true }), [third.id]);
    assert.deepEqual(await ids({ hasFile: false }), [second.id, first.id]);
    const withoutWords = await searchRecords(officer.client, { custodianIds: [bob.user.id], roomIds: [room.id] });
    assert.deepEqual(withoutWords.records.map((record) => record.messageId), [second.id], 'no words: every record of the custodian and room');
    assert.deepEqual([withoutWords.records[0]!.roomName, withoutWords.records[0]!.at], [room.name, second.createdAt]);
  });

  test('pages newest first with a keyset cursor, every record once, across kinds', async () => {
    const { officer, alice, say } = await setting();
    const tag = unique('page');
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push(await say(alice.client, `${tag} number ${i}`));
    await edit(alice.client, sent[1]!.id, `${tag} number one, edited`);
    await remove(alice.client, sent[2]!.id);
    const all = await kindsFound(officer.client, { words: tag });
    assert.deepEqual(all, [`current ${sent[3]!.id}`, `deleted ${sent[2]!.id}`, `current ${sent[1]!.id}`, `version 1 ${sent[1]!.id}`, `current ${sent[0]!.id}`]);
    const paged: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await searchRecords(officer.client, { words: tag, limit: 2, ...(cursor === undefined ? {} : { cursor }) });
      assert.ok(page.records.length <= 2);
      paged.push(...page.records.map(describe));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    assert.deepEqual(paged, all);
    await rejectsWith(searchRecords(officer.client, { words: tag, cursor: 'not-a-cursor' }), 'VALIDATION_FAILED', 400);
  });

  test('admins and users are refused every records endpoint, whatever they send', async () => {
    const { officer, alice, bob, say } = await setting();
    const tag = unique('forbidden');
    const file = await upload(alice.client, (await buildRoom(server(), { owner: alice.client })).id, 'x', 'x.txt');
    const sent = await say(alice.client, `${tag} text`);
    for (const client of [admin(), alice.client, bob.client]) {
      await rejectsWith(searchRecords(client, { words: tag }), 'COMPLIANCE_REQUIRED', 403);
      await rejectsWith(searchRecords(client, { custodianIds: [alice.user.id] }), 'COMPLIANCE_REQUIRED', 403);
      await rejectsWith(openRecord(client, `m:${sent.id}`), 'COMPLIANCE_REQUIRED', 403);
      await rejectsWith(openRecordFile(client, `m:${sent.id}`, file.id), 'COMPLIANCE_REQUIRED', 403);
    }
    // The officer gets a file only through a record that carries it.
    await rejectsWith(openRecordFile(officer.client, `m:${sent.id}`, file.id), 'FILE_NOT_FOUND', 404);
    await rejectsWith(openRecord(officer.client, 'm:no-such-message'), 'RECORD_NOT_FOUND', 404);
    await rejectsWith(openRecord(officer.client, 'x:bad'), 'VALIDATION_FAILED', 400);
  });

  test('opens one record in full: its texts, versions, thread, reactions and files', async () => {
    const { officer, alice, bob, room, say } = await setting();
    const tag = unique('thread');
    const root = await say(alice.client, `${tag} root`);
    const file = await upload(bob.client, room.id, 'minutes', 'minutes.txt');
    const reply = await say(bob.client, `${tag} reply`, room.id, { threadRootId: root.id, fileIds: [file.id] });
    await edit(bob.client, reply.id, `${tag} reply, corrected`);
    await alice.client.endpoint('addReaction')({ params: { messageId: reply.id, emoji: '👍' } });
    await remove(bob.client, reply.id);
    const record = await openRecord(officer.client, `m:${reply.id}`);
    assert.equal(record.text, `${tag} reply, corrected`, 'a deleted message’s text is kept and shown to the officer');
    assert.ok(record.deletedAt);
    assert.deepEqual(record.versions.map((version) => [version.version, version.text]), [[1, `${tag} reply`]]);
    assert.deepEqual(record.thread.map((message) => [message.messageId, message.text, message.state]), [
      [root.id, `${tag} root`, 'current'],
      [reply.id, `${tag} reply, corrected`, 'deleted'],
    ]);
    assert.deepEqual(record.reactions.map((reaction) => [reaction.userId, reaction.emoji]), [[alice.user.id, '👍']]);
    assert.deepEqual(record.files.map((f) => f.id), [file.id]);
    const bytes = await openRecordFile(officer.client, `m:${reply.id}`, file.id, 'inline');
    assert.equal(new TextDecoder().decode(bytes), 'minutes');
  });

  test('every search, opened record and opened file is audited, with the query’s shape but never its words', async () => {
    const { officer, alice, room, say } = await setting();
    const tag = unique('auditmark');
    const file = await upload(alice.client, room.id, 'audit file', 'a.txt');
    const sent = await say(alice.client, `${tag} 预算 text`, room.id, { fileIds: [file.id] });
    const { records } = await searchRecords(officer.client, { words: `${tag} 预算`, custodianIds: [alice.user.id], roomIds: [room.id], hasFile: true });
    assert.equal(records.length, 1);
    await openRecord(officer.client, `m:${sent.id}`);
    await openRecordFile(officer.client, `m:${sent.id}`, file.id);
    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'compliance.', limit: 10 } });
    const searched = entries.find((entry) => entry.action === 'compliance.records_searched');
    assert.ok(searched);
    assert.equal(searched.actorId, officer.user.id);
    assert.deepEqual([searched.data.custodianIds, searched.data.roomIds, searched.data.wordCount, searched.data.hasFile, searched.data.count], [[alice.user.id], [room.id], 2, true, 1]);
    const opened = entries.find((entry) => entry.action === 'compliance.record_opened');
    assert.deepEqual([opened?.actorId, opened?.target, opened?.data.roomId, opened?.data.files], [officer.user.id, { type: 'message', id: sent.id }, room.id, 1]);
    const fileOpened = entries.find((entry) => entry.action === 'compliance.record_file_opened');
    assert.deepEqual([fileOpened?.target, fileOpened?.data.recordId], [{ type: 'file', id: file.id }, `m:${sent.id}`]);
    const raw = await rawRecordsAndAudit(server());
    assert.equal(raw.includes(Buffer.from(tag)), false, 'the searched word is in neither the audit log nor the records index');
  });

  test('the records index holds no plain word of the texts it keeps, English or Chinese', async () => {
    const { officer, alice, say } = await setting();
    const english = unique('zeppelinmark');
    const chinese = '鲸鱼计划';
    const sent = await say(alice.client, `${english} ${chinese} first`);
    await edit(alice.client, sent.id, 'replaced');
    const deleted = await say(alice.client, `${english} ${chinese} second`);
    await remove(alice.client, deleted.id);
    assert.equal((await searchRecords(officer.client, { words: `${english} 鲸鱼` })).records.length, 2);
    const raw = await rawRecordsAndAudit(server());
    assert.deepEqual([english, chinese, '鲸鱼'].filter((word) => raw.includes(Buffer.from(word))), []);
  });

  test('a deleted room takes its records and their terms with it', async () => {
    const { officer, alice, room, say } = await setting();
    const tag = unique('erased');
    const sent = await say(alice.client, `${tag} first`);
    await edit(alice.client, sent.id, `${tag} second`);
    assert.equal((await searchRecords(officer.client, { words: tag })).records.length, 2, 'indexed: the current text and its version');
    await admin().endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'closing' } });
    await officer.client.endpoint('exportRoom')({ params: { roomId: room.id }, query: { format: 'jsonl' } });
    await admin().endpoint('deleteRoom')({ params: { roomId: room.id } });
    assert.deepEqual((await searchRecords(officer.client, { words: tag })).records, []);
    const left = await rowsOf<{ count: number | string }>(server().running.database, sql`SELECT count(*) AS count FROM records WHERE room_id = ${room.id}`);
    assert.equal(Number(left[0]!.count), 0);
  });

  test('matchingRecords enumerates every match in pages for holds and exports, without access checks or audit', async () => {
    const { alice, say } = await setting();
    const tag = unique('enumerate');
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await say(alice.client, `${tag} ${i}`));
    await recall(alice.client, sent[0]!.id);
    const { db, services } = { db: server().running.database.db, services: server().running.services };
    const found: string[] = [];
    let after: string | undefined;
    do {
      const page = await matchingRecords(db, services.keys, { custodianIds: [], roomIds: [], words: tag }, { after, limit: 2 });
      found.push(...page.records.map((record) => `${record.kind} ${record.messageId}`));
      after = page.next ?? undefined;
    } while (after !== undefined);
    assert.deepEqual(found, [...sent.slice(1).reverse().map((message) => `current ${message.id}`), `recalled ${sent[0]!.id}`]);
  });
});
