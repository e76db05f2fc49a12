import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXPORT_MANIFEST_PATH, EXPORT_PUBLIC_KEY_PATH, EXPORT_SIGNATURE_PATH, ExportManifest } from '@enclave/protocol';
import { buildRoom, buildUser, createApprovedDlpRule, sendConfirmed } from '@enclave/testkit';
import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import { verifyAuditSignature } from '../src/audit/audit-signing-key';
import { rejectsWith } from './expect-error';
import { readZip } from './export-zip-reader';
import { rowsOf } from './stored-text';
import { describeEachBackend, type TestServer } from './harness';
import { filesDir, upload } from './upload-helpers';

interface ExportedLine {
  id: string;
  roomId: string;
  roomName: string | null;
  sender: { id: string; username: string | null; displayName: string | null };
  text: string | null;
  versions: { version: number; text: string | null }[];
  deleted: boolean;
  deletedAt: string | null;
  recalled: boolean;
  recalledAt: string | null;
  threadRootId: string | null;
  replyIds: string[];
  reactions: { emoji: string; userId: string }[];
  files: { id: string; name: string; sha256: string; path: string }[];
  label: string;
  held: { kind: string; status: string; decidedAt: string | null; messageId: string | null } | null;
}

/** The addresses a parsed mail names in To. */
function toAddresses(mail: Awaited<ReturnType<typeof simpleParser>>): string[] {
  return (Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : []).flatMap((group) => group.value.map((address) => address.address ?? '')).sort();
}

describeEachBackend('eDiscovery export', (server) => {
  /** A room with every kind of record: an edited root with a file and a reaction, a reply, a deleted and a recalled message. */
  async function recordedRoom() {
    const tag = randomBytes(4).toString('hex');
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server(), { displayName: 'Alice Archer' });
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user], name: `Deals ${tag}` });
    const fileBytes = `quarterly figures ${tag}\n`;
    const file = await upload(alice.client, room.id, fileBytes, `figures <${tag}>.txt`);
    const root = await sendConfirmed(alice.client, room.id, { text: `first draft ${tag}`, fileIds: [file.id] });
    await alice.client.endpoint('editMessage')({ params: { messageId: root.id }, body: { text: `final <b>draft</b> ${tag}` } });
    await bob.client.endpoint('addReaction')({ params: { messageId: root.id, emoji: '👍' } });
    const reply = await sendConfirmed(bob.client, room.id, { text: `agreed ${tag}`, threadRootId: root.id });
    const deleted = await sendConfirmed(alice.client, room.id, { text: `delete me ${tag}` });
    await alice.client.endpoint('deleteMessage')({ params: { messageId: deleted.id } });
    const recalled = await sendConfirmed(bob.client, room.id, { text: `recall me ${tag}` });
    await bob.client.endpoint('recallMessage')({ params: { messageId: recalled.id }, body: {} });
    return { tag, officer, alice, bob, room, file, fileBytes, root, reply, deleted, recalled };
  }

  async function exportOf(client: TestServer['admin']['client'], query: Record<string, unknown>) {
    return readZip(await client.endpoint('createExport')({ body: { query } }));
  }

  /** Places a hold and exports its matter, as the officer would. */
  async function holdAndExport(officer: TestServer['admin']['client'], name: string, covers: { roomIds: string[]; custodianIds?: string[] }) {
    const { hold } = await officer.endpoint('createHold')({ body: { name, covers } });
    return { hold, entries: await readZip(await officer.endpoint('createExport')({ body: { matterId: hold.id } })) };
  }

  function lines(entries: Map<string, Buffer>): ExportedLine[] {
    return entries.get('messages.jsonl')!.toString('utf8').trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as ExportedLine);
  }

  test('an export holds every record with its versions, deleted and recalled text, reactions, thread and files', async () => {
    const { tag, officer, alice, bob, room, file, fileBytes, root, reply, deleted, recalled } = await recordedRoom();
    const entries = await exportOf(officer.client, { roomIds: [room.id] });

    const records = lines(entries);
    assert.deepEqual(records.map((r) => r.id), [root.id, reply.id, deleted.id, recalled.id], 'one line per message, in time order');
    const [rootLine, replyLine, deletedLine, recalledLine] = records;
    assert.equal(rootLine!.text, `final <b>draft</b> ${tag}`);
    assert.deepEqual(rootLine!.versions.map((v) => [v.version, v.text]), [[1, `first draft ${tag}`]]);
    assert.deepEqual(rootLine!.reactions.map((r) => [r.emoji, r.userId]), [['👍', bob.user.id]]);
    assert.deepEqual(rootLine!.replyIds, [reply.id]);
    assert.deepEqual([rootLine!.sender.id, rootLine!.sender.username, rootLine!.sender.displayName, rootLine!.roomName], [alice.user.id, alice.username, 'Alice Archer', room.name]);
    assert.equal(replyLine!.threadRootId, root.id);
    assert.deepEqual([deletedLine!.deleted, deletedLine!.text, deletedLine!.deletedAt !== null], [true, `delete me ${tag}`, true]);
    assert.deepEqual([recalledLine!.recalled, recalledLine!.text, recalledLine!.recalledAt !== null], [true, `recall me ${tag}`, true]);

    const exportedFile = rootLine!.files[0]!;
    assert.deepEqual([exportedFile.id, exportedFile.name, exportedFile.path], [file.id, file.name, `files/${file.id}/figures _${tag}_.txt`]);
    assert.equal(entries.get(exportedFile.path)!.toString('utf8'), fileBytes);
    assert.equal(exportedFile.sha256, createHash('sha256').update(fileBytes).digest('hex'));

    const csv = entries.get('summary.csv')!.toString('utf8').trim().split('\n');
    assert.equal(csv.length, 5, 'a header and one row per message');
    assert.match(csv[3]!, /,deleted,/);
    const transcript = entries.get('transcript.html')!.toString('utf8');
    assert.ok(transcript.includes(`final &lt;b&gt;draft&lt;/b&gt; ${tag}`), 'text is escaped in the transcript');
    assert.ok(!transcript.includes('<b>draft</b>'));
    for (const id of [root.id, reply.id, deleted.id, recalled.id]) assert.ok(entries.has(`eml/${id}.eml`), `an EML for ${id}`);
  });

  test('an EML opens in a real mail parser with its headers, thread and attachment', async () => {
    const { tag, officer, alice, bob, room, file, fileBytes, root, reply } = await recordedRoom();
    const entries = await exportOf(officer.client, { roomIds: [room.id] });
    const host = 'enclave.invalid';

    const rootMail = await simpleParser(entries.get(`eml/${root.id}.eml`)!);
    assert.equal(rootMail.from?.value[0]?.address, `${alice.username}@${host}`);
    assert.equal(rootMail.from?.value[0]?.name, 'Alice Archer');
    const to = (Array.isArray(rootMail.to) ? rootMail.to : [rootMail.to!]).flatMap((group) => group.value.map((address) => address.address));
    assert.deepEqual(to.sort(), [`${alice.username}@${host}`, `${bob.username}@${host}`].sort());
    assert.equal(rootMail.subject, room.name);
    assert.equal(rootMail.messageId, `<${root.id}@${host}>`);
    // RFC 5322 dates name whole seconds.
    assert.equal(rootMail.date?.getTime(), Math.floor(Date.parse(root.createdAt) / 1000) * 1000);
    assert.ok(rootMail.text?.startsWith(`final <b>draft</b> ${tag}`));
    assert.ok(rootMail.text?.includes(`first draft ${tag}`), 'the earlier version follows');
    assert.equal(rootMail.attachments.length, 1);
    assert.equal(rootMail.attachments[0]!.filename, file.name);
    assert.equal(rootMail.attachments[0]!.content.toString('utf8'), fileBytes);

    const replyMail = await simpleParser(entries.get(`eml/${reply.id}.eml`)!);
    assert.equal(replyMail.inReplyTo, `<${root.id}@${host}>`);
    assert.deepEqual([replyMail.references].flat(), [`<${root.id}@${host}>`]);
    assert.equal(replyMail.messageId, `<${reply.id}@${host}>`);
  });

  test('an export carries the items DLP held, delivered or not, marked as held with their review outcome in JSON Lines, CSV, HTML and EML', async () => {
    const { tag, officer, alice, bob, room, root, reply, deleted, recalled } = await recordedRoom();
    const word = `tender${tag}`;
    await createApprovedDlpRule(server().admin.client, officer.client, { name: `Review ${tag}`, detector: { kind: 'keywords', words: [word] }, scope: { roomIds: [room.id] }, action: 'review' });
    const bids = await upload(alice.client, room.id, `bids ${tag}`, 'bids.txt');
    const heldSend = async (client: typeof alice.client, text: string, fileIds?: string[]) =>
      (await rejectsWith(client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text, ...(fileIds ? { fileIds } : {}) } }), 'DLP_HELD_FOR_REVIEW', 409)).data?.reviewId as string;
    const pending = await heldSend(alice.client, `${word} pending`, [bids.id]);
    const rejected = await heldSend(alice.client, `${word} rejected`);
    const released = await heldSend(bob.client, `${word} released`);
    await officer.client.endpoint('rejectReview')({ params: { reviewId: rejected }, body: {} });
    const delivered = (await officer.client.endpoint('releaseReview')({ params: { reviewId: released }, body: {} })).review.messageId!;

    const entries = await exportOf(officer.client, { roomIds: [room.id] });
    const records = lines(entries);
    assert.deepEqual(records.map((r) => r.id), [root.id, reply.id, deleted.id, recalled.id, pending, rejected, released, delivered], 'held items in time order among the messages, the released one beside the message it became');
    const byId = new Map(records.map((r) => [r.id, r]));
    assert.deepEqual([byId.get(pending)!.text, byId.get(pending)!.held, byId.get(pending)!.sender.id], [`${word} pending`, { kind: 'send', status: 'pending', decidedAt: null, messageId: null }, alice.user.id]);
    assert.deepEqual([byId.get(rejected)!.held?.status, byId.get(rejected)!.held?.decidedAt !== null, byId.get(rejected)!.held?.messageId], ['rejected', true, null]);
    assert.deepEqual([byId.get(released)!.held?.status, byId.get(released)!.held?.messageId], ['released', delivered]);
    assert.equal(byId.get(delivered)!.held, null, 'the delivered message is a message');
    const pendingFile = byId.get(pending)!.files[0]!;
    assert.equal(pendingFile.id, bids.id);
    assert.equal(entries.get(pendingFile.path)!.toString('utf8'), `bids ${tag}`, "a held item's file is in the zip");

    const csv = entries.get('summary.csv')!.toString('utf8').trim().split('\n');
    const header = csv[0]!.split(',');
    const row = (id: string) => csv.find((line) => line.startsWith(`${id},`))!.split(',');
    assert.deepEqual([pending, rejected, released, delivered].map((id) => [row(id)[header.indexOf('state')], row(id)[header.indexOf('review')]]), [['held', 'pending'], ['held', 'rejected'], ['held', 'released'], ['sent', '']]);
    const transcript = entries.get('transcript.html')!.toString('utf8');
    for (const status of ['pending', 'rejected', 'released']) assert.ok(transcript.includes(`[held for review: ${status}]`), `the transcript marks the ${status} item`);
    assert.ok(transcript.includes(`id="held-${pending}"`));

    const pendingMail = await simpleParser(entries.get(`eml/held-${pending}.eml`)!);
    assert.deepEqual([pendingMail.headers.get('x-enclave-status'), pendingMail.headers.get('x-enclave-review'), pendingMail.headers.get('x-enclave-held-kind')], ['held', 'pending', 'send']);
    assert.equal(pendingMail.messageId, `<held-${pending}@enclave.invalid>`, 'not the Message-ID a delivered message would have');
    assert.ok(pendingMail.text?.startsWith(`${word} pending`));
    assert.equal(pendingMail.attachments[0]?.content.toString('utf8'), `bids ${tag}`);
    const releasedMail = await simpleParser(entries.get(`eml/held-${released}.eml`)!);
    assert.deepEqual([releasedMail.headers.get('x-enclave-review'), releasedMail.headers.get('x-enclave-delivered-as')], ['released', `<${delivered}@enclave.invalid>`]);
    assert.equal((await simpleParser(entries.get(`eml/${delivered}.eml`)!)).headers.get('x-enclave-status'), 'sent');
    const manifest = ExportManifest.parse(JSON.parse(entries.get(EXPORT_MANIFEST_PATH)!.toString('utf8')));
    assert.deepEqual(manifest.counts, { messages: 5, held: 3, files: 2, rooms: 1 });

    const found = lines(await exportOf(officer.client, { roomIds: [room.id], words: word })).map((r) => r.id);
    assert.deepEqual(found, [pending, rejected, released, delivered], 'an export by words takes the held items compliance search finds');
    const narrowed = lines(await exportOf(officer.client, { roomIds: [room.id], custodianIds: [alice.user.id], hasFile: true })).map((r) => r.id);
    assert.deepEqual(narrowed, [root.id, pending], 'custodians and files narrow held items too');
    const matter = lines((await holdAndExport(officer.client, `Tender ${tag}`, { roomIds: [room.id] })).entries);
    assert.deepEqual(matter.filter((r) => r.held !== null).map((r) => [r.id, r.held!.status]), [[pending, 'pending'], [rejected, 'rejected'], [released, 'released']], "a matter's export holds the room's held items");
  });

  test('an EML is addressed to the people in the room when it was sent; a message older than the room’s membership history names today’s members and says so', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const [alice, bob, carol] = [await buildUser(server()), await buildUser(server()), await buildUser(server())];
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    // Membership is compared with sending times: each step gets a millisecond of its own.
    await sleep(5);
    const before = await sendConfirmed(alice.client, room.id, { text: 'before the change' });
    await sleep(5);
    await alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [carol.user.id] } });
    await alice.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
    await sleep(5);
    const after = await sendConfirmed(carol.client, room.id, { text: 'after the change' });
    const addresses = (...people: { username: string }[]) => people.map((person) => `${person.username}@enclave.invalid`).sort();

    const entries = await exportOf(officer.client, { roomIds: [room.id] });
    const beforeMail = await simpleParser(entries.get(`eml/${before.id}.eml`)!);
    assert.deepEqual(toAddresses(beforeMail), addresses(alice, bob), 'Bob could read it, Carol could not');
    assert.equal(beforeMail.headers.get('x-enclave-recipients'), 'members-when-sent');
    const afterMail = await simpleParser(entries.get(`eml/${after.id}.eml`)!);
    assert.deepEqual(toAddresses(afterMail), addresses(alice, carol));

    // A room from before the history was kept: its messages fall back to the current members, marked as such.
    await server().running.database.db.updateTable('rooms').set({ members_recorded_since: Date.parse(after.createdAt) }).where('id', '=', room.id).execute();
    const fallback = await exportOf(officer.client, { roomIds: [room.id] });
    const olderMail = await simpleParser(fallback.get(`eml/${before.id}.eml`)!);
    assert.deepEqual([toAddresses(olderMail), olderMail.headers.get('x-enclave-recipients')], [addresses(alice, carol), 'current-members']);
    assert.equal((await simpleParser(fallback.get(`eml/${after.id}.eml`)!)).headers.get('x-enclave-recipients'), 'members-when-sent', 'from its start on, the history answers');
  });

  test('the manifest lists every entry with its size and SHA-256 and is signed with the audit key', async () => {
    const { officer, room } = await recordedRoom();
    const entries = await exportOf(officer.client, { roomIds: [room.id] });
    const manifestBytes = entries.get(EXPORT_MANIFEST_PATH)!;
    const manifest = ExportManifest.parse(JSON.parse(manifestBytes.toString('utf8')));
    const auditKey = server().running.services.auditKey;
    assert.equal(manifest.auditKeyId, auditKey.keyId);
    assert.equal(entries.get(EXPORT_PUBLIC_KEY_PATH)!.toString('utf8'), auditKey.publicKeyPem);
    assert.ok(verifyAuditSignature(auditKey.publicKeyPem, manifestBytes, entries.get(EXPORT_SIGNATURE_PATH)!.toString('utf8').trim()));
    assert.ok(!verifyAuditSignature(auditKey.publicKeyPem, Buffer.concat([manifestBytes, Buffer.from(' ')]), entries.get(EXPORT_SIGNATURE_PATH)!.toString('utf8').trim()));

    const listed = manifest.entries.map((entry) => entry.path).sort();
    const inZip = [...entries.keys()].filter((name) => ![EXPORT_MANIFEST_PATH, EXPORT_SIGNATURE_PATH, EXPORT_PUBLIC_KEY_PATH].includes(name)).sort();
    assert.deepEqual(listed, inZip);
    for (const entry of manifest.entries) {
      const bytes = entries.get(entry.path)!;
      assert.equal(bytes.length, entry.size, entry.path);
      assert.equal(createHash('sha256').update(bytes).digest('hex'), entry.sha256, entry.path);
    }
    assert.deepEqual(manifest.counts, { messages: 4, held: 0, files: 1, rooms: 1 });
    assert.equal(manifest.exportedBy.id, officer.user.id);
  });

  test('an export names the officer it was made for: its trace code, in the transcript, every EML and the signed manifest, resolves to them', async () => {
    const { officer, room, root } = await recordedRoom();
    const second = await buildUser(server(), { role: 'compliance' });
    const entries = await exportOf(officer.client, { roomIds: [room.id] });
    const manifestBytes = entries.get(EXPORT_MANIFEST_PATH)!;
    const code = ExportManifest.parse(JSON.parse(manifestBytes.toString('utf8'))).traceCode!;
    assert.match(code, /^[0-9A-Z]{9}$/);
    const transcript = entries.get('transcript.html')!.toString('utf8');
    const mail = await simpleParser(entries.get(`eml/${root.id}.eml`)!);
    assert.equal(mail.headers.get('x-enclave-trace-code'), code);
    // A leaked transcript's printed code (or an EML's header) is what an investigator pastes into Trace a leak.
    const [resolved] = (await second.client.endpoint('resolveTrace')({ body: { text: transcript } })).results.filter((result) => result.status === 'resolved');
    assert.deepEqual({ code: resolved?.code, viewer: resolved?.issue?.viewer.id, kind: resolved?.issue?.kind }, { code, viewer: officer.user.id, kind: 'export' });
    const [stamped] = await rowsOf<{ stamped_sha256: string | null }>(server().running.database, sql`select stamped_sha256 from trace_marks where code = ${code}`);
    assert.equal(stamped?.stamped_sha256, createHash('sha256').update(manifestBytes).digest('hex'), 'the code is bound to the signed manifest it was written into');
    const again = await exportOf(officer.client, { roomIds: [room.id] });
    assert.notEqual(ExportManifest.parse(JSON.parse(again.get(EXPORT_MANIFEST_PATH)!.toString('utf8'))).traceCode, code, 'each export has a code of its own');
  });

  test('only a compliance officer exports: an admin and a member are refused at the raw API', async () => {
    const { alice, room } = await recordedRoom();
    const body = { query: { roomIds: [room.id] } };
    await rejectsWith(server().admin.client.endpoint('createExport')({ body }), 'COMPLIANCE_REQUIRED', 403);
    await rejectsWith(alice.client.endpoint('createExport')({ body }), 'COMPLIANCE_REQUIRED', 403);
    const raw = await fetch(`${server().url}/api/v1/compliance/exports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(raw.status, 401, 'without a session');
  });

  test('an export by words takes what compliance search finds, earlier versions and deleted or recalled texts included; an unknown field is refused', async () => {
    const { officer, room, root, reply, deleted, recalled } = await recordedRoom();
    const ids = async (words: string) => lines(await exportOf(officer.client, { roomIds: [room.id], words })).map((r) => r.id);
    assert.deepEqual(await ids('first'), [root.id], 'a word only the earlier version of an edited message held');
    assert.deepEqual(await ids('agreed'), [reply.id]);
    assert.deepEqual(await ids('delete'), [deleted.id], 'a deleted message is found by its text');
    assert.deepEqual(await ids('recall'), [recalled.id], 'a recalled one too');
    assert.deepEqual(await ids('nothing-like-this-anywhere'), []);
    await rejectsWith(officer.client.endpoint('createExport')({ body: { query: { roomIds: [room.id] }, everything: true } as never }), 'VALIDATION_FAILED', 400);
  });

  test("an export of a legal hold's matter exports exactly what the hold keeps; an unknown matter is refused", async () => {
    const { officer, bob, room, reply, recalled } = await recordedRoom();
    const { hold, entries } = await holdAndExport(officer.client, 'Matter of Bob', { roomIds: [room.id], custodianIds: [bob.user.id] });
    assert.deepEqual(lines(entries).map((line) => line.id), [reply.id, recalled.id], "Bob's messages in the room, the recalled one included");
    const manifest = ExportManifest.parse(JSON.parse(entries.get(EXPORT_MANIFEST_PATH)!.toString('utf8')));
    assert.deepEqual([manifest.matterId, manifest.query.roomIds, manifest.query.custodianIds], [hold.id, [room.id], [bob.user.id]], 'the manifest names the matter and its query');
    await rejectsWith(officer.client.endpoint('createExport')({ body: { matterId: 'no-such-matter' } }), 'HOLD_NOT_FOUND', 404);
    await rejectsWith(officer.client.endpoint('createExport')({ body: { matterId: hold.id, query: { roomIds: [room.id] } } as never }), 'VALIDATION_FAILED', 400);
    await rejectsWith(bob.client.endpoint('createExport')({ body: { matterId: hold.id } }), 'COMPLIANCE_REQUIRED', 403);
  });

  test('custodians, dates, label and files narrow what is exported', async () => {
    const { officer, alice, bob, room, root, reply, deleted, recalled } = await recordedRoom();
    const ids = async (query: Record<string, unknown>) => lines(await exportOf(officer.client, { roomIds: [room.id], ...query })).map((r) => r.id);
    assert.deepEqual(await ids({ custodianIds: [bob.user.id] }), [reply.id, recalled.id]);
    assert.deepEqual(await ids({ custodianIds: [alice.user.id], hasFile: true }), [root.id]);
    assert.deepEqual(await ids({ hasFile: false }), [reply.id, deleted.id, recalled.id]);
    assert.deepEqual(await ids({ from: reply.createdAt, to: recalled.createdAt }), [reply.id, deleted.id]);
    assert.deepEqual(await ids({ label: 'secret' }), []);
    assert.deepEqual(await ids({ label: root.label }), [root.id, reply.id, deleted.id, recalled.id]);
  });

  test('each export is audited with counts, query shape and manifest hash, never content', async () => {
    const { tag, officer, room } = await recordedRoom();
    const zip = await officer.client.endpoint('createExport')({ body: { query: { roomIds: [room.id] } } });
    const manifestBytes = (await readZip(zip)).get(EXPORT_MANIFEST_PATH)!;
    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'compliance.records_exported', limit: 5 } });
    const entry = entries.find((e) => e.actorId === officer.user.id);
    assert.ok(entry);
    assert.deepEqual([entry.data.messages, entry.data.files, entry.data.rooms, entry.data.scheduled], [4, 1, 1, false]);
    assert.equal(entry.data.manifestSha256, createHash('sha256').update(manifestBytes).digest('hex'));
    assert.deepEqual((entry.data.query as { roomIds: string[] }).roomIds, [room.id]);
    assert.ok(!JSON.stringify(entry).includes(tag), 'no content in the audit entry');
  });

  test('a damaged file is left out and named in the manifest; the rest of the export stands', async () => {
    const { officer, room, file, root } = await recordedRoom();
    const { storage_key: key } = await server().running.database.db.selectFrom('files').select('storage_key').where('id', '=', file.id).executeTakeFirstOrThrow();
    const stored = path.join(filesDir(server()), key.slice(0, 2), key.slice(2, 4), key);
    writeFileSync(stored, randomBytes(readFileSync(stored).length));
    const entries = await exportOf(officer.client, { roomIds: [room.id] });
    const manifest = ExportManifest.parse(JSON.parse(entries.get(EXPORT_MANIFEST_PATH)!.toString('utf8')));
    assert.deepEqual(manifest.unreadableFileIds, [file.id]);
    assert.deepEqual([...entries.keys()].filter((name) => name.startsWith('files/')), []);
    assert.equal(lines(entries).length, 4);
    assert.equal((await simpleParser(entries.get(`eml/${root.id}.eml`)!)).attachments.length, 0);
  });

  test('an export writes nothing plain to the server’s disk', async () => {
    const { tag, officer, room } = await recordedRoom();
    await exportOf(officer.client, { roomIds: [room.id] });
    const found = filesUnder(server().storageConfig.dataDir).filter((file) => readFileSync(file).includes(Buffer.from(tag, 'utf8')));
    assert.deepEqual(found, []);
  });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full) : entry.isFile() ? [full] : [];
  });
}
