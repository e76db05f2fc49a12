import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DlpRule } from '@enclave/protocol';
import { buildUser } from '@enclave/testkit';
import sharp from 'sharp';
import { rejectsWith } from './expect-error';
import { iTXt, makeDocx, makePptx, makeXlsx, makeZip, makeZipBomb, withJpegComment, withPngChunks } from './file-fixtures';
import { describeEachBackend } from './harness';
import { pngImage, upload } from './upload-helpers';

/** A valid PRC identity number (check character and birth date), so the built-in detector matches it. */
const PRC_ID = '110101199003078515';

/**
 * Each file hides its secret where a viewer does not show it, the way an insider would try to get it past DLP: the
 * visible text is harmless, and the upload is sniffed and read by the server exactly as a real one would be.
 */
async function hiddenSecrets(): Promise<Array<{ where: string; name: string; bytes: Uint8Array; rule: 'marking' | 'prc-id' | 'keyword' }>> {
  const plainPng = new Uint8Array(await pngImage(4, 4));
  const jpeg = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#888' } })
    .jpeg()
    .withExif({ IFD0: { ImageDescription: 'project bluebird' } })
    .toBuffer();
  return [
    { where: 'a DOCX comment', name: 'minutes.docx', bytes: makeDocx(['Lunch menu'], { comments: ['【机密】'] }), rule: 'marking' },
    { where: 'a DOCX core property', name: 'menu.docx', bytes: makeDocx(['Lunch menu'], { properties: { 'cp:keywords': 'bluebird' } }), rule: 'keyword' },
    { where: 'an XLSX cell', name: 'staff.xlsx', bytes: makeXlsx('Sheet1', [['Name', 'ID'], ['Alice', PRC_ID]]), rule: 'prc-id' },
    { where: 'a PPTX speaker note', name: 'deck.pptx', bytes: makePptx(['Agenda'], ['【机密】 不要外传']), rule: 'marking' },
    { where: "a ZIP member's text", name: 'bundle.zip', bytes: makeZip({ 'readme.txt': 'hello', 'ids.csv': `name,id\nAlice,${PRC_ID}\n` }), rule: 'prc-id' },
    { where: 'a ZIP inside a ZIP', name: 'nested.zip', bytes: makeZip({ 'inner.zip': makeZip({ 'plan.md': '# bluebird' }) }), rule: 'keyword' },
    { where: 'a PNG iTXt chunk', name: 'chart.png', bytes: withPngChunks(plainPng, [['iTXt', iTXt('Description', '【机密】', { compressed: true })]]), rule: 'marking' },
    { where: 'a JPEG EXIF description', name: 'photo.jpg', bytes: new Uint8Array(jpeg), rule: 'keyword' },
    { where: 'a JPEG comment segment', name: 'scan.jpg', bytes: withJpegComment(new Uint8Array(await sharp(plainPng).jpeg().toBuffer()), `ID ${PRC_ID}`), rule: 'prc-id' },
  ];
}

describeEachBackend('DLP reads what files hide: comments, properties, sheets, slides, archives, image metadata', (server) => {
  const admin = () => server().admin.client;

  async function guardedRoom() {
    // A room for Secret, so a marking that raises a file's label (the seeded label rules) still fits and DLP is what
    // must catch it.
    const alice = await buildUser(server(), { clearance: 'secret' });
    const bob = await buildUser(server(), { clearance: 'secret' });
    const body = { kind: 'group' as const, name: `hidden-${Date.now()}`, memberIds: [bob.user.id], ceiling: 'secret' };
    const { room } = await alice.client.endpoint('createRoom')({ body });
    const scope = { roomIds: [room.id] };
    const create = async (name: string, detector: DlpRule['detector']) => (await admin().endpoint('createDlpRule')({ body: { name, detector, scope, action: 'block' } })).rule;
    const rules = {
      marking: await create('Markings', { kind: 'builtin', id: 'marking' }),
      'prc-id': await create('Identity numbers', { kind: 'builtin', id: 'prc-id' }),
      keyword: await create('Deal names', { kind: 'keywords', words: ['bluebird'] }),
    };
    return { alice, bob, room, rules };
  }

  test('a block rule refuses a send whose file hides a match, found by reading it (not as unread), and nothing reaches the room', async () => {
    const { alice, bob, room, rules } = await guardedRoom();
    for (const hidden of await hiddenSecrets()) {
      const file = await upload(alice.client, room.id, hidden.bytes, hidden.name);
      const refused = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'see attached', fileIds: [file.id] } }), 'DLP_BLOCKED', 403);
      const rule = rules[hidden.rule];
      // Found in the content: the refusal names the matching rule alone, and no file as unread.
      assert.deepEqual(refused.data, { rules: [{ id: rule.id, name: rule.name, action: 'block' }] }, hidden.where);
    }
    assert.equal((await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages.length, 0);
  });

  test('the same formats without a secret are read to the end and go out under the same rules', async () => {
    const { alice, bob, room } = await guardedRoom();
    const clean = [
      { name: 'clean.docx', bytes: makeDocx(['Lunch menu'], { comments: ['looks good'], properties: { 'dc:title': 'Menu' } }) },
      { name: 'clean.xlsx', bytes: makeXlsx('Sheet1', [['Name'], ['Alice']]) },
      { name: 'clean.pptx', bytes: makePptx(['Agenda'], ['say hello']) },
      { name: 'clean.zip', bytes: makeZip({ 'inner.zip': makeZip({ 'readme.txt': 'hello' }) }) },
      { name: 'clean.png', bytes: withPngChunks(new Uint8Array(await pngImage(4, 4)), [['iTXt', iTXt('Description', 'a red square')]]) },
    ];
    for (const { name, bytes } of clean) {
      const file = await upload(alice.client, room.id, bytes, name);
      await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: name, fileIds: [file.id] } });
    }
    assert.equal((await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages.length, clean.length);
  });

  test('a zip bomb is refused as unread, not passed as clean, and the server answers meanwhile', async () => {
    const { alice, room, rules } = await guardedRoom();
    // 40 MB of paragraphs inside a DOCX inside a ZIP: more than the inflation bound of all levels together.
    const bomb = makeZip({ 'report.docx': makeZipBomb(40 * 1024 * 1024) });
    const uploading = upload(alice.client, room.id, bomb, 'bomb.zip');
    assert.equal((await fetch(`${server().url}/healthz`)).status, 200);
    const file = await uploading;
    const refused = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'report', fileIds: [file.id] } }), 'DLP_BLOCKED', 403);
    assert.deepEqual(refused.data?.unreadFiles, [{ id: file.id, name: 'bomb.zip' }]);
    assert.deepEqual(new Set((refused.data?.rules as Array<{ id: string }>).map((rule) => rule.id)), new Set(Object.values(rules).map((rule) => rule.id)));
  });
});
