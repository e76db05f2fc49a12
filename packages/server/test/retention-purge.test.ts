import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PurgeRunResponse } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { describeEachBackend, type TestServer } from './harness';
import { pngImage, upload } from './upload-helpers';

const DAY = 86_400_000;

/** Makes messages look sent `days` ago: retention counts ages from the sending time. */
async function age(server: TestServer, messageIds: string[], days: number): Promise<void> {
  await server.running.database.db.updateTable('messages').set({ created_at: Date.now() - days * DAY }).where('id', 'in', messageIds).execute();
}

/** Runs the purge to its end: on a slow machine a run outlasts the request, which then answers with its progress. */
async function purgeToTheEnd(officer: EnclaveClient): Promise<PurgeRunResponse> {
  for (;;) {
    const run = await officer.endpoint('runPurge')();
    if (run.finished) return run;
  }
}

describeEachBackend('retention purge', (server) => {
  test('a purge of hundreds of messages goes in several batches, erases everything of them but what a hold keeps, and writes one audit entry', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const db = server().running.database.db;
    const sendAs = (client: typeof alice.client, text: string, fileIds?: string[]) => client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text, ...(fileIds ? { fileIds } : {}) } }).then((answer) => answer.message.id);
    const files = await Promise.all(Array.from({ length: 5 }, (_, i) => upload(alice.client, room.id, `attachment ${i}`, `a${i}.txt`)));
    const erased: string[] = [];
    for (let start = 0; start < 300; start += 20) erased.push(...(await Promise.all(Array.from({ length: 20 }, (_, i) => sendAs(alice.client, `old ${start + i}`, start + i < files.length ? [files[start + i]!.id] : undefined)))));
    const held = await Promise.all(Array.from({ length: 10 }, (_, i) => sendAs(bob.client, `kept ${i}`)));
    await alice.client.endpoint('editMessage')({ params: { messageId: erased[7]! }, body: { text: 'old 7, revised' } });
    await bob.client.endpoint('addReaction')({ params: { messageId: erased[8]!, emoji: '👍' } });
    await alice.client.endpoint('deleteMessage')({ params: { messageId: erased[9]! } });
    await bob.client.endpoint('deleteMessage')({ params: { messageId: held[0]! } });
    await age(server(), [...erased, ...held], 40);
    // A compliance search brings the records index up to date: the edit's earlier text and the two deletions.
    await officer.client.endpoint('searchRecords')({ body: { roomIds: [room.id] } });
    const indexed = async (ids: string[]) => (await db.selectFrom('records').select('message_id').where('message_id', 'in', ids).execute()).length;
    assert.deepEqual([await indexed(erased), await indexed(held)], [2, 1]);
    const { hold } = await officer.client.endpoint('createHold')({ body: { name: 'Bob’s matter', covers: { custodianIds: [bob.user.id] } } });
    const auditBefore = (await db.selectFrom('audit_log').select('seq').where('action', '=', 'retention.purged').execute()).length;
    await officer.client.endpoint('setRetention')({ body: { scope: 'room', targetId: room.id, deleteAfterDays: 30, keepAtLeastDays: null } });
    try {
      const run = await purgeToTheEnd(officer.client);
      assert.deepEqual(run, { finished: true, messages: 300, files: 5, keptByHolds: 10, rooms: [{ roomId: room.id, messages: 300, files: 5 }] });

      const left = await db.selectFrom('messages').select('id').where('room_id', '=', room.id).execute();
      assert.deepEqual(new Set(left.map((row) => row.id)), new Set(held), 'only the held messages stay');
      for (const table of ['message_versions', 'reactions', 'message_files'] as const) {
        assert.equal((await db.selectFrom(table).select('message_id').where('message_id', 'in', erased).execute()).length, 0, `${table} erased`);
      }
      assert.deepEqual([await indexed(erased), await indexed(held)], [0, 1], 'the records index keeps only the held deletion');
      const fileIds = files.map((file) => file.id);
      assert.equal((await db.selectFrom('files').select('id').where('id', 'in', fileIds).execute()).length, 0, 'the files went');
      assert.equal((await db.selectFrom('data_keys').select('owner').where('owner', 'in', fileIds.map((id) => `file:${id}`)).execute()).length, 0, "the files' keys are destroyed");

      const told = await db.selectFrom('events').select('payload').where('room_id', '=', room.id).where('type', '=', 'messages.purged').execute();
      const toldIds = told.flatMap((event) => (JSON.parse(event.payload) as { messageIds: string[] }).messageIds);
      assert.ok(told.length >= 2, `the purge went in ${told.length} batch(es)`);
      assert.deepEqual(new Set(toldIds), new Set(erased), 'members are told of every erased message, once');
      assert.equal(toldIds.length, erased.length);

      const entries = (await db.selectFrom('audit_log').select(['data', 'actor_id']).where('action', '=', 'retention.purged').orderBy('seq').execute()).slice(auditBefore);
      assert.equal(entries.length, 1, 'one audit entry for the run, not one per batch');
      assert.deepEqual(JSON.parse(entries[0]!.data), run);
      assert.equal(entries[0]!.actor_id, officer.user.id);
    } finally {
      await officer.client.endpoint('removeRetention')({ body: { scope: 'room', targetId: room.id } });
      await officer.client.endpoint('releaseHold')({ params: { holdId: hold.id } });
    }
  });

  test("a purged message's file answers by no route: content, details, thumbnail, preview, the room's files, the officer's record", async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const image = await upload(alice.client, room.id, new Uint8Array(await pngImage(64, 48)), 'plan.png', { type: 'image/png' });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'the floor plan', fileIds: [image.id] } });
    await age(server(), [message.id], 40);
    const { records } = await officer.client.endpoint('searchRecords')({ body: { roomIds: [room.id] } });
    assert.ok(records.some((found) => found.messageId === message.id), 'the officer finds the message before the purge');
    const record = { id: `m:${message.id}` };
    // Each route answers before the purge, so what follows tests the purge and not a route that never worked.
    await bob.client.endpoint('fileContent')({ params: { fileId: image.id }, query: { disposition: 'inline' } });
    await officer.client.endpoint('recordFileContent')({ params: { recordId: record.id, fileId: image.id }, query: { disposition: 'inline' } });

    await officer.client.endpoint('setRetention')({ body: { scope: 'room', targetId: room.id, deleteAfterDays: 30, keepAtLeastDays: null } });
    try {
      assert.equal((await purgeToTheEnd(officer.client)).files, 1);
      for (const client of [alice.client, bob.client]) {
        await rejectsWith(client.endpoint('fileContent')({ params: { fileId: image.id }, query: { disposition: 'inline' } }), 'FILE_NOT_FOUND', 404);
        await rejectsWith(client.endpoint('fileContent')({ params: { fileId: image.id }, query: { disposition: 'attachment' } }), 'FILE_NOT_FOUND', 404);
        await rejectsWith(client.endpoint('getFile')({ params: { fileId: image.id } }), 'FILE_NOT_FOUND', 404);
        await rejectsWith(client.endpoint('fileThumbnail')({ params: { fileId: image.id } }), 'FILE_NOT_FOUND', 404);
        await rejectsWith(client.endpoint('filePreview')({ params: { fileId: image.id } }), 'FILE_NOT_FOUND', 404);
        const listed = await client.endpoint('listRoomFiles')({ params: { roomId: room.id } });
        assert.equal(listed.files.some((entry) => entry.file.id === image.id), false, "the room's files do not list it");
      }
      await rejectsWith(officer.client.endpoint('recordFileContent')({ params: { recordId: record.id, fileId: image.id }, query: { disposition: 'inline' } }), 'RECORD_NOT_FOUND', 404);
      await rejectsWith(officer.client.endpoint('openRecord')({ params: { recordId: record.id } }), 'RECORD_NOT_FOUND', 404);
      const after = await officer.client.endpoint('searchRecords')({ body: { roomIds: [room.id] } });
      assert.equal(after.records.some((found) => found.messageId === message.id), false, 'the records search finds it no more');
      // A raw request with the file id percent-encoded reaches the same route and the same answer.
      const raw = await fetch(`${server().url}/api/v1/files/${encodeURIComponent(image.id).replace(/[a-z]/i, (c) => `%${c.charCodeAt(0).toString(16)}`)}/content`, { headers: { authorization: `Bearer ${alice.client.currentToken}` } });
      assert.equal(raw.status, 404);
    } finally {
      await officer.client.endpoint('removeRetention')({ body: { scope: 'room', targetId: room.id } });
    }
  });
});
