import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRoom, buildUser } from '@enclave/testkit';
import { verifyAuditLog } from '../src/index';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream, type TestServer } from './harness';
import { storedFiles, upload } from './upload-helpers';

const DAY = 86_400_000;

/** Makes messages look sent `days` ago: retention counts ages from the sending time. */
async function age(server: TestServer, messageIds: string[], days: number): Promise<void> {
  await server.running.database.db.updateTable('messages').set({ created_at: Date.now() - days * DAY }).where('id', 'in', messageIds).execute();
}

async function stored(server: TestServer, roomId: string): Promise<string[]> {
  const rows = await server.running.database.db.selectFrom('messages').select('id').where('room_id', '=', roomId).orderBy('position').execute();
  return rows.map((row) => row.id);
}

describeEachBackend('retention', (server) => {
  async function setUp() {
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const send = async (text: string, options: { label?: string; fileIds?: string[] } = {}) => (await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text, ...options } })).message;
    return { officer, alice, bob, room, send };
  }

  test('only a compliance officer may read or change retention or run the purge, by any route', async () => {
    const { alice, room } = await setUp();
    for (const client of [server().admin.client, alice.client]) {
      await rejectsWith(client.endpoint('listRetention')(), 'COMPLIANCE_REQUIRED', 403);
      await rejectsWith(client.endpoint('setRetention')({ body: { scope: 'room', targetId: room.id, deleteAfterDays: 1, keepAtLeastDays: null } }), 'COMPLIANCE_REQUIRED', 403);
      await rejectsWith(client.endpoint('removeRetention')({ body: { scope: 'organisation' } }), 'COMPLIANCE_REQUIRED', 403);
      await rejectsWith(client.endpoint('runPurge')(), 'COMPLIANCE_REQUIRED', 403);
    }
    const raw = await fetch(`${server().url}/api/v1/compliance/retention/purge`, { method: 'POST', headers: { authorization: `Bearer ${server().admin.client.currentToken}`, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(raw.status, 403);
  });

  test('policies are validated, listed, replaced and removed, each change audited', async () => {
    const { officer, room } = await setUp();
    const set = officer.client.endpoint('setRetention');
    await rejectsWith(set({ body: { scope: 'room', deleteAfterDays: 5, keepAtLeastDays: null } }), 'VALIDATION_FAILED', 400);
    await rejectsWith(set({ body: { scope: 'organisation', targetId: room.id, deleteAfterDays: 5, keepAtLeastDays: null } }), 'VALIDATION_FAILED', 400);
    await rejectsWith(set({ body: { scope: 'room', targetId: room.id, deleteAfterDays: null, keepAtLeastDays: null } }), 'VALIDATION_FAILED', 400);
    await rejectsWith(set({ body: { scope: 'room', targetId: room.id, deleteAfterDays: 0, keepAtLeastDays: null } }), 'VALIDATION_FAILED', 400);
    await rejectsWith(set({ body: { scope: 'room', targetId: 'no-such-room', deleteAfterDays: 5, keepAtLeastDays: null } }), 'ROOM_NOT_FOUND', 404);
    await rejectsWith(set({ body: { scope: 'label', targetId: 'nosuchlabel', deleteAfterDays: 5, keepAtLeastDays: null } }), 'LABEL_NOT_FOUND', 404);
    await set({ body: { scope: 'room', targetId: room.id, deleteAfterDays: 5, keepAtLeastDays: null } });
    const { policy } = await set({ body: { scope: 'room', targetId: room.id, deleteAfterDays: 90, keepAtLeastDays: 30 } });
    assert.deepEqual([policy.deleteAfterDays, policy.keepAtLeastDays, policy.updatedBy], [90, 30, officer.user.id]);
    const { policies } = await officer.client.endpoint('listRetention')();
    assert.equal(policies.filter((p) => p.targetId === room.id).length, 1, 'setting again replaces');
    const left = await officer.client.endpoint('removeRetention')({ body: { scope: 'room', targetId: room.id } });
    assert.equal(left.policies.some((p) => p.targetId === room.id), false);
    const actions = await server().running.database.db.selectFrom('audit_log').select('action').where('target_id', '=', `room:${room.id}`).orderBy('seq').execute();
    assert.deepEqual(actions.map((a) => a.action), ['retention.policy_set', 'retention.policy_set', 'retention.policy_removed']);
  });

  test('the longer keep wins: a room minimum beats a shorter deletion age, and a label’s longer deletion age beats the room’s', async () => {
    const { officer, alice, room, send } = await setUp();
    const other = await buildRoom(server(), { owner: alice.client });
    const plain = await send('internal, 100 days old');
    const publicOne = await send('public, 100 days old', { label: 'public' });
    const elsewhere = (await alice.client.endpoint('sendMessage')({ params: { roomId: other.id }, body: { text: 'other room, 100 days old' } })).message;
    await age(server(), [plain.id, publicOne.id, elsewhere.id], 100);
    const set = officer.client.endpoint('setRetention');
    await set({ body: { scope: 'room', targetId: room.id, deleteAfterDays: 30, keepAtLeastDays: null } });
    await set({ body: { scope: 'room', targetId: other.id, deleteAfterDays: 30, keepAtLeastDays: 365 } });
    await set({ body: { scope: 'label', targetId: 'public', deleteAfterDays: 400, keepAtLeastDays: null } });
    try {
      const run = await officer.client.endpoint('runPurge')();
      assert.deepEqual(run.rooms, [{ roomId: room.id, messages: 1, files: 0 }]);
      assert.deepEqual(await stored(server(), room.id), [publicOne.id], 'the public message keeps the label’s 400 days');
      assert.deepEqual(await stored(server(), other.id), [elsewhere.id], 'the room’s one-year minimum beats its 30 days');
      await age(server(), [elsewhere.id, publicOne.id], 401);
      await officer.client.endpoint('runPurge')();
      assert.deepEqual([await stored(server(), room.id), await stored(server(), other.id)], [[], []]);
    } finally {
      await officer.client.endpoint('removeRetention')({ body: { scope: 'label', targetId: 'public' } });
    }
  });

  test("an author's delete hides a message while a minimum applies; the purge erases it once the minimum has passed", async () => {
    const { officer, alice, room, send } = await setUp();
    const message = await send('regret this');
    await alice.client.endpoint('deleteMessage')({ params: { messageId: message.id } });
    await officer.client.endpoint('runPurge')();
    assert.deepEqual(await stored(server(), room.id), [message.id], 'without a policy nothing is erased');
    await officer.client.endpoint('setRetention')({ body: { scope: 'room', targetId: room.id, deleteAfterDays: null, keepAtLeastDays: 7 } });
    await officer.client.endpoint('runPurge')();
    assert.deepEqual(await stored(server(), room.id), [message.id], 'kept within the seven-day minimum');
    await age(server(), [message.id], 8);
    const run = await officer.client.endpoint('runPurge')();
    assert.equal(run.messages, 1);
    assert.deepEqual(await stored(server(), room.id), []);
  });

  test('the purge erases exactly the expired messages with their versions, reactions, mentions, files, fingerprints and search words, tells members and audits counts only', async () => {
    const { officer, alice, bob, room, send } = await setUp();
    const elsewhere = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const only = await upload(alice.client, room.id, 'quarterly zebra figures', 'figures.txt');
    const shared = await upload(alice.client, room.id, 'shared zebra notes', 'notes.txt');
    const expired = await send(`zebra plans @${bob.user.username}`, { fileIds: [only.id] });
    await alice.client.endpoint('editMessage')({ params: { messageId: expired.id }, body: { text: `zebra plans, revised @${bob.user.username}` } });
    await bob.client.endpoint('addReaction')({ params: { messageId: expired.id, emoji: '👍' } });
    const forwarded = await send('zebra notes', { fileIds: [shared.id] });
    await alice.client.endpoint('forwardMessage')({ params: { messageId: forwarded.id }, body: { roomId: elsewhere.id } });
    const young = await send('zebra, still young');
    await age(server(), [expired.id, forwarded.id], 31);
    const db = server().running.database.db;
    const storageKey = async (id: string) => (await db.selectFrom('files').select('storage_key').where('id', '=', id).executeTakeFirstOrThrow()).storage_key;
    const [onlyKey, sharedKey] = [await storageKey(only.id), await storageKey(shared.id)];
    const live = await openStream(bob.client);

    await officer.client.endpoint('setRetention')({ body: { scope: 'room', targetId: room.id, deleteAfterDays: 30, keepAtLeastDays: null } });
    const run = await officer.client.endpoint('runPurge')();
    assert.deepEqual(run, { finished: true, messages: 2, files: 1, keptByHolds: 0, rooms: [{ roomId: room.id, messages: 2, files: 1 }] });
    assert.deepEqual(await stored(server(), room.id), [young.id]);
    assert.equal((await stored(server(), elsewhere.id)).length, 1, 'the forward in another room stays');
    for (const table of ['message_versions', 'reactions', 'mentions', 'message_files'] as const) {
      assert.equal((await db.selectFrom(table).select('message_id').where('message_id', 'in', [expired.id, forwarded.id]).execute()).length, 0, `${table} erased`);
    }
    assert.equal((await db.selectFrom('fingerprints').select('item_id').where('item_id', 'in', [expired.id, forwarded.id, only.id]).execute()).length, 0, 'fingerprints erased');
    assert.deepEqual((await db.selectFrom('files').select('id').where('id', 'in', [only.id, shared.id]).execute()).map((r) => r.id), [shared.id], 'a file a forward still carries stays');
    assert.equal((await db.selectFrom('data_keys').select('owner').where('owner', '=', `file:${only.id}`).execute()).length, 0, "the erased file's key is destroyed");
    assert.equal(storedFiles(server()).some((file) => file.includes(onlyKey)), false, 'its bytes are gone');
    assert.equal(storedFiles(server()).some((file) => file.includes(sharedKey)), true);
    const found = await bob.client.endpoint('search')({ query: { q: 'zebra', roomId: room.id } });
    assert.deepEqual(found.results.map((r) => r.message.id), [young.id], 'search finds nothing purged');

    await live.waitFor((events) => events.some((e) => e.type === 'messages.purged' && e.roomId === room.id && e.messageIds.length === 2), 'messages.purged');
    live.close();
    const { messages } = await bob.client.endpoint('listMessages')({ params: { roomId: room.id } });
    assert.deepEqual(messages.map((m) => m.id), [young.id]);

    const entries = await db.selectFrom('audit_log').select(['actor_id', 'data']).where('action', '=', 'retention.purged').orderBy('seq', 'desc').limit(1).execute();
    const data = JSON.parse(entries[0]!.data) as Record<string, unknown>;
    assert.deepEqual(data, { finished: true, messages: 2, files: 1, keptByHolds: 0, rooms: [{ roomId: room.id, messages: 2, files: 1 }] });
    assert.equal(entries[0]!.actor_id, officer.user.id);
    assert.doesNotMatch(entries[0]!.data, /zebra|figures/);
    assert.equal((await verifyAuditLog(db)).ok, true);
  });
});
