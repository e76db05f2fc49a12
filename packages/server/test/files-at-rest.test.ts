import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import type { FileInfo } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { buildRoomOfTwo } from '@enclave/testkit';
import { sql } from 'kysely';
import { PENDING_UPLOAD_LIFETIME_MS, sweepExpiredUploads } from '../src/files/file-housekeeping';
import { openFileText } from '../src/files/file-sealing.codec';
import { FileStore } from '../src/files/file-store';
import { fileUpgradeStep } from '../src/files/file-upgrade';
import { Keyring } from '../src/keys/keyring';
import { rejectsWith } from './expect-error';
import { iTXt, makeDocx, makePdf, makeZip, withPngChunks } from './file-fixtures';
import { describeEachBackend, type TestServer } from './harness';
import { filesDir, openRawUpload, pngImage, untilStored, upload } from './upload-helpers';

/** A word no file, name or test shares, so finding it anywhere means this upload's content was there. */
const marker = (what: string) => `zq${what}${randomBytes(6).toString('hex')}`;

/** Every file under the data directory (database, WAL, files, temp files), with its bytes. */
function dataFiles(server: TestServer): { file: string; bytes: Buffer }[] {
  const found: { file: string; bytes: Buffer }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) found.push({ file: full, bytes: readFileSync(full) });
    }
  };
  walk(server.storageConfig.dataDir);
  return found;
}

/** Where each needle is found in plain bytes under the data directory: nowhere, if content is sealed. */
function plainSightings(server: TestServer, needles: readonly (string | Buffer)[]): string[] {
  const files = dataFiles(server);
  return needles.flatMap((needle) => {
    const bytes = typeof needle === 'string' ? Buffer.from(needle, 'utf8') : needle;
    return files.filter(({ bytes: content }) => content.includes(bytes)).map(({ file }) => `${typeof needle === 'string' ? needle : needle.toString('hex').slice(0, 16)} in ${file}`);
  });
}

/** A distinctive run of a file's own bytes, from its middle. */
function chunkOf(bytes: Uint8Array): Buffer {
  const middle = Math.floor(bytes.length / 2);
  return Buffer.from(bytes.subarray(Math.max(0, middle - 16), middle + 16));
}

async function storedPath(server: TestServer, fileId: string, options: { thumbnail?: boolean } = {}): Promise<string> {
  const { storage_key: key } = await server.running.database.db.selectFrom('files').select('storage_key').where('id', '=', fileId).executeTakeFirstOrThrow();
  return path.join(filesDir(server), key.slice(0, 2), key.slice(2, 4), options.thumbnail ? `${key}.webp` : key);
}

function flipByte(file: string, at: number): void {
  const bytes = readFileSync(file);
  bytes[at] = bytes[at]! ^ 0xff;
  writeFileSync(file, bytes);
}

async function damagedAudits(server: TestServer, fileId: string): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`SELECT count(*) AS n FROM audit_log WHERE action = 'content.damaged' AND target_id = ${fileId}`.execute(server.running.database.db);
  return Number(rows[0]!.n);
}

async function fileKeyExists(server: TestServer, fileId: string): Promise<boolean> {
  const row = await server.running.database.db.selectFrom('data_keys').select('owner').where('owner', '=', `file:${fileId}`).executeTakeFirst();
  return row !== undefined;
}

function download(client: EnclaveClient, fileId: string): Promise<Uint8Array> {
  return client.endpoint('fileContent')({ params: { fileId }, query: { disposition: 'attachment' } });
}

/** Five kinds of upload, each with markers in its name and its content, and the original bytes. */
async function markedUploads() {
  const m = { image: marker('img'), pdf: marker('pdf'), docx: marker('docx'), text: marker('txt'), zip: marker('zip'), names: [] as string[] };
  const files = [
    { name: `photo ${marker('name')}.png`, bytes: withPngChunks(await pngImage(64, 48), [['iTXt', iTXt('Description', `caption ${m.image}`)]]), mime: 'image/png' },
    { name: `report ${marker('name')}.pdf`, bytes: await makePdf(`Quarterly ${m.pdf} figures`), mime: 'application/pdf' },
    { name: `memo ${marker('name')}.docx`, bytes: makeDocx([`Draft ${m.docx} plan`]), mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' },
    { name: `notes ${marker('name')}.txt`, bytes: Buffer.from(`minutes ${m.text}\n`.repeat(20)), mime: 'text/plain' },
    { name: `bundle ${marker('name')}.zip`, bytes: makeZip({ [`inner-${m.zip}.txt`]: `inside ${m.zip}` }), mime: 'application/zip' },
  ];
  m.names = files.map((file) => file.name);
  return { m, files };
}

describeEachBackend('files at rest', (server) => {
  test('no name, text or byte of an upload is in plain sight under the data directory or in the files rows, and every way of reading it still works', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const { m, files } = await markedUploads();
    const uploaded: FileInfo[] = [];
    for (const file of files) uploaded.push(await upload(alice.client, room.id, file.bytes, file.name));
    assert.deepEqual(
      uploaded.map((file) => [file.name, file.mime]),
      files.map((file) => [file.name, file.mime]),
    );
    // The scanner finds what it looks for: each needle is in the original it was taken from.
    assert.ok(Buffer.from(files[3]!.bytes).includes(m.text) && Buffer.from(files[4]!.bytes).includes(`inner-${m.zip}`));
    const needles = [m.image, m.pdf, m.docx, m.text, `inner-${m.zip}`, ...m.names, ...files.map((file) => chunkOf(file.bytes))];
    // Uploads only, before any message carries them (a message's words go to the search index, which is not files').
    assert.deepEqual(plainSightings(server(), needles), []);
    const rows = await server().running.database.db.selectFrom('files').select(['name', 'extracted_text', 'sealed']).where('id', 'in', uploaded.map((file) => file.id)).execute();
    // Extraction read each file from its sealed bytes.
    const { keys } = server().running.services;
    const texts = await server().running.database.db.selectFrom('files').select(['id', 'extracted_text', 'sealed']).where('id', 'in', uploaded.map((file) => file.id)).execute();
    const textOf = new Map(texts.map((row) => [row.id, openFileText(keys, row)]));
    assert.deepEqual(
      [m.image, m.pdf, m.docx, m.text, m.zip].map((word, index) => textOf.get(uploaded[index]!.id)!.includes(word)),
      [true, true, true, true, true],
      JSON.stringify([...textOf.values()]),
    );
    for (const row of rows) {
      assert.equal(Number(row.sealed), 1);
      for (const needle of [m.image, m.pdf, m.docx, m.text, m.zip, ...m.names]) assert.ok(!row.name.includes(needle) && !row.extracted_text.includes(needle), needle);
    }

    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'the quarter', fileIds: uploaded.map((file) => file.id) } });
    assert.deepEqual(
      message.files.map((file) => file.name),
      m.names,
    );
    for (const [index, file] of uploaded.entries()) assert.deepEqual(Buffer.from(await download(bob.client, file.id)), Buffer.from(files[index]!.bytes));
    const thumbnail = await bob.client.endpoint('fileThumbnail')({ params: { fileId: uploaded[0]!.id } });
    assert.ok(thumbnail.byteLength > 0);
    assert.ok((await bob.client.endpoint('filePreview')({ params: { fileId: uploaded[0]!.id } })).byteLength > 0);
    assert.ok((await bob.client.endpoint('filePage')({ params: { fileId: uploaded[1]!.id, page: 1 } })).byteLength > 0);
    // The rendered views kept on disk are sealed too.
    assert.deepEqual(plainSightings(server(), [...m.names, chunkOf(files[0]!.bytes), chunkOf(files[1]!.bytes)]), []);
    // Extracted text still finds the message, in every format.
    for (const word of [m.image, m.pdf, m.docx, m.text, m.zip]) {
      const { results } = await bob.client.endpoint('search')({ query: { q: word } });
      assert.deepEqual(
        results.map((result) => result.message.id),
        [message.id],
        word,
      );
    }
  });

  test('DLP reads a sealed file: a block rule on a word inside a DOCX refuses its send', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const word = marker('deal');
    await server().admin.client.endpoint('createDlpRule')({ body: { name: `deal ${word}`, detector: { kind: 'keywords', words: [word] }, scope: { roomIds: [room.id] }, action: 'block' } });
    const file = await upload(alice.client, room.id, makeDocx([`Terms of ${word}`]), 'terms.docx');
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'terms', fileIds: [file.id] } }), 'DLP_BLOCKED', 403);
  });

  test('an upload is sealed while it is still arriving: its temp file holds no plain byte', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const word = marker('slow');
    const line = `line of the slow upload ${word}\n`;
    const content = Buffer.from(line.repeat(Math.ceil((300 * 1024) / line.length)));
    const head = Buffer.from(`--enclave-test-boundary\r\nContent-Disposition: form-data; name="file"; filename="slow.txt"\r\n\r\n`, 'latin1');
    const tail = Buffer.from('\r\n--enclave-test-boundary--\r\n');
    const request = openRawUpload(server(), alice.client, room.id, { contentLength: head.length + content.length + tail.length });
    const answered = new Promise<number>((resolve, reject) => {
      request.on('error', reject);
      request.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
    });
    // Two thirds of the file, then a pause: the server has written (sealed) segments to tmp/ and waits for more.
    const part = Math.floor((content.length * 2) / 3);
    request.write(Buffer.concat([head, content.subarray(0, part)]));
    const tmp = path.join(filesDir(server()), 'tmp');
    await untilStored(server(), (names) => names.some((name) => name.startsWith('tmp/') && statSync(path.join(tmp, path.basename(name))).size > 128 * 1024), 'the upload reached the disk');
    assert.deepEqual(plainSightings(server(), [word, chunkOf(content.subarray(0, part))]), []);
    request.end(Buffer.concat([content.subarray(part), tail]));
    assert.equal(await answered, 201);
    assert.deepEqual(plainSightings(server(), [word]), []);
  });

  test('a changed byte or swapped files answer CONTENT_DAMAGED, audited once per file, and other files still open', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const image = await upload(alice.client, room.id, await pngImage(80, 60), 'a.png');
    const first = await upload(alice.client, room.id, 'first file', 'first.txt');
    const second = await upload(alice.client, room.id, 'second file', 'second.txt');
    const large = await upload(alice.client, room.id, Buffer.from('x'.repeat(300 * 1024)), 'large.txt');
    const fine = await upload(alice.client, room.id, 'still fine', 'fine.txt');
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'files', fileIds: [image.id, first.id, second.id, large.id, fine.id] } });

    flipByte(await storedPath(server(), image.id), 40);
    await rejectsWith(download(bob.client, image.id), 'CONTENT_DAMAGED', 500);
    await rejectsWith(download(alice.client, image.id), 'CONTENT_DAMAGED', 500);
    await rejectsWith(bob.client.endpoint('filePreview')({ params: { fileId: image.id } }), 'CONTENT_DAMAGED', 500);
    assert.equal(await damagedAudits(server(), image.id), 1);
    // Its thumbnail is a file of its own, intact, until it is damaged too.
    assert.ok((await bob.client.endpoint('fileThumbnail')({ params: { fileId: image.id } })).byteLength > 0);
    flipByte(await storedPath(server(), image.id, { thumbnail: true }), 60);
    await rejectsWith(bob.client.endpoint('fileThumbnail')({ params: { fileId: image.id } }), 'CONTENT_DAMAGED', 500);

    const [firstPath, secondPath] = [await storedPath(server(), first.id), await storedPath(server(), second.id)];
    const [firstBytes, secondBytes] = [readFileSync(firstPath), readFileSync(secondPath)];
    writeFileSync(firstPath, secondBytes);
    writeFileSync(secondPath, firstBytes);
    await rejectsWith(download(bob.client, first.id), 'CONTENT_DAMAGED', 500);
    await rejectsWith(download(bob.client, second.id), 'CONTENT_DAMAGED', 500);

    // Damage past the first segment is found while the answer is on its way: it ends as an error, not a short file.
    flipByte(await storedPath(server(), large.id), 200 * 1024);
    await assert.rejects(download(bob.client, large.id));
    await untilAudited(server(), large.id);

    assert.deepEqual(Buffer.from(await download(bob.client, fine.id)).toString(), 'still fine');
    const { messages } = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
    assert.equal(messages[0]!.files.length, 5);
  });

  test('a sealed name that does not open leaves the file listed as unreadable, and its content refused', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const damaged = await upload(alice.client, room.id, 'some text', 'named.txt');
    const fine = await upload(alice.client, room.id, 'other text', 'other.txt');
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'two', fileIds: [damaged.id, fine.id] } });
    const db = server().running.database.db;
    // The other file's sealed name, copied into this row: sealed for another file, it does not open here.
    const { name } = await db.selectFrom('files').select('name').where('id', '=', fine.id).executeTakeFirstOrThrow();
    await db.updateTable('files').set({ name }).where('id', '=', damaged.id).execute();
    const { messages } = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
    const [listed, other] = messages[0]!.files;
    assert.equal(listed!.unreadable, true);
    assert.equal(other!.name, 'other.txt');
    await rejectsWith(download(bob.client, damaged.id), 'CONTENT_DAMAGED', 500);
  });

  test('an abandoned upload is swept with its data key, and so is the key of an upload that never got a row', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const file = await upload(alice.client, room.id, 'forgotten', 'forgotten.txt');
    assert.ok(await fileKeyExists(server(), file.id));
    const { keys } = server().running.services;
    const orphan = `00000000-0000-4000-8000-${randomBytes(6).toString('hex')}`;
    await keys.keyFor(server().running.database.db, `file:${orphan}`);
    const store = new FileStore(filesDir(server()));
    await sweepExpiredUploads(server().running.database.db, store, keys, Date.now() + PENDING_UPLOAD_LIFETIME_MS + 60_000);
    assert.equal(await fileKeyExists(server(), file.id), false);
    assert.equal(await fileKeyExists(server(), orphan), false);
    await rejectsWith(alice.client.endpoint('getFile')({ params: { fileId: file.id } }), 'FILE_NOT_FOUND');
  });

  test('a refused upload leaves no data key behind', async () => {
    const { room, alice } = await buildRoomOfTwo(server());
    const before = await server().running.database.db.selectFrom('data_keys').select('owner').where('owner', 'like', 'file:%').execute();
    await rejectsWith(upload(alice.client, room.id, '', 'empty.txt'), 'FILE_EMPTY', 400);
    const after = await server().running.database.db.selectFrom('data_keys').select('owner').where('owner', 'like', 'file:%').execute();
    assert.deepEqual(after, before);
  });
});

describeEachBackend(
  'files at rest: sealing an installation stored plain',
  (server) => {
    test('the upgrade step seals plain files in place, resumably, and they read as before', async () => {
      const { alice, bob, room } = await buildRoomOfTwo(server());
      const word = marker('old');
      const image = await upload(alice.client, room.id, withPngChunks(await pngImage(64, 48), [['iTXt', iTXt('Description', word)]]), `old ${word}.png`);
      const text = await upload(alice.client, room.id, `old text ${word}`, `old ${word}.txt`);
      await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'old files', fileIds: [image.id, text.id] } });
      await bob.client.endpoint('filePreview')({ params: { fileId: image.id } });
      // Stored with encryption off, as before encryption existed: the content is in plain sight.
      assert.ok(plainSightings(server(), [word]).length > 0);

      const db = server().running.database.db;
      const keys = await Keyring.open(db, server().running.services.keys.masterKeys, { encrypting: true });
      const step = fileUpgradeStep(new FileStore(filesDir(server())));
      const remaining = await step.remaining(db);
      assert.ok(remaining >= 2);
      // One at a time, as a run cut short by a crash would leave it, then the rest.
      assert.equal(await step.sealBatch(db, keys, 1), 1);
      assert.equal(await step.remaining(db), remaining - 1);
      while ((await step.sealBatch(db, keys, 10)) > 0);
      assert.equal(await step.remaining(db), 0);
      assert.equal(await step.sealBatch(db, keys, 10), 0);

      const names = await db.selectFrom('files').select('name').where('id', 'in', [image.id, text.id]).execute();
      assert.ok(names.every((row) => !row.name.includes(word)));
      // The files directory holds none of it now (the database's search words are the search index's to seal).
      const inFiles = plainSightings(server(), [word]).filter((sighting) => sighting.includes(`${path.sep}files${path.sep}`));
      assert.deepEqual(inFiles, []);

      // A node that has the keys reads them as before.
      await server().restart();
      assert.equal(Buffer.from(await download(bob.client, text.id)).toString(), `old text ${word}`);
      const { file } = await bob.client.endpoint('getFile')({ params: { fileId: image.id } });
      assert.equal(file.name, `old ${word}.png`);
      assert.ok((await bob.client.endpoint('fileThumbnail')({ params: { fileId: image.id } })).byteLength > 0);
    });
  },
  { encryption: 'off' },
);

async function untilAudited(server: TestServer, fileId: string): Promise<void> {
  for (let attempt = 0; attempt < 250; attempt++) {
    if ((await damagedAudits(server, fileId)) === 1) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail('the damage found mid-stream was not audited');
}
