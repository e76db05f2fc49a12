import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { verifyAuditLog } from '../src/index';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream } from './harness';
import { buildRoom, buildUser, exportAsOfficer } from '@enclave/testkit';
import { pngImage, storedFiles, upload } from './upload-helpers';

describeEachBackend('room lifecycle', (server) => {
  test('a frozen room refuses every write with a stable code and tells its members why', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'before the freeze' } });
    const live = await openStream(bob.client);
    await rejectsWith(alice.client.endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'x' } }), 'ADMIN_REQUIRED', 403);
    const frozen = await server().admin.client.endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'Project closed by order of management' } });
    assert.equal(frozen.room.frozen?.reason, 'Project closed by order of management');
    await live.waitFor((events) => events.some((e) => e.type === 'room.updated' && e.room.frozen !== null), 'room.updated with the freeze');
    const writes = [
      () => bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'still here?' } }),
      () => alice.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: 'changed' } }),
      () => alice.client.endpoint('deleteMessage')({ params: { messageId: message.id } }),
      () => bob.client.endpoint('addReaction')({ params: { messageId: message.id, emoji: '👀' } }),
      () => bob.client.endpoint('pinMessage')({ params: { messageId: message.id } }),
      () => alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [server().admin.user.id] } }),
      () => alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { topic: 'nope' } }),
    ];
    for (const write of writes) await rejectsWith(write(), 'ROOM_FROZEN', 423);
    const history = await bob.client.endpoint('listMessages')({ params: { roomId: room.id } });
    assert.deepEqual(history.messages.map((m) => m.text), ['before the freeze'], 'reading still works');
    await server().admin.client.endpoint('unfreezeRoom')({ params: { roomId: room.id } });
    await bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'thawed' } });
    live.close();
  });

  test('a frozen room exports as JSON Lines and as a readable, escaped HTML transcript', async () => {
    const alice = await buildUser(server(), { displayName: 'Alice <script>' });
    const room = await buildRoom(server(), { owner: alice.client, name: 'Export 导出' });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'line one <b>bold?</b>' } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '第二行' } });
    const officer = await buildUser(server(), { role: 'compliance' });
    await rejectsWith(officer.client.endpoint('exportRoom')({ params: { roomId: room.id }, query: { format: 'jsonl' } }), 'ROOM_NOT_FROZEN', 409);
    await server().admin.client.endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'archive' } });
    // Reading a room one is not in is the officer's duty, not the admin's (separation-of-duties.test.ts).
    await rejectsWith(server().admin.client.endpoint('exportRoom')({ params: { roomId: room.id }, query: { format: 'jsonl' } }), 'EXPORT_NEEDS_COMPLIANCE', 403);
    const jsonl = await officer.client.endpoint('exportRoom')({ params: { roomId: room.id }, query: { format: 'jsonl' } });
    const lines = jsonl.trim().split('\n').map((line) => JSON.parse(line) as { type: string; text?: string; room?: { name: string } });
    assert.equal(lines[0]?.type, 'room');
    assert.equal(lines[0]?.room?.name, 'Export 导出');
    assert.deepEqual(lines.slice(1).map((l) => l.text), ['line one <b>bold?</b>', '第二行']);
    const response = await fetch(`${server().url}/api/v1/rooms/${room.id}/export?format=html`, { headers: { authorization: `Bearer ${officer.client.currentToken}` } });
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    const html = await response.text();
    assert.match(html, /line one &lt;b&gt;bold\?&lt;\/b&gt;/);
    assert.match(html, /Alice &lt;script&gt;/);
    assert.doesNotMatch(html, /<script>/);
    const audit = await server().running.database.db.selectFrom('audit_log').select('data').where('action', '=', 'room.exported').where('target_id', '=', room.id).execute();
    assert.equal(audit.length, 2, 'each export is audited');
  });

  test('deleting a frozen room erases it, leaves a certificate and makes it disappear live', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'classified plans' } });
    await bob.client.endpoint('addReaction')({ params: { messageId: message.id, emoji: '👍' } });
    await rejectsWith(server().admin.client.endpoint('deleteRoom')({ params: { roomId: room.id } }), 'ROOM_NOT_FROZEN', 409);
    await server().admin.client.endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'shut down' } });
    await rejectsWith(server().admin.client.endpoint('deleteRoom')({ params: { roomId: room.id } }), 'ROOM_NOT_ARCHIVED', 409);
    const exported = await exportAsOfficer(server(), room.id);
    const live = await openStream(bob.client);
    const { certificate } = await server().admin.client.endpoint('deleteRoom')({ params: { roomId: room.id } });
    assert.equal(certificate.messagesDeleted, 1);
    assert.equal(certificate.membersRemoved, 2);
    assert.equal(certificate.filesDeleted, 0);
    assert.equal(certificate.frozenReason, 'shut down');
    assert.equal(certificate.exportSha256.length, 64);
    assert.equal(createHash('sha256').update(exported).digest('hex'), certificate.exportSha256, 'the certificate names the export downloaded before');
    assert.equal(certificate.archive?.basis === 'officer-export' && certificate.archive.sha256, certificate.exportSha256, 'and the officer export the records policy asked for');
    await live.waitFor((events) => events.some((e) => e.type === 'room.deleted' && e.roomId === room.id), 'room.deleted');
    await rejectsWith(bob.client.endpoint('listMessages')({ params: { roomId: room.id } }), 'ROOM_NOT_FOUND', 404);
    const db = server().running.database.db;
    for (const table of ['messages', 'room_members', 'room_member_periods', 'read_marks', 'mentions'] as const) {
      const rows = await db.selectFrom(table).select('room_id').where('room_id', '=', room.id).execute();
      assert.equal(rows.length, 0, `${table} erased`);
    }
    assert.equal((await db.selectFrom('reactions').selectAll().where('message_id', '=', message.id).execute()).length, 0);
    const entry = await db.selectFrom('audit_log').select('data').where('action', '=', 'room.deleted').where('target_id', '=', room.id).executeTakeFirstOrThrow();
    const { roomName: _name, frozenReason: _reason, ...counts } = certificate;
    const stored = JSON.parse(entry.data) as { certificate: unknown; sealed: string };
    assert.deepEqual(stored.certificate, counts, 'the stored entry shows the counts; the name and reason are sealed (room-custody.test.ts)');
    assert.doesNotMatch(entry.data, /shut down/);
    assert.equal((await verifyAuditLog(db)).ok, true);
    live.close();
  });

  test('deleting a room takes the files only it carried, bytes and thumbnails too; a file forwarded elsewhere stays', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const elsewhere = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const plan = await upload(alice.client, room.id, 'the plan', 'plan.txt');
    const photo = await upload(alice.client, room.id, await pngImage(400, 300), 'site.png');
    const notes = await upload(alice.client, room.id, 'shared notes', 'notes.txt');
    const unsent = await upload(bob.client, room.id, 'never sent', 'draft.txt');
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'plan and photo', fileIds: [plan.id, photo.id] } });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'notes', fileIds: [notes.id] } });
    await alice.client.endpoint('forwardMessage')({ params: { messageId: message.id }, body: { roomId: elsewhere.id } });
    const db = server().running.database.db;
    const keyOf = async (fileId: string) => (await db.selectFrom('files').select('storage_key').where('id', '=', fileId).executeTakeFirstOrThrow()).storage_key;
    const [planKey, photoKey, notesKey, unsentKey] = await Promise.all([plan, photo, notes, unsent].map((file) => keyOf(file.id)));
    const holds = (key: string) => storedFiles(server()).filter((file) => file.includes(key)).length;
    assert.deepEqual([holds(planKey!), holds(photoKey!), holds(notesKey!), holds(unsentKey!)], [1, 2, 1, 1], 'the photo has its thumbnail beside it');

    await server().admin.client.endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'project over' } });
    await exportAsOfficer(server(), room.id);
    const { certificate } = await server().admin.client.endpoint('deleteRoom')({ params: { roomId: room.id } });
    assert.equal(certificate.filesDeleted, 3);
    const rows = await db.selectFrom('files').select('id').where('id', 'in', [plan.id, photo.id, notes.id, unsent.id]).execute();
    assert.deepEqual(rows.map((row) => row.id), [notes.id], 'only the forwarded file is still on record');
    assert.deepEqual([holds(planKey!), holds(photoKey!), holds(notesKey!), holds(unsentKey!)], [0, 0, 1, 0], 'the bytes went with the rows');
    const kept = await bob.client.endpoint('fileContent')({ params: { fileId: notes.id }, query: { disposition: 'inline' } });
    assert.equal(Buffer.from(kept).toString(), 'shared notes', 'the forward still shows its file');
    await rejectsWith(alice.client.endpoint('getFile')({ params: { fileId: plan.id } }), 'FILE_NOT_FOUND', 404);
  });

  test('an admin finds rooms by name and idleness, freezes and deletes them in bulk', async () => {
    const alice = await buildUser(server());
    const tag = `bulk-${alice.user.id.slice(0, 6)}`;
    const rooms = await Promise.all([1, 2, 3].map((n) => buildRoom(server(), { owner: alice.client, name: `${tag} team ${n}` })));
    const keep = await buildRoom(server(), { owner: alice.client, name: 'keep me' });
    const found = await server().admin.client.endpoint('adminListRooms')({ query: { q: tag, limit: 2 } });
    assert.equal(found.rooms.length, 2);
    assert.ok(found.nextCursor);
    assert.deepEqual(found.rooms[0]?.ownerIds, [alice.user.id]);
    const rest = await server().admin.client.endpoint('adminListRooms')({ query: { q: tag, limit: 2, cursor: found.nextCursor! } });
    assert.deepEqual([...found.rooms, ...rest.rooms].map((r) => r.id).sort(), rooms.map((r) => r.id).sort());
    const idle = await server().admin.client.endpoint('adminListRooms')({ query: { q: tag, idleDays: 1 } });
    assert.equal(idle.rooms.length, 0, 'rooms made just now are not idle');
    const ids = rooms.map((r) => r.id);
    await rejectsWith(server().admin.client.endpoint('bulkDeleteRooms')({ body: { roomIds: ids } }), 'ROOM_NOT_FROZEN', 409);
    const frozen = await server().admin.client.endpoint('bulkFreezeRooms')({ body: { roomIds: ids, reason: 'quarterly clean-up' } });
    assert.ok(frozen.rooms.every((r) => r.frozen?.reason === 'quarterly clean-up'));
    await exportAsOfficer(server(), ids[0]!);
    const refused = await rejectsWith(server().admin.client.endpoint('bulkDeleteRooms')({ body: { roomIds: ids } }), 'ROOM_NOT_ARCHIVED', 409);
    assert.deepEqual((refused.data as { roomIds: string[] }).roomIds.sort(), ids.slice(1).sort(), 'a room without its archive deletes nothing');
    for (const id of ids.slice(1)) await exportAsOfficer(server(), id);
    const { certificates } = await server().admin.client.endpoint('bulkDeleteRooms')({ body: { roomIds: ids } });
    assert.deepEqual(certificates.map((c) => c.roomId).sort(), [...ids].sort());
    assert.equal((await server().admin.client.endpoint('adminListRooms')({ query: { q: tag } })).rooms.length, 0);
    assert.equal((await alice.client.endpoint('getRoom')({ params: { roomId: keep.id } })).room.id, keep.id, 'other rooms stay');
    await rejectsWith(alice.client.endpoint('adminListRooms')({ query: {} }), 'ADMIN_REQUIRED', 403);
  });
});
