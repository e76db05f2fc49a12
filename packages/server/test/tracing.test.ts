import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { encodeInvisibleTraceCode, formatTraceCode, isValidTraceCode, singleSymbolCorrections, traceCodeFrom, type TraceMark } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser, exportAsOfficer, sendConfirmed } from '@enclave/testkit';
import { sql } from 'kysely';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';
import { rowsOf } from './stored-text';
import { upload } from './upload-helpers';

describeEachBackend('leak tracing: trace codes issued to viewers of marked items', (server) => {
  const issue = (client: EnclaveClient, kind: 'room-view' | 'message-copy' | 'file-view', itemId: string) => client.endpoint('issueTraceMark')({ body: { kind, itemId } });
  const markOf = async (client: EnclaveClient, kind: 'room-view' | 'message-copy' | 'file-view', itemId: string): Promise<TraceMark> => {
    const { mark } = await issue(client, kind, itemId);
    assert.ok(mark, `${kind} ${itemId} should be marked`);
    return mark;
  };
  const storedMark = async (code: string) =>
    (await rowsOf<{ viewer_id: string; kind: string; item_id: string; room_id: string | null }>(server().running.database, sql`select viewer_id, kind, item_id, room_id from trace_marks where code = ${code}`))[0];

  /** Alice owns a confidential group with Bob (both cleared for it), marked by its ceiling's label on a fresh install. */
  async function confidentialRoom() {
    const alice = await buildUser(server(), { clearance: 'confidential', displayName: 'Alice Tracer' });
    const bob = await buildUser(server(), { clearance: 'confidential' });
    const { room } = await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: `board-${randomBytes(3).toString('hex')}`, memberIds: [bob.user.id], ceiling: 'confidential' } });
    return { alice, bob, room };
  }

  test('a fresh install marks Confidential and every label above it, and a confidential room’s view', async () => {
    const { labels } = await server().admin.client.endpoint('listLabels')();
    assert.deepEqual(labels.filter((label) => label.marked).map((label) => label.id), ['confidential', 'secret']);
    const { room } = await confidentialRoom();
    assert.equal(room.marking, 'by-label');
    assert.equal(room.marked, true);
  });

  test('issues a code naming the viewer for a room view, a copied message and a viewed file', async () => {
    const { alice, room } = await confidentialRoom();
    const message = await sendConfirmed(alice.client, room.id, { text: 'the board pack', label: 'confidential' });
    const file = await upload(alice.client, room.id, 'minutes of the board', 'minutes.txt', { label: 'confidential', type: 'text/plain' });
    await sendConfirmed(alice.client, room.id, { text: 'minutes', fileIds: [file.id], label: 'confidential' });
    for (const [kind, itemId] of [['room-view', room.id], ['message-copy', message.id], ['file-view', file.id]] as const) {
      const mark = await markOf(alice.client, kind, itemId);
      assert.ok(isValidTraceCode(mark.code));
      assert.deepEqual({ kind: mark.kind, itemId: mark.itemId }, { kind, itemId });
      assert.deepEqual(mark.viewer, { id: alice.user.id, displayName: 'Alice Tracer', username: alice.user.username });
      assert.deepEqual(await storedMark(mark.code), { viewer_id: alice.user.id, kind, item_id: itemId, room_id: room.id });
    }
  });

  test('someone who cannot see the item is refused exactly as reading it would be', async () => {
    const { alice, room } = await confidentialRoom();
    const outsider = await buildUser(server(), { clearance: 'confidential' });
    const message = await sendConfirmed(alice.client, room.id, { text: 'not for outsiders', label: 'confidential' });
    const file = await upload(alice.client, room.id, 'outsider notes', 'notes.txt', { type: 'text/plain' });
    await sendConfirmed(alice.client, room.id, { text: 'notes', fileIds: [file.id] });
    await rejectsWith(issue(outsider.client, 'room-view', room.id), 'ROOM_NOT_FOUND', 404);
    await rejectsWith(issue(outsider.client, 'message-copy', message.id), 'MESSAGE_NOT_FOUND', 404);
    await rejectsWith(issue(outsider.client, 'file-view', file.id), 'FILE_NOT_FOUND', 404);
    await rejectsWith(issue(outsider.client, 'room-view', 'no-such-room'), 'ROOM_NOT_FOUND', 404);
    const kinds = ['file-download', 'export'].map((kind) => outsider.client.endpoint('issueTraceMark')({ body: { kind, itemId: file.id } as never }));
    for (const refused of kinds) await rejectsWith(refused, 'VALIDATION_FAILED', 400);
  });

  test('an unmarked room gives no code and records nothing, but a message whose own label is marked carries its mark', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    assert.equal(room.marked, false);
    assert.deepEqual(await issue(bob.client, 'room-view', room.id), { mark: null });
    const plain = await sendConfirmed(alice.client, room.id, { text: 'lunch at noon' });
    assert.deepEqual(await issue(bob.client, 'message-copy', plain.id), { mark: null });
    const rows = await rowsOf<{ count: number | string }>(server().running.database, sql`select count(*) as count from trace_marks where viewer_id = ${bob.user.id}`);
    assert.equal(Number(rows[0]!.count), 0);
    // The room's view follows its ceiling (Internal, unmarked); a message labelled with a marked label does not.
    await server().admin.client.endpoint('updateLabel')({ params: { labelId: 'public' }, body: { marked: true } });
    try {
      const publicNote = await sendConfirmed(alice.client, room.id, { text: 'press release draft', label: 'public' });
      assert.equal((await issue(bob.client, 'message-copy', publicNote.id)).mark !== null, true);
      assert.equal((await bob.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.marked, false);
    } finally {
      await server().admin.client.endpoint('updateLabel')({ params: { labelId: 'public' }, body: { marked: false } });
    }
  });

  test('an administrator sets a room to always or never; owners, members and profile settings cannot change it', async () => {
    const { alice, bob, room } = await confidentialRoom();
    await rejectsWith(alice.client.endpoint('setRoomMarking')({ params: { roomId: room.id }, body: { marking: 'never' } }), 'ADMIN_REQUIRED', 403);
    await rejectsWith(alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { marking: 'never' } as never }), 'VALIDATION_FAILED', 400);
    await rejectsWith(bob.client.endpoint('updateMyProfile')({ body: { marking: 'never' } as never }), 'VALIDATION_FAILED', 400);
    await rejectsWith(bob.client.endpoint('updateMyProfile')({ body: { displayName: 'Bob', watermark: false } as never }), 'VALIDATION_FAILED', 400);
    assert.equal((await bob.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.marked, true);

    const { room: never } = await server().admin.client.endpoint('setRoomMarking')({ params: { roomId: room.id }, body: { marking: 'never' } });
    assert.deepEqual({ marking: never.marking, marked: never.marked }, { marking: 'never', marked: false });
    const message = await sendConfirmed(alice.client, room.id, { text: 'quarterly figures', label: 'confidential' });
    assert.deepEqual(await issue(bob.client, 'message-copy', message.id), { mark: null });

    const internalRoom = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const { room: always } = await server().admin.client.endpoint('setRoomMarking')({ params: { roomId: internalRoom.id }, body: { marking: 'always' } });
    assert.equal(always.marked, true);
    assert.equal((await bob.client.endpoint('getRoom')({ params: { roomId: internalRoom.id } })).room.marked, true);
    const officer = await buildUser(server(), { role: 'compliance' });
    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'room.marking_changed', roomId: internalRoom.id } });
    assert.deepEqual(entries.map((entry) => entry.data), [{ from: 'by-label', to: 'always' }]);
  });

  test('two viewers of the same file get different codes, and a guest’s code names the guest', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const guest = await buildUser(server(), { role: 'guest', displayName: 'Partner Guest' });
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user, guest.user] });
    await server().admin.client.endpoint('setRoomMarking')({ params: { roomId: room.id }, body: { marking: 'always' } });
    const file = await upload(alice.client, room.id, 'price list', 'prices.txt', { type: 'text/plain' });
    await sendConfirmed(alice.client, room.id, { text: 'prices', fileIds: [file.id] });
    const [ofBob, ofGuest] = [await markOf(bob.client, 'file-view', file.id), await markOf(guest.client, 'file-view', file.id)];
    assert.notEqual(ofBob.code, ofGuest.code);
    assert.deepEqual(ofGuest.viewer, { id: guest.user.id, displayName: 'Partner Guest', username: guest.user.username });
    assert.equal((await storedMark(ofGuest.code))?.viewer_id, guest.user.id);
  });

  test('a viewer’s code for the same view is reused within ten minutes, and a new one is issued after', async () => {
    const { bob, room } = await confidentialRoom();
    const first = await markOf(bob.client, 'room-view', room.id);
    assert.equal((await markOf(bob.client, 'room-view', room.id)).code, first.code, 'a reload reuses the code');
    await sql`update trace_marks set issued_at = ${Date.now() - 11 * 60_000} where code = ${first.code}`.execute(server().running.database.db);
    const later = await markOf(bob.client, 'room-view', room.id);
    assert.notEqual(later.code, first.code);
  });

  test('a trace record survives the deletion of its message and of its room', async () => {
    const { alice, bob, room } = await confidentialRoom();
    const message = await sendConfirmed(alice.client, room.id, { text: 'merger terms', label: 'confidential' });
    const ofMessage = await markOf(bob.client, 'message-copy', message.id);
    const ofRoom = await markOf(bob.client, 'room-view', room.id);
    await alice.client.endpoint('deleteMessage')({ params: { messageId: message.id } });
    await server().admin.client.endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'project closed' } });
    await exportAsOfficer(server(), room.id);
    await server().admin.client.endpoint('deleteRoom')({ params: { roomId: room.id } });
    assert.deepEqual(await storedMark(ofMessage.code), { viewer_id: bob.user.id, kind: 'message-copy', item_id: message.id, room_id: room.id });
    assert.deepEqual(await storedMark(ofRoom.code), { viewer_id: bob.user.id, kind: 'room-view', item_id: room.id, room_id: room.id });
  });

  test('a stamped download gets a code of its own each time, bound to the stamped copy’s hash', async () => {
    const { alice, bob, room } = await confidentialRoom();
    const file = await upload(alice.client, room.id, 'plan', 'plan.txt', { label: 'confidential', type: 'text/plain' });
    await sendConfirmed(alice.client, room.id, { text: 'plan', fileIds: [file.id], label: 'confidential' });
    const { tracing } = server().running.services;
    const first = await tracing.issueMark({ userId: bob.user.id }, 'file-download', file.id);
    const second = await tracing.issueMark({ userId: bob.user.id }, 'file-download', file.id);
    assert.ok(first && second);
    assert.notEqual(first.code, second.code);
    await tracing.recordStampedCopy(first.code, { sha256: 'ab'.repeat(32), details: { pages: 3 } });
    const [row] = await rowsOf<{ stamped_sha256: string; details: string }>(server().running.database, sql`select stamped_sha256, details from trace_marks where code = ${first.code}`);
    assert.deepEqual(row, { stamped_sha256: 'ab'.repeat(32), details: '{"pages":3}' });
  });

  test('“Trace a leak” resolves typed codes and pasted text to who, what and when, for compliance officers only, audited without the text', async () => {
    const { alice, bob, room } = await confidentialRoom();
    const message = await sendConfirmed(alice.client, room.id, { text: 'acquisition target', label: 'confidential' });
    const seen = await markOf(bob.client, 'room-view', room.id);
    const copied = await markOf(bob.client, 'message-copy', message.id);
    const officer = await buildUser(server(), { role: 'compliance' });
    const resolve = (client: EnclaveClient, text: string) => client.endpoint('resolveTrace')({ body: { text } });

    await rejectsWith(resolve(server().admin.client, seen.code), 'COMPLIANCE_REQUIRED', 403);
    await rejectsWith(resolve(bob.client, seen.code), 'COMPLIANCE_REQUIRED', 403);

    const typed = await resolve(officer.client, formatTraceCode(seen.code).toLowerCase());
    assert.deepEqual(typed.results, [
      { status: 'resolved', code: seen.code, source: 'visible', issue: { viewer: seen.viewer, kind: 'room-view', itemId: room.id, roomId: room.id, roomName: room.name, issuedAt: seen.issuedAt } },
    ]);
    const misread = seen.code.slice(0, 2) + (seen.code[2] === 'A' ? 'B' : 'A') + seen.code.slice(3);
    assert.deepEqual((await resolve(officer.client, misread)).results, [
      { status: 'corrected', code: seen.code, readAs: misread, source: 'visible', issue: { viewer: seen.viewer, kind: 'room-view', itemId: room.id, roomId: room.id, roomName: room.name, issuedAt: seen.issuedAt } },
    ]);
    const twoWrong = misread.slice(0, 5) + (misread[5] === 'C' ? 'D' : 'C') + misread.slice(6);
    assert.deepEqual((await resolve(officer.client, twoWrong)).results, [{ status: 'misread', code: twoWrong, source: 'visible', issue: null }], 'two symbols wrong: no guess');
    await rejectsWith(resolve(officer.client, 'nothing here looks like a code'), 'TRACE_CODE_INVALID', 400);

    const unknownCode = traceCodeFrom('ZZZZZZZZ');
    const leak = `转发自群聊：收购目标${encodeInvisibleTraceCode(copied.code)}已确定。截图水印 ${formatTraceCode(seen.code)} / ${formatTraceCode(unknownCode)}`;
    const pasted = await resolve(officer.client, leak);
    assert.deepEqual(
      pasted.results.map((result) => [result.status, result.code, result.source, result.issue?.kind]),
      [['resolved', copied.code, 'invisible', 'message-copy'], ['resolved', seen.code, 'visible', 'room-view'], ['unknown', unknownCode, 'visible', undefined]],
    );

    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'compliance.trace_resolved', actorId: officer.user.id } });
    assert.equal(entries.length, 4);
    assert.deepEqual(entries[0]!.data, {
      codes: [
        { code: copied.code, status: 'resolved', viewerId: bob.user.id },
        { code: seen.code, status: 'resolved', viewerId: bob.user.id },
        { code: unknownCode, status: 'unknown' },
      ],
    });
    assert.ok(!JSON.stringify(entries).includes('收购目标'), 'the pasted text is not in the audit log');
    assert.deepEqual(entries[2]!.data, { codes: [{ code: seen.code, status: 'corrected', readAs: misread, viewerId: bob.user.id }] }, 'a correction is audited with what was read');
  });

  test('a misread code one symbol from two issued codes is not guessed', async () => {
    const { bob, room } = await confidentialRoom();
    const seen = await markOf(bob.client, 'room-view', room.id);
    const misread = seen.code.slice(0, 2) + (seen.code[2] === 'A' ? 'B' : 'A') + seen.code.slice(3);
    const other = singleSymbolCorrections(misread).find((code) => code !== seen.code)!;
    // Another code issued one symbol from the same reading (written directly: codes are drawn at random).
    const row = await server().running.database.db.selectFrom('trace_marks').selectAll().where('code', '=', seen.code).executeTakeFirstOrThrow();
    await server().running.database.db.insertInto('trace_marks').values({ ...row, code: other }).execute();
    const officer = await buildUser(server(), { role: 'compliance' });
    assert.deepEqual((await officer.client.endpoint('resolveTrace')({ body: { text: misread } })).results, [{ status: 'misread', code: misread, source: 'visible', issue: null }]);
  });

  test('a resolution still names the viewer after the room is deleted, with no room name', async () => {
    const { bob, room } = await confidentialRoom();
    const seen = await markOf(bob.client, 'room-view', room.id);
    await server().admin.client.endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'closed' } });
    await exportAsOfficer(server(), room.id);
    await server().admin.client.endpoint('deleteRoom')({ params: { roomId: room.id } });
    const officer = await buildUser(server(), { role: 'compliance' });
    const { results } = await officer.client.endpoint('resolveTrace')({ body: { text: seen.code } });
    assert.deepEqual(results[0]?.issue, { viewer: seen.viewer, kind: 'room-view', itemId: room.id, roomId: room.id, roomName: null, issuedAt: seen.issuedAt });
  });
});
