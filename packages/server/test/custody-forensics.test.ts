import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { buildRoom, buildUser, createApprovedDlpRule, exportAsOfficer, sendConfirmed } from '@enclave/testkit';
import pg from 'pg';
import { loadMasterKeys } from '../src/keys/master-key';
import { rejectsWith } from './expect-error';
import { makeDocx, makePdf } from './file-fixtures';
import { describeEachBackend, type TestServer } from './harness';
import { upload } from './upload-helpers';

const run = promisify(execFile);

/**
 * The auditor's measurement from issue 14, as a test: unique markers in every place conversation content lands,
 * then a raw byte search of everything the installation keeps on disk (SQLite: the data directory, WAL included;
 * PostgreSQL: a pg_dump, and the cluster's heap files and WAL when this machine can read them). After the room's
 * deletion, its data key must be gone: no key that remains is the one its ciphertext was sealed with.
 */
describeEachBackend('custody: no content in plain bytes at rest, none readable after deletion', (server) => {
  test('markers in every place content lands are in no file, before or after the room is deleted', async (t) => {
    const since = Date.now();
    const tag = randomBytes(5).toString('hex');
    const marker = (place: string) => `zq${place}${tag}`;
    // A Chinese marker of Chinese characters only, unique to this run: each hex digit of the tag names one.
    const chinese = `会议${[...tag].map((digit) => String.fromCodePoint(0x4e2d + Number.parseInt(digit, 16))).join('')}方案`;
    const markers = [
      'roomname', 'topic', 'before', 'after', 'reply', 'deleted', 'recalled', 'filename', 'pdftext', 'docxtext', 'textfile',
      'carrier', 'held', 'forwarded', 'reason', 'secondedit',
    ].map(marker);
    markers.push(chinese);

    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const admin = server().admin.client;
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user], name: marker('roomname') });
    const elsewhere = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { topic: marker('topic') } });

    const send = (text: string, extra: { threadRootId?: string; fileIds?: string[] } = {}) => sendConfirmed(alice.client, room.id, { text, ...extra });
    const edited = await send(`draft ${marker('before')}`);
    await alice.client.endpoint('editMessage')({ params: { messageId: edited.id }, body: { text: `final ${marker('after')}` } });
    await alice.client.endpoint('editMessage')({ params: { messageId: edited.id }, body: { text: `final ${marker('secondedit')}` } });
    await send(`reply ${marker('reply')}`, { threadRootId: edited.id });
    await send(`中文 ${chinese}`);
    const deleted = await send(`oops ${marker('deleted')}`);
    await alice.client.endpoint('deleteMessage')({ params: { messageId: deleted.id } });
    const recalled = await send(`wrong group ${marker('recalled')}`);
    await alice.client.endpoint('recallMessage')({ params: { messageId: recalled.id }, body: {} });
    const pdf = await upload(alice.client, room.id, await makePdf(`tender ${marker('pdftext')}`), `${marker('filename')}.pdf`);
    const docx = await upload(alice.client, room.id, makeDocx([`minutes ${marker('docxtext')}`]), 'minutes.docx');
    const text = await upload(alice.client, room.id, `notes ${marker('textfile')}`, 'notes.txt');
    await send(`the papers ${marker('carrier')}`, { fileIds: [pdf.id, docx.id, text.id] });
    const forwarded = await send(`pass it on ${marker('forwarded')}`);
    await alice.client.endpoint('forwardMessage')({ params: { messageId: forwarded.id }, body: { roomId: elsewhere.id } });
    const word = `tender${tag}`;
    const officer = await buildUser(server(), { role: 'compliance' });
    await createApprovedDlpRule(admin, officer.client, { name: 'Tender talk', detector: { kind: 'keywords', words: [word] }, scope: { roomIds: [room.id] }, action: 'review' });
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `${word} ${marker('held')}` } }), 'DLP_HELD_FOR_REVIEW');

    // Everything people see is still there for them, so what follows is not a scan of an empty installation.
    const history = (await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages.map((message) => message.text);
    assert.ok(history.includes(`final ${marker('secondedit')}`) && history.some((line) => line.includes(chinese)), 'members read the texts');
    assert.equal((await bob.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.name, marker('roomname'));

    await assertNoMarkers(t, server(), markers, since, 'while the server runs');

    const roomKeyBefore = await unwrappedKeys(server(), (owner) => owner === `room:${room.id}`);
    assert.equal(roomKeyBefore.length, 1, 'the room has a data key while it exists');
    await admin.endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: `closed ${marker('reason')}` } });
    await assertNoMarkers(t, server(), markers, since, 'after the freeze');
    await exportAsOfficer(server(), room.id);
    const { certificate } = await admin.endpoint('deleteRoom')({ params: { roomId: room.id } });
    assert.equal(certificate.roomId, room.id);

    await assertNoMarkers(t, server(), markers, since, 'after the deletion');
    const remaining = await unwrappedKeys(server(), () => true);
    assert.ok(remaining.length > 0, 'other data keys remain');
    assert.ok(!remaining.some((key) => key.owner === `room:${room.id}`), 'the room key row is gone');
    assert.ok(!remaining.some((key) => key.secret.equals(roomKeyBefore[0]!.secret)), 'no remaining key is the room key');

    await server().restart();
    await assertNoMarkers(t, server(), markers, since, 'after a restart');
  });
});

/** Every data key stored now, unwrapped with the installation's master key, for the owners `wanted` picks. */
async function unwrappedKeys(server: TestServer, wanted: (owner: string) => boolean): Promise<{ owner: string; secret: Buffer }[]> {
  const masters = loadMasterKeys({ dataDir: server.storageConfig.dataDir }, { createIfMissing: false });
  assert.ok(masters, 'the master key file exists');
  const rows = await server.running.database.db.selectFrom('data_keys').selectAll().execute();
  const keys: { owner: string; secret: Buffer }[] = [];
  for (const row of rows.filter((r) => wanted(r.owner))) {
    const master = masters.byId(row.master_key_id);
    assert.ok(master, `the master key that wrapped ${row.owner} is known`);
    keys.push({ owner: row.owner, secret: await master.unwrap(row.wrapped, row.owner) });
  }
  return keys;
}

async function assertNoMarkers(t: TestContext, server: TestServer, markers: string[], since: number, when: string): Promise<void> {
  const needles = markers.map((text) => ({ text, bytes: Buffer.from(text, 'utf8') }));
  const found: string[] = [];
  const search = (where: string, bytes: Buffer) => {
    for (const needle of needles) if (bytes.includes(needle.bytes)) found.push(`${needle.text} in ${where}`);
  };
  let scanned = 0;
  for (const file of filesUnder(server.storageConfig.dataDir)) {
    search(path.relative(server.storageConfig.dataDir, file), readFileSync(file));
    scanned += 1;
  }
  if (server.backend === 'postgres') {
    const url = server.storageConfig.databaseUrl!;
    const dump = await run('pg_dump', ['--no-owner', url], { maxBuffer: 512 * 1024 * 1024, encoding: 'buffer' });
    search('pg_dump', dump.stdout);
    scanned += 1;
    scanned += await scanPostgresFiles(t, url, since, search);
  }
  assert.ok(scanned > 0, 'something was scanned');
  assert.deepEqual(found, [], `plain content ${when}`);
}

/**
 * The cluster's files for this database (after a checkpoint puts every page on disk) and the WAL written since the
 * test began, when this process may read them (the CI machine runs PostgreSQL locally as root can read it).
 */
async function scanPostgresFiles(t: TestContext, url: string, since: number, search: (where: string, bytes: Buffer) => void): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let dataDir: string;
  let databaseDir: string;
  try {
    await client.query('CHECKPOINT');
    dataDir = (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
    const oid = (await client.query<{ oid: number }>('SELECT oid FROM pg_database WHERE datname = current_database()')).rows[0]!.oid;
    databaseDir = path.join(dataDir, 'base', String(oid));
  } finally {
    await client.end();
  }
  try {
    readdirSync(databaseDir);
  } catch {
    t.diagnostic(`PostgreSQL's files at ${dataDir} are not readable here: only pg_dump was scanned`);
    return 0;
  }
  let scanned = 0;
  for (const file of filesUnder(databaseDir)) {
    search(`heap ${path.basename(file)}`, readFileSync(file));
    scanned += 1;
  }
  for (const file of filesUnder(path.join(dataDir, 'pg_wal'))) {
    if (statSync(file).mtimeMs < since - 1000) continue;
    search(`WAL ${path.basename(file)}`, readFileSync(file));
    scanned += 1;
  }
  return scanned;
}

function filesUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) found.push(full);
    }
  };
  walk(dir);
  return found;
}
