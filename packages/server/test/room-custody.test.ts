import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { sql, type RawBuilder } from 'kysely';
import { buildRoom, buildUser, createApprovedDlpRule, exportAsOfficer } from '@enclave/testkit';
import { openAuditData } from '../src/audit/audit.service';
import { verifyAuditLog } from '../src/index';
import { openText } from '../src/keys/sealed';
import { roomTextAad } from '../src/rooms/room-text.codec';
import { roomEventsUpgrade, roomTextUpgrade } from '../src/rooms/room-upgrade';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream } from './harness';
import { upload } from './upload-helpers';

/** A word found nowhere else, so a raw scan that finds it found this test's text. */
const marker = (what: string) => `${what}${randomBytes(6).toString('hex')}`;

describeEachBackend('room custody', (server) => {
  const admin = () => server().admin.client;
  const db = () => server().running.database.db;
  /** Rows as an auditor reading the database sees them. */
  const raw = async <T>(query: RawBuilder<T>): Promise<T[]> => (await query.execute(db())).rows;
  const count = async (query: RawBuilder<unknown>): Promise<number> => Number((await raw(query as RawBuilder<{ n: number | string }>))[0]?.n);

  test('a room’s name, topic and freeze reason are sealed in rooms, events and the audit log, and rooms are still found by name', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const [name, topic, reason] = [marker('Name'), marker('Topic'), marker('Reason')];
    const room = await buildRoom(server(), { owner: alice.client, kind: 'channel', name: `Tender ${name}`, members: [bob.user] });
    await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { topic: `About ${topic}` } });
    const frozen = await admin().endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: `Closed: ${reason}` } });
    assert.deepEqual([frozen.room.name, frozen.room.topic, frozen.room.frozen?.reason], [`Tender ${name}`, `About ${topic}`, `Closed: ${reason}`]);

    const [stored] = await raw<{ name: string; topic: string; frozen_reason: string }>(sql`select name, topic, frozen_reason from rooms where id = ${room.id}`);
    for (const value of [stored?.name, stored?.topic, stored?.frozen_reason]) assert.ok(value?.startsWith('\u0001e1.'), `stored sealed, not ${value}`);
    const rawTables = ['rooms', 'events', 'audit_log'] as const;
    for (const table of rawTables) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(db());
      const raw = JSON.stringify(rows.rows);
      for (const word of [name, topic, reason]) assert.ok(!raw.includes(word), `${table} holds no plain ${word}`);
    }

    // Everything that showed the name still does, opened.
    assert.equal((await bob.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.topic, `About ${topic}`);
    assert.ok((await bob.client.endpoint('listRooms')({})).rooms.some((r) => r.id === room.id && r.name === `Tender ${name}`));
    const found = await admin().endpoint('adminListRooms')({ query: { q: name.toLowerCase() } });
    assert.deepEqual(found.rooms.map((r) => [r.id, r.name, r.frozen?.reason]), [[room.id, `Tender ${name}`, `Closed: ${reason}`]]);
    await rejectsWith(bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'still open?' } }), 'ROOM_FROZEN', 423);
    // A stream resuming from before the room existed replays its events with the room as it is now.
    const replay = await openStream(bob.client, { after: 0 });
    await replay.waitFor((events) => events.some((e) => e.type === 'room.updated' && e.room.id === room.id && e.room.name === `Tender ${name}` && e.room.topic === `About ${topic}`), 'the replayed room');
    replay.close();

    // The officer reads the audit entries opened; the chain verifies over the sealed form.
    const { entries, chainIntact } = await officer.client.endpoint('listAudit')({ query: { limit: 50 } });
    assert.equal(chainIntact, true);
    const about = entries.filter((entry) => entry.target?.id === room.id);
    assert.equal(about.find((entry) => entry.action === 'room.updated')?.data.topic, `About ${topic}`);
    assert.equal(about.find((entry) => entry.action === 'room.frozen')?.data.reason, `Closed: ${reason}`);
    assert.equal((await verifyAuditLog(db())).ok, true);
  });

  test('a sealed name moved into another room, or changed, opens as nothing there while everything else works', async () => {
    const alice = await buildUser(server());
    const [first, second] = await Promise.all([buildRoom(server(), { owner: alice.client, name: marker('First') }), buildRoom(server(), { owner: alice.client, name: marker('Second') })]);
    await sql`update rooms set name = (select name from rooms where id = ${first.id}) where id = ${second.id}`.execute(db());
    const moved = await alice.client.endpoint('getRoom')({ params: { roomId: second.id } });
    assert.equal(moved.room.name, null, 'the ciphertext names its room, so it does not open in another');
    assert.equal((await alice.client.endpoint('getRoom')({ params: { roomId: first.id } })).room.name, first.name);
    await alice.client.endpoint('sendMessage')({ params: { roomId: second.id }, body: { text: 'the room still works' } });
  });

  test('the upgrade seals names, topics and reasons stored plain and strips whole rooms from logged events, resumably', async () => {
    const alice = await buildUser(server());
    const [name, topic] = [marker('OldName'), marker('OldTopic')];
    const room = await buildRoom(server(), { owner: alice.client, kind: 'channel', name: 'placeholder' });
    // As an installation from before encryption stored them: plain, and the whole room in the event.
    await sql`update rooms set name = ${name}, topic = ${topic} where id = ${room.id}`.execute(db());
    const [event] = await raw<{ position: number; payload: string }>(sql`select position, payload from events where room_id = ${room.id} and type = 'room.member_added'`);
    assert.ok(event);
    const whole = { ...(JSON.parse(event.payload) as object), room: { ...room, name, topic } };
    await sql`update events set payload = ${JSON.stringify(whole)} where position = ${event.position}`.execute(db());
    // This installation finished its upgrade when it started, so a plain name now is one written behind the
    // server's back: it is not shown (keys.acceptsPlain). The steps still seal it, as `enclave keys encrypt` would.
    assert.equal((await alice.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.name, null, 'a plain name after the upgrade is not read');

    const { keys } = server().running.services;
    assert.ok((await roomTextUpgrade.remaining(db())) >= 1);
    assert.ok((await roomEventsUpgrade.remaining(db())) >= 1);
    while ((await roomTextUpgrade.sealBatch(db(), keys, 1)) > 0);
    while ((await roomEventsUpgrade.sealBatch(db(), keys, 1)) > 0);
    assert.equal(await roomTextUpgrade.remaining(db()), 0);
    assert.equal(await roomEventsUpgrade.remaining(db()), 0);
    assert.equal(await roomTextUpgrade.sealBatch(db(), keys, 10), 0, 'a second run finds nothing to do');

    const [stored] = await raw<{ name: string; topic: string }>(sql`select name, topic from rooms where id = ${room.id}`);
    assert.ok(stored?.name.startsWith('\u0001e1.') && stored.topic.startsWith('\u0001e1.'));
    const [rewritten] = await raw<{ payload: string }>(sql`select payload from events where position = ${event.position}`);
    assert.ok(rewritten && !rewritten.payload.includes(name) && !rewritten.payload.includes(topic));
    const opened = (await alice.client.endpoint('getRoom')({ params: { roomId: room.id } })).room;
    assert.deepEqual([opened.name, opened.topic], [name, topic]);
  });

  test('deleting a frozen room erases its held items, versions, files and search rows and destroys its key', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const name = marker('Doomed');
    const word = marker('tender');
    const officer = await buildUser(server(), { role: 'compliance' });
    const room = await buildRoom(server(), { owner: alice.client, name: `Room ${name}`, members: [bob.user] });
    await createApprovedDlpRule(admin(), officer.client, { name: 'Tender talk', detector: { kind: 'keywords', words: [word] }, scope: { roomIds: [room.id] }, action: 'review' });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'first draft of the plan' } });
    await alice.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: 'second draft of the plan' } });
    const sent = await upload(alice.client, room.id, 'the plan itself', 'plan.txt');
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'attached', fileIds: [sent.id] } });
    const pending = await upload(bob.client, room.id, 'never sent', 'draft.txt');
    const heldFile = await upload(alice.client, room.id, 'bids 4.1m', 'bids.txt');
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `the ${word} price` } }), 'DLP_HELD_FOR_REVIEW', 409);
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `${word} bids`, fileIds: [heldFile.id] } }), 'DLP_HELD_FOR_REVIEW', 409);
    await admin().endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: marker('Reason') } });

    const fileIds = [sent.id, pending.id, heldFile.id];
    const [before] = await raw<{ name: string }>(sql`select name from rooms where id = ${room.id}`);
    const [wrappedKey] = await raw<{ wrapped: string }>(sql`select wrapped from data_keys where owner = ${`room:${room.id}`}`);
    assert.ok(before && wrappedKey);
    const positions = (await raw<{ position: number }>(sql`select position from messages where room_id = ${room.id}`)).map((row) => Number(row.position));
    assert.equal(await count(sql`select count(*) as n from held_messages where room_id = ${room.id}`), 2);
    assert.equal(await count(sql`select count(*) as n from message_versions where message_id = ${message.id}`), 1);

    await exportAsOfficer(server(), room.id);
    const { certificate } = await admin().endpoint('deleteRoom')({ params: { roomId: room.id } });
    assert.equal(certificate.roomName, `Room ${name}`);
    assert.equal(certificate.keyDestroyed, true);
    assert.equal(certificate.heldMessagesDeleted, 2);
    assert.equal(certificate.filesDeleted, 3);
    assert.ok(certificate.dataKeysDestroyed >= 1);

    assert.equal(await count(sql`select count(*) as n from held_messages where room_id = ${room.id}`), 0, 'held items went with the room');
    assert.equal(await count(sql`select count(*) as n from fingerprints where room_id = ${room.id}`), 0, 'fingerprints went with the room');
    assert.equal(await count(sql`select count(*) as n from message_versions where message_id = ${message.id}`), 0, 'versions went');
    assert.equal(await count(sql`select count(*) as n from files where id in (${sql.join(fileIds)})`), 0, 'sent, pending and held files went');
    const owners = [`room:${room.id}`, ...fileIds.map((id) => `file:${id}`)];
    assert.equal(await count(sql`select count(*) as n from data_keys where owner in (${sql.join(owners)})`), 0, 'the room key and its files’ keys are destroyed');
    const searchRows =
      server().backend === 'postgres'
        ? await count(sql`select count(*) as n from search_documents where position in (${sql.join(positions)})`)
        : await count(sql`select count(*) as n from search_fts where rowid in (${sql.join(positions)})`);
    assert.equal(searchRows, 0, 'search rows went');

    // What was captured before the deletion opens with no key that remains, nor with the master key itself.
    const aad = roomTextAad(room.id, 'name');
    const { masterKeys } = server().running.services.keys;
    for (const row of await raw<{ owner: string; wrapped: string; master_key_id: string }>(sql`select owner, wrapped, master_key_id from data_keys`)) {
      const key = await masterKeys.byId(row.master_key_id)!.unwrap(row.wrapped, row.owner);
      assert.throws(() => openText(key, aad, before.name), /does not open/, `the key of ${row.owner} does not open it`);
    }
    const keyFile = path.join(server().storageConfig.dataDir, 'master.key');
    if (existsSync(keyFile)) {
      for (const line of readFileSync(keyFile, 'utf8').split('\n').filter(Boolean)) assert.throws(() => openText(Buffer.from(line.trim(), 'base64'), aad, before.name), /does not open/);
    }

    if (server().backend === 'sqlite') {
      // secure_delete zeroes freed space in the file, and the checkpoint after the deletion empties the WAL.
      const file = path.join(server().storageConfig.dataDir, 'enclave.db');
      for (const candidate of [file, `${file}-wal`]) {
        if (!existsSync(candidate)) continue;
        const bytes = readFileSync(candidate);
        assert.equal(bytes.indexOf(before.name.slice(4)), -1, `${path.basename(candidate)} holds no sealed name of the room`);
        assert.equal(bytes.indexOf(wrappedKey.wrapped), -1, `${path.basename(candidate)} holds no wrapped key of the room`);
      }
    }
    // The certificate keeps the room's name, sealed: no table shows it, the officer reads it.
    for (const table of ['audit_log', 'events'] as const) {
      const rows = JSON.stringify(await raw(sql`select * from ${sql.table(table)}`));
      assert.ok(!rows.includes(name), `${table} shows no deleted room's name`);
    }
    assert.equal((await verifyAuditLog(db())).ok, true);
  });

  test('an audit entry whose sealed part was changed shows contentDamaged, not an error', async () => {
    const { keys } = server().running.services;
    const alice = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, name: marker('Audited') });
    await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { topic: 'a topic' } });
    const [entry] = await raw<{ seq: number; data: string }>(sql`select seq, data from audit_log where action = 'room.updated' and target_id = ${room.id}`);
    assert.ok(entry);
    assert.equal(openAuditData(keys, Number(entry.seq), entry.data).topic, 'a topic');
    const sealed = (JSON.parse(entry.data) as { sealed: string }).sealed;
    const flipped = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
    assert.deepEqual(openAuditData(keys, Number(entry.seq), JSON.stringify({ sealed: flipped })), { contentDamaged: true });
    assert.deepEqual(openAuditData(keys, Number(entry.seq) + 1, entry.data), { contentDamaged: true }, 'sealed for another entry');
  });
});
