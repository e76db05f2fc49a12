import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { test } from 'node:test';
import { DEFAULT_ALLOWED_FILE_TYPES, DEFAULT_FILE_POLICY, type FileMime, type FilePolicy } from '@enclave/protocol';
import { EnclaveApiError, type EnclaveClient } from '@enclave/sdk';
import sharp from 'sharp';
import { loadConfig } from '../src/config';
import { PENDING_UPLOAD_LIFETIME_MS, sweepExpiredUploads } from '../src/files/file-housekeeping';
import { FileStore } from '../src/files/file-store';
import { rejectsWith } from './expect-error';
import { makeDocx } from './file-fixtures';
import { describeEachBackend, messagesIn, openStream } from './harness';
import { buildRoom, buildRoomOfTwo, buildUser, sendConfirmed } from '@enclave/testkit';
import {
  filesDir,
  multipartBody,
  openRawUpload,
  pngImage,
  rawUpload,
  sidewaysJpeg,
  storageSnapshot,
  storedFiles,
  untilStored,
  upload,
} from './upload-helpers';

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);

describeEachBackend('files', (server) => {
  const admin = () => server().admin.client;

  async function withFilePolicy(policy: Partial<FilePolicy>, run: () => Promise<void>): Promise<void> {
    await admin().endpoint('updateAdminSettings')({ body: { files: { ...DEFAULT_FILE_POLICY, ...policy } } });
    try {
      await run();
    } finally {
      await admin().endpoint('updateAdminSettings')({ body: { files: DEFAULT_FILE_POLICY } });
    }
  }

  /** The answer of a raw request for a file's bytes, headers included. */
  async function fetchContent(client: EnclaveClient, fileId: string, disposition: 'inline' | 'attachment', headers: Record<string, string> = {}) {
    return fetchBytes(client, `/api/v1/files/${fileId}/content?disposition=${disposition}`, headers);
  }

  async function fetchBytes(client: EnclaveClient, path: string, headers: Record<string, string> = {}) {
    const response = await fetch(`${server().url}${path}`, { headers: { authorization: `Bearer ${client.currentToken}`, ...headers } });
    return { response, bytes: new Uint8Array(await response.arrayBuffer()) };
  }

  async function download(client: EnclaveClient, fileId: string, disposition: 'inline' | 'attachment' = 'attachment'): Promise<Uint8Array> {
    return client.endpoint('fileContent')({ params: { fileId }, query: { disposition } });
  }

  test('an upload waits for a message, which carries it into history, the stream and a byte-identical download', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const live = await openStream(bob.client);
    const content = `quarterly figures\n${randomBytes(8).toString('hex')}\n`;
    const file = await upload(alice.client, room.id, content, '季度报告 Q3.txt', { type: 'application/x-anything' });
    assert.deepEqual(
      [file.name, file.size, file.mime, file.label, file.uploaderId, file.roomId, file.hasThumbnail, file.width],
      ['季度报告 Q3.txt', Buffer.byteLength(content), 'text/plain', 'internal', alice.user.id, room.id, false, null],
    );
    // Only its uploader sees a pending upload.
    assert.deepEqual((await alice.client.endpoint('getFile')({ params: { fileId: file.id } })).file, file);
    await rejectsWith(bob.client.endpoint('getFile')({ params: { fileId: file.id } }), 'FILE_NOT_FOUND', 404);
    await rejectsWith(download(bob.client, file.id, 'inline'), 'FILE_NOT_FOUND', 404);

    const sent = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '', fileIds: [file.id] } });
    assert.deepEqual(sent.message.files, [file]);
    await live.waitFor((events) => messagesIn(events, room.id).length === 1, 'the message with its file');
    assert.deepEqual(messagesIn(live.events, room.id)[0]!.files, [file]);
    live.close();
    const { messages } = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
    assert.deepEqual(messages[0]!.files, [file]);
    assert.equal(Buffer.from(await download(bob.client, file.id)).toString(), content);

    const { response, bytes } = await fetchContent(bob.client, file.id, 'attachment');
    assert.equal(response.status, 200);
    assert.equal(Buffer.from(bytes).toString(), content);
    assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(response.headers.get('content-length'), String(Buffer.byteLength(content)));
    assert.equal(response.headers.get('content-disposition'), `attachment; filename="____ Q3.txt"; filename*=UTF-8''${encodeURIComponent('季度报告 Q3.txt')}`);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(response.headers.get('content-security-policy') ?? '', /^sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'/);
    assert.match(response.headers.get('cache-control') ?? '', /^private/);
    const inline = await fetchContent(bob.client, file.id, 'inline');
    assert.equal(inline.response.headers.get('content-disposition')?.startsWith('inline; '), true);
    assert.equal(Buffer.from(inline.bytes).toString(), content);

    const officer = await buildUser(server(), { role: 'compliance' });
    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'file.downloaded', limit: 10 } });
    const audited = entries.filter((entry) => entry.target?.id === file.id && entry.actorId === bob.user.id);
    assert.deepEqual(audited.map((entry) => entry.data.disposition).sort(), ['attachment', 'attachment', 'inline']);
    assert.ok(!JSON.stringify(entries).includes('quarterly figures'));
  });

  test('a message over the stream carries files too, and the same upload cannot be carried twice', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const first = await upload(alice.client, room.id, 'one', 'one.txt');
    const second = await upload(alice.client, room.id, 'two', 'two.md');
    const live = await openStream(alice.client);
    const sent = await live.stream.sendMessage({ roomId: room.id, text: 'both files', clientId: 'files-1', fileIds: [second.id, first.id] });
    assert.deepEqual(sent.files.map((file) => [file.id, file.mime]), [[second.id, 'text/markdown'], [first.id, 'text/plain']]);
    // A retry of the same send is answered with the stored message, files and all.
    const retried = await live.stream.sendMessage({ roomId: room.id, text: 'both files', clientId: 'files-1', fileIds: [second.id, first.id] });
    assert.deepEqual([retried.id, retried.files.length], [sent.id, 2]);
    live.close();
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'again', fileIds: [first.id] } }), 'FILE_NOT_ATTACHABLE', 409);

    // Someone else's upload, or an upload into another room, is not the sender's to attach.
    const bobs = await upload(bob.client, room.id, 'bob', 'bob.txt');
    const refused = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'x', fileIds: [bobs.id] } }), 'FILE_NOT_ATTACHABLE');
    assert.deepEqual(refused.data, { fileIds: [bobs.id] });
    const elsewhere = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const there = await upload(alice.client, elsewhere.id, 'there', 'there.txt');
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'x', fileIds: [there.id] } }), 'FILE_NOT_ATTACHABLE');
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'x', fileIds: ['no-such-file'] } }), 'FILE_NOT_ATTACHABLE');
    // A message needs text or a file.
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '  ' } }), 'VALIDATION_FAILED', 400);
  });

  test('images get a WebP thumbnail of at most 320 px, turned upright by their EXIF orientation', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const png = await pngImage(1000, 600);
    const image = await upload(alice.client, room.id, png, 'chart.png');
    assert.deepEqual([image.mime, image.width, image.height, image.hasThumbnail], ['image/png', 1000, 600, true]);
    const photo = await upload(alice.client, room.id, await sidewaysJpeg(400, 200), 'photo.jpg');
    assert.deepEqual([photo.mime, photo.width, photo.height], ['image/jpeg', 200, 400]);
    // A damaged image is kept, without a thumbnail.
    const damagedBytes = Buffer.concat([png.subarray(0, 40), randomBytes(200)]);
    const damaged = await upload(alice.client, room.id, damagedBytes, 'damaged.png');
    assert.deepEqual([damaged.mime, damaged.hasThumbnail, damaged.width], ['image/png', false, null]);
    const text = await upload(alice.client, room.id, 'words', 'words.txt');
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'pictures', fileIds: [image.id, photo.id, damaged.id, text.id] } });

    const thumbnail = await bob.client.endpoint('fileThumbnail')({ params: { fileId: image.id } });
    const described = await sharp(Buffer.from(thumbnail)).metadata();
    assert.deepEqual([described.format, described.width, described.height], ['webp', 320, 192]);
    const upright = await sharp(Buffer.from(await bob.client.endpoint('fileThumbnail')({ params: { fileId: photo.id } }))).metadata();
    assert.deepEqual([upright.width, upright.height], [160, 320]);
    await rejectsWith(bob.client.endpoint('fileThumbnail')({ params: { fileId: damaged.id } }), 'THUMBNAIL_NOT_AVAILABLE', 404);
    await rejectsWith(bob.client.endpoint('fileThumbnail')({ params: { fileId: text.id } }), 'THUMBNAIL_NOT_AVAILABLE', 404);
    assert.deepEqual(Buffer.from(await download(bob.client, damaged.id)), damagedBytes);
  });

  test('a copy the browser holds is confirmed with 304 and not sent again, after the same access check', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const content = `minutes ${randomBytes(8).toString('hex')}\n`;
    const file = await upload(alice.client, room.id, content, 'minutes.txt');
    const image = await upload(alice.client, room.id, await pngImage(400, 300), 'plan.png');
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'minutes and plan', fileIds: [file.id, image.id] } });

    const first = await fetchContent(bob.client, file.id, 'inline');
    const etag = first.response.headers.get('etag');
    assert.equal(etag, `"${createHash('sha256').update(content).digest('hex')}"`, 'the tag names the bytes');
    const again = await fetchContent(bob.client, file.id, 'inline', { 'if-none-match': etag! });
    assert.deepEqual([again.response.status, again.bytes.length, again.response.headers.get('etag')], [304, 0, etag]);
    assert.equal(again.response.headers.get('cache-control'), first.response.headers.get('cache-control'));
    const listed = await fetchContent(bob.client, file.id, 'inline', { 'if-none-match': `"other", W/${etag}` });
    assert.equal(listed.response.status, 304, 'a weak tag in a list matches too');
    const stale = await fetchContent(bob.client, file.id, 'inline', { 'if-none-match': '"an older copy"' });
    assert.deepEqual([stale.response.status, Buffer.from(stale.bytes).toString()], [200, content]);

    // Whoever cannot read the file learns nothing from the tag: the refusal comes first.
    const carol = await buildUser(server());
    const outsider = await fetchContent(carol.client, file.id, 'inline', { 'if-none-match': etag! });
    assert.equal(outsider.response.status, 404);
    await alice.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
    const removed = await fetchContent(bob.client, file.id, 'inline', { 'if-none-match': etag! });
    assert.equal(removed.response.status, 404, 'a member who left cannot confirm a copy either');

    const thumbnail = await fetchBytes(alice.client, `/api/v1/files/${image.id}/thumbnail`);
    const thumbnailTag = thumbnail.response.headers.get('etag');
    assert.ok(thumbnail.bytes.length > 0 && thumbnailTag !== null && thumbnailTag !== (await fetchContent(alice.client, image.id, 'inline')).response.headers.get('etag'));
    const thumbnailAgain = await fetchBytes(alice.client, `/api/v1/files/${image.id}/thumbnail`, { 'if-none-match': thumbnailTag! });
    assert.deepEqual([thumbnailAgain.response.status, thumbnailAgain.bytes.length], [304, 0]);

    // Showing a kept copy is still a view, and the audit log says so.
    const officer = await buildUser(server(), { role: 'compliance' });
    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'file.downloaded', limit: 50 } });
    assert.equal(entries.filter((entry) => entry.target?.id === file.id && entry.actorId === bob.user.id).length, 4);
  });

  test('only current members of a room where a live message carries the file can reach it', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const outsider = await buildUser(server());
    const file = await upload(alice.client, room.id, await pngImage(64, 64), 'secret-plan.png');
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'plan', fileIds: [file.id] } });
    const unreachable = async (client: EnclaveClient) => {
      await rejectsWith(client.endpoint('getFile')({ params: { fileId: file.id } }), 'FILE_NOT_FOUND', 404);
      await rejectsWith(download(client, file.id, 'inline'), 'FILE_NOT_FOUND', 404);
      await rejectsWith(client.endpoint('fileThumbnail')({ params: { fileId: file.id } }), 'FILE_NOT_FOUND', 404);
    };
    await unreachable(outsider.client);
    await rejectsWith(outsider.client.endpoint('getFile')({ params: { fileId: 'no-such-file' } }), 'FILE_NOT_FOUND', 404);
    await rejectsWith(outsider.client.endpoint('listRoomFiles')({ params: { roomId: room.id }, query: {} }), 'ROOM_NOT_FOUND', 404);

    await bob.client.endpoint('getFile')({ params: { fileId: file.id } });
    await bob.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
    await unreachable(bob.client);

    // Deleting the message takes the file away from everyone, its sender included; the bytes stay for compliance.
    const stored = storedFiles(server());
    await alice.client.endpoint('deleteMessage')({ params: { messageId: message.id } });
    await unreachable(alice.client);
    assert.deepEqual(storedFiles(server()), stored);
    const { files } = await alice.client.endpoint('listRoomFiles')({ params: { roomId: room.id }, query: {} });
    assert.ok(!files.some((entry) => entry.file.id === file.id));
  });

  test('a recalled message takes its files away too', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const file = await upload(alice.client, room.id, 'draft', 'draft.txt');
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'oops', fileIds: [file.id] } });
    const recalled = await alice.client.endpoint('recallMessage')({ params: { messageId: message.id } });
    assert.deepEqual(recalled.message.files, []);
    await rejectsWith(download(bob.client, file.id), 'FILE_NOT_FOUND', 404);
  });

  test('view-only by room, by label and by message: the original is refused inline and as a download', async () => {
    const alice = await buildUser(server(), { clearance: 'secret' });
    const bob = await buildUser(server(), { clearance: 'secret' });
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const send = async (text: string, options: { label?: string; noDownload?: boolean } = {}) => {
      const file = await upload(alice.client, room.id, `${text} body`, `${text}.txt`, options.label ? { label: options.label } : {});
      await sendConfirmed(alice.client, room.id, { text, fileIds: [file.id], ...(options.noDownload ? { restrictions: { noDownload: true } } : {}) });
      return file;
    };
    const viewOnly = async (fileId: string) => {
      await rejectsWith(download(bob.client, fileId, 'attachment'), 'DOWNLOAD_NOT_ALLOWED', 403);
      await rejectsWith(download(bob.client, fileId, 'inline'), 'DOWNLOAD_NOT_ALLOWED', 403);
    };

    const open = await send('open');
    assert.ok((await download(bob.client, open.id)).length > 0);
    await viewOnly((await send('restricted', { noDownload: true })).id);

    await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { ceiling: 'secret' } });
    // The default Secret label allows viewing only; the message carrying the file is raised to it.
    const secret = await send('secret', { label: 'secret' });
    await viewOnly(secret.id);
    const { messages } = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 1 } });
    assert.equal(messages[0]!.label, 'secret');

    await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { downloadAllowed: false } });
    await viewOnly(open.id);
    // Even the uploader of a file still pending follows the room's policy.
    const pending = await upload(alice.client, room.id, 'pending', 'pending.txt');
    await rejectsWith(download(alice.client, pending.id, 'attachment'), 'DOWNLOAD_NOT_ALLOWED');
  });

  test('an upload is labelled within the room ceiling, with a label that exists', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const before = await storageSnapshot(server());
    await rejectsWith(upload(alice.client, room.id, 'x', 'x.txt', { label: 'secret' }), 'LABEL_ABOVE_ROOM_CEILING', 403);
    await rejectsWith(upload(alice.client, room.id, 'x', 'x.txt', { label: 'no-such-label' }), 'LABEL_NOT_FOUND', 404);
    await rejectsWith(upload(alice.client, room.id, 'x', 'x.txt', { label: 'Not A Label!' }), 'VALIDATION_FAILED', 400);
    const outsider = await buildUser(server());
    await rejectsWith(upload(outsider.client, room.id, 'x', 'x.txt'), 'ROOM_NOT_FOUND', 404);
    const pending = await upload(alice.client, room.id, 'x', 'x.txt');
    await admin().endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'audit' } });
    await rejectsWith(upload(alice.client, room.id, 'x', 'x.txt'), 'ROOM_FROZEN', 423);
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '', fileIds: [pending.id] } }), 'ROOM_FROZEN');
    await admin().endpoint('unfreezeRoom')({ params: { roomId: room.id } });
    assert.equal((await storageSnapshot(server())).rows, before.rows + 1);
    const publicFile = await upload(alice.client, room.id, 'x', 'x.txt', { label: 'public' });
    assert.equal(publicFile.label, 'public');
  });

  test('every bad upload gets its code and leaves no row and no file behind', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const before = await storageSnapshot(server());
    const refused = async (promise: Promise<unknown>, code: string, status: number) => {
      await rejectsWith(promise, code, status);
      assert.deepEqual(await storageSnapshot(server()), before, code);
    };
    await refused(upload(alice.client, room.id, '', 'empty.txt'), 'FILE_EMPTY', 400);
    await refused(upload(alice.client, room.id, ELF, 'tool.txt', { type: 'text/plain' }), 'FILE_TYPE_NOT_ALLOWED', 415);
    await refused(upload(alice.client, room.id, Buffer.concat([Buffer.from([0, 1, 2, 3]), randomBytes(100)]), 'data.bin'), 'FILE_TYPE_NOT_ALLOWED', 415);
    for (const name of ['a/b.txt', '..', 'x'.repeat(201), ' padded.txt']) await refused(upload(alice.client, room.id, 'x', name), 'FILE_NAME_INVALID', 400);
    await withFilePolicy({ maxBytes: 1000 }, async () => {
      await refused(upload(alice.client, room.id, 'y'.repeat(5000), 'big.txt'), 'FILE_TOO_LARGE', 413);
      assert.equal((await upload(alice.client, room.id, 'y'.repeat(1000), 'exactly.txt')).size, 1000);
    });
    const accepted = await storageSnapshot(server());

    // Names no browser would send, written by hand: a backslash, control characters.
    const file = (filename: RawFilename) => multipartBody([{ name: 'file', ...filename, content: 'x' }]);
    type RawFilename = { filename: string } | { filenameStar: string };
    for (const filename of [{ filename: 'a\\\\b.txt' }, { filenameStar: "UTF-8''bell%07.txt" }, { filenameStar: "UTF-8''tab%09.txt" }, { filenameStar: "UTF-8''next%C2%85line.txt" }]) {
      assert.deepEqual(await rawUpload(server(), alice.client, room.id, file(filename)), { status: 400, code: 'FILE_NAME_INVALID' }, JSON.stringify(filename));
    }
    // No `file` field, or the file in another field.
    assert.deepEqual(await rawUpload(server(), alice.client, room.id, multipartBody([{ name: 'label', content: 'internal' }])), { status: 400, code: 'VALIDATION_FAILED' });
    assert.deepEqual(await rawUpload(server(), alice.client, room.id, multipartBody([{ name: 'upload', filename: 'x.txt', content: 'x' }])), { status: 400, code: 'VALIDATION_FAILED' });
    const labelAfter = multipartBody([{ name: 'file', filename: 'late.txt', content: 'x' }, { name: 'label', content: 'public' }]);
    assert.deepEqual(await rawUpload(server(), alice.client, room.id, labelAfter), { status: 400, code: 'VALIDATION_FAILED' });
    const twoFiles = multipartBody([{ name: 'file', filename: 'one.txt', content: 'one' }, { name: 'file', filename: 'two.txt', content: 'two' }]);
    assert.deepEqual(await rawUpload(server(), alice.client, room.id, twoFiles), { status: 400, code: 'VALIDATION_FAILED' });
    // The body ends in the middle of the file, or after it without the closing boundary.
    const whole = multipartBody([{ name: 'file', filename: 'cut.txt', content: 'z'.repeat(4000) }]);
    assert.deepEqual(await rawUpload(server(), alice.client, room.id, whole.subarray(0, 2000)), { status: 400, code: 'UPLOAD_TRUNCATED' });
    const unclosed = multipartBody([{ name: 'file', filename: 'cut.txt', content: 'z'.repeat(4000) }], { close: false });
    assert.deepEqual(await rawUpload(server(), alice.client, room.id, Buffer.concat([unclosed, Buffer.from('--enclave-test-boundary')])), { status: 400, code: 'UPLOAD_TRUNCATED' });
    assert.deepEqual(await storageSnapshot(server()), accepted);
  });

  test('uploads are multipart on the upload route only, and are not bound by the JSON body limit', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const headers = { authorization: `Bearer ${alice.client.currentToken}` };
    const asJson = await fetch(`${server().url}/api/v1/rooms/${room.id}/files`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{}' });
    assert.deepEqual([asJson.status, ((await asJson.json()) as { error: { code: string } }).error.code], [415, 'UNSUPPORTED_MEDIA_TYPE']);
    const form = new FormData();
    form.append('text', 'hello');
    const elsewhere = await fetch(`${server().url}/api/v1/rooms/${room.id}/messages`, { method: 'POST', headers, body: form });
    assert.deepEqual([elsewhere.status, ((await elsewhere.json()) as { error: { code: string } }).error.code], [415, 'UNSUPPORTED_MEDIA_TYPE']);

    const large = randomBytes(600_000).toString('hex');
    const file = await upload(alice.client, room.id, large, 'large.txt');
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '', fileIds: [file.id] } });
    assert.equal(Buffer.from(await download(alice.client, file.id)).toString(), large);
  });

  test('a client that vanishes mid-upload leaves nothing behind', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const before = await storageSnapshot(server());
    const body = multipartBody([{ name: 'file', filename: 'vanishing.txt', content: 'v'.repeat(200_000) }]);
    const request = openRawUpload(server(), alice.client, room.id, { contentLength: body.length });
    request.on('error', () => undefined);
    request.write(body.subarray(0, 100_000));
    // Once the server is writing the upload to disk, the client goes away.
    await untilStored(server(), (files) => files.some((name) => name.startsWith('tmp/')), 'the upload is being received');
    request.destroy();
    await untilStored(server(), (files) => !files.some((name) => name.startsWith('tmp/')), 'the partial upload is removed');
    assert.deepEqual(await storageSnapshot(server()), before);
  });

  test('the type comes from the content, never from the name or the header', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const sniffed = async (content: Uint8Array | string, name: string, type = 'text/plain'): Promise<FileMime> => (await upload(alice.client, room.id, content, name, { type })).mime;
    assert.equal(await sniffed(await pngImage(8, 8), 'notes.txt'), 'image/png');
    assert.equal(await sniffed('just words', 'picture.png', 'image/png'), 'text/plain');
    assert.equal(await sniffed('a,b\n1,2\n', 'table.csv'), 'text/csv');
    assert.equal(await sniffed('# Title\n', 'readme.md'), 'text/markdown');
    assert.equal(await sniffed('MZ is a fine start for a sentence', 'mz.txt'), 'text/plain');
    assert.equal(await sniffed(await sharp(await pngImage(8, 8)).gif().toBuffer(), 'x'), 'image/gif');
    assert.equal(await sniffed(await sharp(await pngImage(8, 8)).webp().toBuffer(), 'x'), 'image/webp');
    assert.equal(await sniffed('%PDF-1.7\n%\xe2\xe3\n', 'x.txt'), 'application/pdf');
    assert.equal(await sniffed(makeDocx(['hello']), 'report.zip'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    const { zipSync, strToU8 } = await import('fflate');
    assert.equal(await sniffed(zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'xl/workbook.xml': strToU8('<x/>') }), 'x'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(await sniffed(zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'ppt/presentation.xml': strToU8('<x/>') }), 'x'), 'application/vnd.openxmlformats-officedocument.presentationml.presentation');
    assert.equal(await sniffed(zipSync({ 'word/document.xml': strToU8('<not-office/>') }), 'fake.docx'), 'application/zip');
    // An executable is recognised whatever it is called, so a policy can allow everything else.
    await withFilePolicy({ allowedTypes: [...DEFAULT_ALLOWED_FILE_TYPES, 'application/x-executable', 'application/octet-stream'] }, async () => {
      assert.equal(await sniffed(ELF, 'harmless.txt'), 'application/x-executable');
      assert.equal(await sniffed(Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), 'setup.pdf'), 'application/x-executable');
      assert.equal(await sniffed(Buffer.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), 'app'), 'application/x-executable');
      assert.equal(await sniffed(Buffer.from([0xc3, 0x28, 0x41]), 'bad-utf8.txt'), 'application/octet-stream');
    });
    await withFilePolicy({ allowedTypes: ['image/png'] }, async () => {
      await rejectsWith(upload(alice.client, room.id, 'just words', 'picture.png', { type: 'image/png' }), 'FILE_TYPE_NOT_ALLOWED', 415);
    });
  });

  test('the file policy is an admin setting, validated', async () => {
    const settings = (await admin().endpoint('getAdminSettings')()).settings;
    assert.deepEqual(settings.files, DEFAULT_FILE_POLICY);
    await rejectsWith(admin().endpoint('updateAdminSettings')({ body: { files: { maxBytes: 0, allowedTypes: [] } } }), 'VALIDATION_FAILED', 400);
    await rejectsWith(admin().endpoint('updateAdminSettings')({ body: { files: { maxBytes: 10, allowedTypes: ['text/html' as FileMime] } } }), 'VALIDATION_FAILED', 400);
    await rejectsWith(admin().endpoint('updateAdminSettings')({ body: { files: { maxBytes: 10, allowedTypes: ['text/plain', 'text/plain'] } } }), 'VALIDATION_FAILED', 400);
    const member = await buildUser(server());
    await rejectsWith(member.client.endpoint('updateAdminSettings')({ body: { files: DEFAULT_FILE_POLICY } }), 'ADMIN_REQUIRED', 403);
    assert.deepEqual((await member.client.endpoint('me')()).filePolicy, DEFAULT_FILE_POLICY, 'members read the policy, to refuse a hopeless upload early');
    await withFilePolicy({ maxBytes: 2048 }, async () => {
      assert.equal((await admin().endpoint('getAdminSettings')()).settings.files.maxBytes, 2048);
      assert.equal((await member.client.endpoint('me')()).filePolicy.maxBytes, 2048);
    });
  });

  test("a room's files are listed newest first, paged at a message's edge", async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const names = ['a.txt', 'b.txt', 'c.txt'];
    const [a, b, c] = await Promise.all(names.map((name) => upload(alice.client, room.id, name, name)));
    const first = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'one', fileIds: [a!.id] } });
    const second = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'two', fileIds: [b!.id, c!.id] } });
    const all = await bob.client.endpoint('listRoomFiles')({ params: { roomId: room.id }, query: {} });
    assert.deepEqual(all.files.map((entry) => [entry.file.id, entry.messageId, entry.senderId]), [
      [b!.id, second.message.id, alice.user.id],
      [c!.id, second.message.id, alice.user.id],
      [a!.id, first.message.id, alice.user.id],
    ]);
    assert.equal(all.hasMore, false);
    const page = await bob.client.endpoint('listRoomFiles')({ params: { roomId: room.id }, query: { limit: 1 } });
    assert.deepEqual([page.files.length, page.hasMore], [2, true]);
    const next = await bob.client.endpoint('listRoomFiles')({ params: { roomId: room.id }, query: { limit: 1, before: second.message.id } });
    assert.deepEqual([next.files.map((entry) => entry.file.id), next.hasMore], [[a!.id], false]);

    // A thread reply's file says which thread, so that it can be opened there.
    const d = await upload(alice.client, room.id, 'd', 'd.txt');
    const reply = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'in the thread', threadRootId: first.message.id, fileIds: [d.id] } });
    const latest = await bob.client.endpoint('listRoomFiles')({ params: { roomId: room.id }, query: { limit: 1 } });
    assert.deepEqual(latest.files.map((entry) => [entry.file.id, entry.messageId, entry.threadRootId]), [[d.id, reply.message.id, first.message.id]]);
    assert.equal(all.files[0]!.threadRootId, null);
  });

  test('a forward carries the same stored files into the other room; an edit keeps them', async () => {
    const { alice, bob, room } = await buildRoomOfTwo(server());
    const carol = await buildUser(server());
    const other = await buildRoom(server(), { owner: alice.client, members: [carol.user] });
    const content = await pngImage(40, 30);
    const file = await upload(alice.client, room.id, content, 'diagram.png');
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'see diagram', fileIds: [file.id] } });
    const edited = await alice.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: 'see the diagram' } });
    assert.deepEqual(edited.message.files, [file]);

    const forwarded = await bob.client.endpoint('forwardMessage')({ params: { messageId: message.id }, body: { roomId: other.id } }).catch((error: unknown) => error);
    assert.ok(forwarded instanceof EnclaveApiError && forwarded.code === 'ROOM_NOT_FOUND', 'bob is not in the other room');
    const { message: copy } = await alice.client.endpoint('forwardMessage')({ params: { messageId: message.id }, body: { roomId: other.id } });
    assert.deepEqual(copy.files, [file]);
    assert.deepEqual(Buffer.from(await download(carol.client, file.id)), content);
    assert.equal((await carol.client.endpoint('listMessages')({ params: { roomId: other.id }, query: {} })).messages[0]!.files[0]!.id, file.id);
    // The original's deletion leaves the copy, and carol's access through it, as they were.
    await alice.client.endpoint('deleteMessage')({ params: { messageId: message.id } });
    await rejectsWith(download(bob.client, file.id), 'FILE_NOT_FOUND');
    assert.deepEqual(Buffer.from(await download(carol.client, file.id)), content);
  });

  test('uploads no message carried for a day are swept, rows and bytes; carried ones stay', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const carried = await upload(alice.client, room.id, 'kept', 'kept.txt');
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'kept', fileIds: [carried.id] } });
    const forgotten = await upload(alice.client, room.id, 'forgotten', 'forgotten.txt');
    const before = await storageSnapshot(server());
    const store = new FileStore(filesDir(server()));
    // Not yet a day old: it stays (uploads of earlier tests may be old enough by then on a slow machine, so the
    // count is not what this checks).
    await sweepExpiredUploads(server().running.database.db, store, server().running.services.keys, Date.parse(forgotten.createdAt) + PENDING_UPLOAD_LIFETIME_MS - 60_000);
    assert.equal((await alice.client.endpoint('getFile')({ params: { fileId: forgotten.id } })).file.id, forgotten.id);
    assert.ok((await sweepExpiredUploads(server().running.database.db, store, server().running.services.keys, Date.now() + PENDING_UPLOAD_LIFETIME_MS + 60_000)) >= 1);
    await rejectsWith(alice.client.endpoint('getFile')({ params: { fileId: forgotten.id } }), 'FILE_NOT_FOUND');
    assert.equal((await alice.client.endpoint('getFile')({ params: { fileId: carried.id } })).file.id, carried.id);
    const after = await storageSnapshot(server());
    assert.ok(after.rows < before.rows && after.files.length < before.files.length);
  });

  test('an upload refused for its size stops being read and answers at once', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    await withFilePolicy({ maxBytes: 1000 }, async () => {
      const body = multipartBody([{ name: 'file', filename: 'huge.txt', content: 'h'.repeat(2000) }], { close: false });
      const request = openRawUpload(server(), alice.client, room.id, { contentLength: body.length + 50_000_000 });
      request.on('error', () => undefined);
      request.write(body);
      const [response] = (await once(request, 'response')) as [import('node:http').IncomingMessage];
      assert.equal(response.statusCode, 413);
      response.resume();
      request.destroy();
    });
  });
});

test('the files directory is `files` in the data directory unless ENCLAVE_FILES_DIR names another', () => {
  assert.equal(loadConfig({ ENCLAVE_DATA_DIR: '/srv/enclave' }).filesDir, '/srv/enclave/files');
  assert.equal(loadConfig({ ENCLAVE_DATA_DIR: '/srv/enclave', ENCLAVE_FILES_DIR: '/mnt/shared/files' }).filesDir, '/mnt/shared/files');
});
