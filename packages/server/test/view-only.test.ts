import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { EnclaveClient } from '@enclave/sdk';
import sharp from 'sharp';
import { rejectsWith } from './expect-error';
import { makeDocx, makePdf } from './file-fixtures';
import { describeEachBackend } from './harness';
import { buildRoom, buildUser, exportAsOfficer, sendConfirmed } from '@enclave/testkit';
import { storedFiles, upload } from './upload-helpers';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * A photo larger than a rendered view, with the camera's metadata a leak would carry along. Its pixels are noise,
 * as real photos are to a compressor, so that any run of its bytes is its own and a search for one means something.
 */
function cameraPhoto(): Promise<Buffer> {
  const [width, height] = [2000, 1500];
  photo ??= sharp(randomBytes(width * height * 3), { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 70 })
    .withExif({ IFD0: { Make: 'EnclaveCam', Model: 'Leaky 1', Copyright: 'Secret Project Falcon' } })
    .toBuffer();
  return photo;
}
/** Made once: each test uploads its own copy, and making one takes a while on a busy machine. */
let photo: Promise<Buffer> | undefined;

/**
 * Every answer a modified client gets for a file, body and headers as one haystack: what the server sent must
 * never hold the original's bytes (a run of them) or its SHA-256 (which would confirm which document it is).
 */
interface Answer {
  status: number;
  headers: string;
  bytes: Uint8Array;
}

function leaksOriginal(answer: Answer, original: Uint8Array): boolean {
  const body = Buffer.from(answer.bytes);
  const hash = sha256(original);
  // 64 bytes from the middle: a run no re-encoding reproduces by chance, present in any partial copy of the middle.
  const middle = Buffer.from(original.subarray(Math.floor(original.length / 2), Math.floor(original.length / 2) + 64));
  const head = Buffer.from(original.subarray(0, Math.min(64, original.length)));
  return body.includes(middle) || body.includes(head) || body.toString('latin1').includes(hash) || answer.headers.includes(hash);
}

describeEachBackend('view-only files', (server) => {
  const admin = () => server().admin.client;

  async function raw(client: EnclaveClient, path: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const response = await fetch(`${server().url}${path}`, { method: init.method ?? 'GET', headers: { authorization: `Bearer ${client.currentToken}`, ...init.headers } });
    const bytes = new Uint8Array(await response.arrayBuffer());
    return { status: response.status, headers: JSON.stringify([...response.headers.entries()]), bytes };
  }

  const errorCode = (answer: Answer) => (JSON.parse(Buffer.from(answer.bytes).toString('utf8')) as { error: { code: string } }).error.code;

  /** Every way a modified client might ask for the original bytes; none may answer with them. */
  async function everyOriginalRoute(client: EnclaveClient, fileId: string): Promise<Answer[]> {
    const content = `/api/v1/files/${fileId}/content`;
    const asks: [string, { method?: string; headers?: Record<string, string> }][] = [
      [content, {}],
      [`${content}?disposition=inline`, {}],
      [`${content}?disposition=attachment`, {}],
      [`${content}?disposition=INLINE`, {}],
      [`${content}?disposition=inline&disposition=attachment`, {}],
      [`${content}?disposition=`, {}],
      [`${content}?disposition=inline`, { headers: { range: 'bytes=0-99' } }],
      [`${content}?disposition=inline`, { headers: { range: 'bytes=100-' } }],
      [`${content}?disposition=inline`, { headers: { 'if-none-match': '*' } }],
      [`${content}?disposition=inline`, { method: 'HEAD' }],
      [`${content}?disposition=attachment`, { method: 'HEAD' }],
      [`/api/v1/files/${fileId}/content/`, {}],
      [`/api/v1/files/${fileId.toUpperCase()}/content?disposition=inline`, {}],
    ];
    const answers: Answer[] = [];
    for (const [path, init] of asks) answers.push(await raw(client, path, init));
    return answers;
  }

  function assertRefused(answers: Answer[], original: Uint8Array, who: string): void {
    answers.forEach((answer, index) => {
      assert.ok([400, 403, 404].includes(answer.status), `${who}, ask ${index}: status ${answer.status}`);
      assert.ok(!leaksOriginal(answer, original), `${who}, ask ${index}: the original leaked`);
    });
  }

  async function viewOnlyRoom() {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { downloadAllowed: false } });
    return { alice, bob, room };
  }

  async function share(client: EnclaveClient, roomId: string, content: Uint8Array | string, name: string, options: { noDownload?: boolean } = {}) {
    const file = await upload(client, roomId, content, name);
    const message = await sendConfirmed(client, roomId, { text: name, fileIds: [file.id], ...(options.noDownload ? { restrictions: { noDownload: true } } : {}) });
    return { file, message };
  }

  test('a view-only image never leaves as its original, by any disposition, Range or HEAD; its preview is a re-drawing', async () => {
    const { alice, bob, room } = await viewOnlyRoom();
    const photo = await cameraPhoto();
    const { file } = await share(alice.client, room.id, photo, 'site.jpg');

    for (const [who, client] of [['a member', bob.client], ['the uploader', alice.client]] as const) {
      const answers = await everyOriginalRoute(client, file.id);
      assertRefused(answers, photo, who);
      assert.equal(errorCode(answers[1]!), 'DOWNLOAD_NOT_ALLOWED');
      assert.equal(errorCode(answers[6]!), 'DOWNLOAD_NOT_ALLOWED', 'a Range request is refused like the whole');
      assert.equal(answers[9]!.status, 403, 'HEAD is refused too');
    }
    await rejectsWith(bob.client.endpoint('fileContent')({ params: { fileId: file.id }, query: { disposition: 'inline' } }), 'DOWNLOAD_NOT_ALLOWED', 403);

    const preview = await raw(bob.client, `/api/v1/files/${file.id}/preview`);
    assert.equal(preview.status, 200);
    assert.ok(!leaksOriginal(preview, photo), 'the preview is not the original');
    assert.notEqual(sha256(preview.bytes), sha256(photo));
    const drawn = await sharp(preview.bytes).metadata();
    assert.deepEqual([drawn.format, drawn.width, drawn.height], ['webp', 1600, 1200], 'a WebP at most 1600 px on its long side');
    assert.equal(drawn.exif, undefined, 'the camera metadata is gone');
    assert.ok(!Buffer.from(preview.bytes).toString('latin1').includes('Falcon'));
    // The browser's copy is asked about by the preview's own tag.
    const etag = JSON.parse(preview.headers).find(([name]: [string]) => name === 'etag')[1] as string;
    assert.equal((await raw(bob.client, `/api/v1/files/${file.id}/preview`, { headers: { 'if-none-match': etag } })).status, 304);

    const thumbnail = await raw(bob.client, `/api/v1/files/${file.id}/thumbnail`);
    assert.equal(thumbnail.status, 200);
    assert.ok(!leaksOriginal(thumbnail, photo));
    const details = await raw(bob.client, `/api/v1/files/${file.id}`);
    assert.ok(!leaksOriginal(details, photo));
    const history = await raw(bob.client, `/api/v1/rooms/${room.id}/files`);
    assert.ok(!leaksOriginal(history, photo));

    const officer = await buildUser(server(), { role: 'compliance' });
    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'file.viewed', limit: 20 } });
    const views = entries.filter((entry) => entry.target?.id === file.id);
    assert.deepEqual(views.map((entry) => [entry.actorId, entry.data.view]), [[bob.user.id, 'preview'], [bob.user.id, 'preview']], 'each view is audited');
    assert.deepEqual(views[0]!.data.roomIds, [room.id]);

    // Someone outside the room learns nothing, not even that a preview exists.
    const outsider = await buildUser(server());
    await rejectsWith(outsider.client.endpoint('filePreview')({ params: { fileId: file.id } }), 'FILE_NOT_FOUND', 404);
  });

  test('a view-only PDF is shown as rendered pages, counted when first drawn and kept beside the file until it goes', async () => {
    const { alice, bob } = await viewOnlyRoom();
    // This time the room allows downloads and the message's own restriction makes its file view-only.
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const pdf = await makePdf('Board minutes, page one\fPage two: the numbers and decisions');
    const { file } = await share(alice.client, room.id, pdf, 'minutes.pdf', { noDownload: true });
    assert.equal(file.pageCount, null, 'not counted before anyone looks');
    assertRefused(await everyOriginalRoute(bob.client, file.id), pdf, 'a member');

    for (const page of [1, 2]) {
      const answer = await raw(bob.client, `/api/v1/files/${file.id}/pages/${page}`);
      assert.equal(answer.status, 200, `page ${page}`);
      assert.ok(!leaksOriginal(answer, pdf));
      const drawn = await sharp(answer.bytes).metadata();
      assert.deepEqual([drawn.format, Math.max(drawn.width, drawn.height)], ['png', 1600], `page ${page}`);
    }
    assert.equal((await bob.client.endpoint('getFile')({ params: { fileId: file.id } })).file.pageCount, 2);
    const [first, second] = await Promise.all([1, 2].map((page) => bob.client.endpoint('filePage')({ params: { fileId: file.id, page } })));
    assert.notEqual(sha256(first!), sha256(second!), 'each page is its own picture');
    await rejectsWith(bob.client.endpoint('filePage')({ params: { fileId: file.id, page: 3 } }), 'PAGE_NOT_FOUND', 404);
    assert.equal((await raw(bob.client, `/api/v1/files/${file.id}/pages/0`)).status, 400);
    assert.equal((await raw(bob.client, `/api/v1/files/${file.id}/pages/one`)).status, 400);
    await rejectsWith(bob.client.endpoint('filePreview')({ params: { fileId: file.id } }), 'PREVIEW_NOT_AVAILABLE', 404);

    const db = server().running.database.db;
    const { storage_key: key } = await db.selectFrom('files').select('storage_key').where('id', '=', file.id).executeTakeFirstOrThrow();
    assert.deepEqual(storedFiles(server()).filter((name) => name.includes(`${key}.view-`)).length, 2, 'both pages kept');
    await admin().endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'closed' } });
    await exportAsOfficer(server(), room.id);
    await admin().endpoint('deleteRoom')({ params: { roomId: room.id } });
    assert.deepEqual(storedFiles(server()).filter((name) => name.includes(key)), [], 'the file and its pages went together');
  });

  test('text and office documents have no rendered view: refused with PREVIEW_NOT_AVAILABLE, never the bytes', async () => {
    const { alice, bob, room } = await viewOnlyRoom();
    const cases: [string, Uint8Array][] = [
      ['notes.txt', Buffer.from('内部 figures for the board\n')],
      ['table.csv', Buffer.from('name,amount\nfalcon,100\n')],
      ['plan.docx', makeDocx(['The plan', 'Step one'])],
    ];
    for (const [name, content] of cases) {
      const { file } = await share(alice.client, room.id, content, name);
      assertRefused(await everyOriginalRoute(bob.client, file.id), content, name);
      for (const path of [`/api/v1/files/${file.id}/preview`, `/api/v1/files/${file.id}/pages/1`, `/api/v1/files/${file.id}/thumbnail`]) {
        const answer = await raw(bob.client, path);
        assert.equal(answer.status, 404, `${name} ${path}`);
        assert.ok(!leaksOriginal(answer, content), `${name} ${path}`);
      }
      await rejectsWith(bob.client.endpoint('filePreview')({ params: { fileId: file.id } }), 'PREVIEW_NOT_AVAILABLE', 404);
    }
  });

  test('forwarding into an open room, or attaching elsewhere, does not make a view-only file downloadable', async () => {
    const { alice, bob, room } = await viewOnlyRoom();
    const carol = await buildUser(server());
    const open = await buildRoom(server(), { owner: bob.client, members: [carol.user] });
    const photo = await cameraPhoto();
    const { file, message } = await share(alice.client, room.id, photo, 'whiteboard.jpg');

    const { message: copy } = await bob.client.endpoint('forwardMessage')({ params: { messageId: message.id }, body: { roomId: open.id } });
    assert.equal(copy.restrictions.noDownload, true, 'the copy stays view-only');
    assert.deepEqual(copy.files.map((carried) => carried.id), [file.id]);
    assertRefused(await everyOriginalRoute(carol.client, file.id), photo, 'a member of the open room only');
    assertRefused(await everyOriginalRoute(bob.client, file.id), photo, 'the forwarder');
    assert.equal((await raw(carol.client, `/api/v1/files/${file.id}/preview`)).status, 200, 'viewing still works');
    // A copy forwarded on again is no more downloadable.
    const further = await buildRoom(server(), { owner: carol.client });
    await carol.client.endpoint('forwardMessage')({ params: { messageId: copy.id }, body: { roomId: further.id } });
    assertRefused(await everyOriginalRoute(carol.client, file.id), photo, 'after a second forward');

    // The same file id cannot be carried by a message of another room.
    await rejectsWith(bob.client.endpoint('sendMessage')({ params: { roomId: open.id }, body: { text: 'again', fileIds: [file.id] } }), 'FILE_NOT_ATTACHABLE');
  });

  test('an administrator or a compliance officer gets no original through the file routes either', async () => {
    const { alice, room } = await viewOnlyRoom();
    const officer = await buildUser(server(), { role: 'compliance' });
    const photo = await cameraPhoto();
    const { file } = await share(alice.client, room.id, photo, 'evidence.jpg');
    await alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [server().admin.user.id, officer.user.id] } });
    assertRefused(await everyOriginalRoute(admin(), file.id), photo, 'an administrator who is a member');
    assertRefused(await everyOriginalRoute(officer.client, file.id), photo, 'a compliance officer who is a member');
    assert.equal((await raw(officer.client, `/api/v1/files/${file.id}/preview`)).status, 200);
  });

  test('where downloads are allowed, the original still comes whole, inline and as a download, and previews work too', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const photo = await cameraPhoto();
    const pdf = await makePdf('An open document');
    const image = (await share(alice.client, room.id, photo, 'open.jpg')).file;
    const document = (await share(alice.client, room.id, pdf, 'open.pdf')).file;
    for (const disposition of ['inline', 'attachment'] as const) {
      assert.equal(sha256(await bob.client.endpoint('fileContent')({ params: { fileId: image.id }, query: { disposition } })), sha256(photo));
      assert.equal(sha256(await bob.client.endpoint('fileContent')({ params: { fileId: document.id }, query: { disposition } })), sha256(pdf));
    }
    assert.ok((await bob.client.endpoint('filePreview')({ params: { fileId: image.id } })).length > 0);
  });
});
