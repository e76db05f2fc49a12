import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { chooseUndoSendSeconds, messagesOf, newContext, openRoom, saveScreenshot, signIn, startBrowserSuiteWithPlainGuard, stopBrowserSuite, waitUntil } from './browser';
import { attach, textFile, waitForUploads, type Upload } from './file-picking';

/** A real PNG (a small landscape: sky, sun, hills), as a camera or a screenshot tool would hand it over. */
async function png(name: string, width: number, height: number, colours: { sky: string; hills: string }): Promise<Upload> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 100 100" preserveAspectRatio="none">
    <defs><linearGradient id="sky" x2="0" y2="1"><stop offset="0" stop-color="${colours.sky}"/><stop offset="1" stop-color="#ffffff"/></linearGradient></defs>
    <rect width="100" height="100" fill="url(#sky)"/>
    <ellipse cx="75" cy="25" rx="8" ry="${(8 * width) / height}" fill="#ffd166"/>
    <path d="M0 70 L25 42 L45 62 L65 38 L100 72 L100 100 L0 100 Z" fill="${colours.hills}"/>
    <path d="M0 85 Q50 75 100 88 L100 100 L0 100 Z" fill="#ffffff" fill-opacity="0.35"/>
  </svg>`;
  return { name, mimeType: 'image/png', buffer: await sharp(Buffer.from(svg)).png().toBuffer() };
}

/** Whether an image element has really been decoded (a broken or missing image has no natural width). */
function decodedWidth(image: Locator): Promise<number> {
  return image.evaluate((element) => {
    const img = element as unknown as { complete: boolean; naturalWidth: number };
    return img.complete ? img.naturalWidth : 0;
  });
}

async function waitDecoded(image: Locator): Promise<number> {
  await image.waitFor();
  let width = 0;
  await waitUntil('the image is decoded', async () => (width = await decodedWidth(image)) > 0);
  return width;
}

/** The browser's own classes, for code run in the page: the tests are type-checked without the DOM library. */
interface PageGlobals {
  DataTransfer: new () => { items: { add(file: unknown): void } };
  File: new (parts: unknown[], name: string, options: { type: string }) => unknown;
  ClipboardEvent: new (type: string, init: { clipboardData: unknown; bubbles: boolean; cancelable: boolean }) => unknown;
}

/** Pastes an image into a composer, as a screenshot tool leaves one on the clipboard. */
async function pasteImage(input: Locator, image: Upload): Promise<void> {
  await input.evaluate(
    (element, { name, type, bytes }) => {
      const page = globalThis as unknown as PageGlobals;
      const transfer = new page.DataTransfer();
      transfer.items.add(new page.File([new Uint8Array(bytes)], name, { type }));
      (element as unknown as { dispatchEvent(event: unknown): boolean }).dispatchEvent(new page.ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
    },
    { name: image.name, type: image.mimeType, bytes: [...image.buffer] },
  );
}

/** Whether an element is inside the room's scrolled timeline as it shows now, not merely rendered. */
function inTimelineView(element: Locator): Promise<boolean> {
  return element.evaluate((node) => {
    type Box = { top: number; bottom: number };
    const target = node as unknown as { closest(selector: string): { getBoundingClientRect(): Box } | null; getBoundingClientRect(): Box };
    const list = target.closest('.message-list');
    if (!list) return false;
    const box = target.getBoundingClientRect();
    const frame = list.getBoundingClientRect();
    return box.bottom > frame.top && box.top < frame.bottom;
  });
}

/** Drops files onto the room as a file manager would: a drop event whose DataTransfer carries File objects. */
async function dropOnRoom(page: Page, roomName: string, file: { name: string; type: string; text: string }): Promise<void> {
  const dataTransfer = await page.evaluateHandle(({ name, type, text }) => {
    const page = globalThis as unknown as PageGlobals;
    const transfer = new page.DataTransfer();
    transfer.items.add(new page.File([text], name, { type }));
    return transfer;
  }, file);
  const room = page.getByRole('region', { name: roomName });
  await room.dispatchEvent('dragenter', { dataTransfer });
  await page.getByText('Drop files here to attach them').waitFor();
  await room.dispatchEvent('drop', { dataTransfer });
}

describe('files in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuiteWithPlainGuard());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('a chosen and a pasted image with a caption reach the other member as thumbnails sized before they load, and open in a viewer whose arrows step between them', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Photo' });
    const bob = await buildUser(server, { displayName: 'Bob Photo' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Field trip', members: [bob.user] });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'Field trip');
    await openRoom(bobPage, 'Field trip');

    await attach(alicePage, [await png('lake.png', 800, 600, { sky: '#4f8fd8', hills: '#2f6b4f' })]);
    await pasteImage(alicePage.getByLabel('Message Field trip'), await png('dunes.png', 600, 800, { sky: '#f3a65a', hills: '#c98a3c' }));
    await waitForUploads(alicePage);
    const chips = alicePage.getByRole('list', { name: 'Files to send' }).getByRole('listitem');
    assert.deepEqual(await chips.locator('.attachment__name').allTextContents(), ['lake.png', 'dunes.png']);
    await alicePage.getByLabel('Message Field trip').fill('Photos from the lake');
    await alicePage.getByLabel('Message Field trip').press('Enter');
    await chips.first().waitFor({ state: 'detached' });

    const message = messagesOf(bobPage).filter({ hasText: 'Photos from the lake' });
    const lake = message.getByRole('button', { name: 'Open image lake.png' }).getByRole('img', { name: 'lake.png' });
    assert.ok((await waitDecoded(lake)) > 0, 'the thumbnail was served and decoded');
    // Sized from the file's dimensions before the thumbnail arrives: 800×600 fits the 320×240 tile exactly.
    assert.deepEqual([await lake.getAttribute('width'), await lake.getAttribute('height')], ['320', '240']);
    const dunes = message.getByRole('img', { name: 'dunes.png' });
    assert.deepEqual([await dunes.getAttribute('width'), await dunes.getAttribute('height')], ['180', '240']);

    await message.getByRole('button', { name: 'Open image lake.png' }).click();
    const viewer = bobPage.getByRole('dialog', { name: 'lake.png' });
    assert.equal(await waitDecoded(viewer.getByRole('img', { name: 'lake.png' })), 800, 'the viewer shows the full image');
    await viewer.getByText('Image 1 of 2').waitFor();
    await saveScreenshot(bobPage, 'file-viewer');
    await bobPage.keyboard.press('ArrowRight');
    const second = bobPage.getByRole('dialog', { name: 'dunes.png' });
    assert.equal(await waitDecoded(second.getByRole('img', { name: 'dunes.png' })), 600);
    await bobPage.keyboard.press('ArrowLeft');
    await viewer.waitFor();
    await bobPage.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    const { messages } = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 10 } });
    const stored = messages.find((m) => m.text === 'Photos from the lake');
    assert.deepEqual(
      stored?.files.map((file) => [file.name, file.mime, file.width, file.height]),
      [
        ['lake.png', 'image/png', 800, 600],
        ['dunes.png', 'image/png', 600, 800],
      ],
    );
  });

  test('a text file dropped on the room goes out without a caption, shows as a card, and downloads with the same bytes', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Notes' });
    const bob = await buildUser(server, { displayName: 'Bob Notes' });
    await buildRoom(server, { owner: alice.client, name: 'Minutes', members: [bob.user] });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'Minutes');
    await openRoom(bobPage, 'Minutes');
    const notes = 'Minutes of the Kestrel meeting\n1. Launch moves to the 14th\n2. 会议纪要：下周再议\n';

    assert.equal(await alicePage.getByRole('button', { name: 'Send', exact: true }).isEnabled(), false, 'nothing to send yet');
    await dropOnRoom(alicePage, 'Minutes', { name: 'notes.txt', type: 'text/plain', text: notes });
    await waitForUploads(alicePage);
    await alicePage.getByRole('button', { name: 'Send', exact: true }).click();

    const card = messagesOf(bobPage).getByRole('group', { name: 'notes.txt' });
    await card.getByText('Plain text (.txt)').waitFor();
    await card.getByText(/^\d+ bytes/).waitFor();
    const downloading = bobPage.waitForEvent('download');
    await card.getByRole('button', { name: 'Download' }).click();
    const download = await downloading;
    assert.equal(download.suggestedFilename(), 'notes.txt');
    assert.equal(await readFile(await download.path(), 'utf8'), notes, 'the downloaded bytes are the uploaded ones');

    await card.getByRole('button', { name: 'View' }).click();
    const viewer = bobPage.getByRole('dialog', { name: 'notes.txt' });
    assert.equal(await viewer.getByLabel('Content of notes.txt').textContent(), notes);
    await bobPage.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });
  });

  test('a file above the size limit or of a refused type gets an error chip in the reader’s language, with retry and remove', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Limits' });
    const lin = await buildUser(server, { displayName: '林小雨' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Limits', members: [lin.user] });
    const { file } = await alice.client.uploadFile(room.id, new Blob(['Agenda: budget, hiring, launch\n']), { name: 'agenda.txt' });
    const photo = await png('team.png', 480, 360, { sky: '#7cb8e8', hills: '#4f7d3a' });
    const { file: image } = await alice.client.uploadFile(room.id, new Blob([photo.buffer]), { name: 'team.png' });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'Agenda and the team photo', fileIds: [file.id, image.id] } });
    const { settings } = await server.admin.client.endpoint('getAdminSettings')();
    await server.admin.client.endpoint('updateAdminSettings')({ body: { files: { ...settings.files, maxBytes: 4096 } } });
    try {
      const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
      const uploads: string[] = [];
      page.on('request', (request) => {
        if (request.method() === 'POST' && /\/api\/v1\/rooms\/[^/]+\/files$/.test(request.url())) uploads.push(request.url());
      });
      await openRoom(page, 'Limits');
      await attach(page, [textFile('report.txt', 'x'.repeat(10_000)), { name: 'tool.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0x00, 0xff, 0x13, 0x37, 0x00, 0x01, 0x02, 0x80]) }]);
      const chips = page.getByRole('list', { name: 'Files to send' }).getByRole('listitem');
      await chips.filter({ hasText: 'report.txt' }).getByRole('alert').filter({ hasText: 'The file is larger than your organisation allows.' }).waitFor();
      await chips.filter({ hasText: 'tool.bin' }).getByRole('alert').filter({ hasText: 'Files of this type are not allowed here.' }).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Send', exact: true }).isEnabled(), false, 'refused files alone are nothing to send');
      await page.getByRole('button', { name: 'Retry uploading report.txt' }).click();
      await chips.filter({ hasText: 'report.txt' }).getByRole('alert').filter({ hasText: 'The file is larger than your organisation allows.' }).waitFor();
      assert.equal(uploads.length, 1, 'only tool.bin went to the server: the client knows the size limit from sign-in');
      await waitDecoded(messagesOf(page).getByRole('img', { name: 'team.png' }));
      await saveScreenshot(page, 'files-en');
      await page.getByRole('button', { name: 'Remove tool.bin' }).click();
      await chips.filter({ hasText: 'tool.bin' }).waitFor({ state: 'detached' });
      // The administrator raises the limit while Alice is signed in: her retry asks for the policy again and goes.
      await server.admin.client.endpoint('updateAdminSettings')({ body: { files: settings.files } });
      await page.getByRole('button', { name: 'Retry uploading report.txt' }).click();
      const report = chips.filter({ hasText: 'report.txt' });
      await waitUntil('report.txt is uploaded', async () => (await report.getByRole('alert').count()) === 0 && (await report.getAttribute('aria-busy')) === null);
      assert.equal(uploads.length, 2, 'the retry went to the server once the fresh policy allowed it');
      await server.admin.client.endpoint('updateAdminSettings')({ body: { files: { ...settings.files, maxBytes: 4096 } } });

      const zhPage = await signIn(await newContext(browser, server.url), lin.username, lin.password);
      await openRoom(zhPage, 'Limits');
      await zhPage.getByLabel('Language').selectOption('zh-CN');
      await zhPage.getByRole('button', { name: '添加文件' }).waitFor();
      await attach(zhPage, [textFile('报告.txt', '数'.repeat(5000))], '添加文件');
      const zhChip = zhPage.getByRole('list', { name: '待发送的文件' }).getByRole('listitem').filter({ hasText: '报告.txt' });
      await zhChip.getByRole('alert').filter({ hasText: '文件超过了组织允许的大小。' }).waitFor();
      await zhChip.getByRole('button', { name: '重新上传 报告.txt' }).waitFor();
      const card = messagesOf(zhPage).getByRole('group', { name: 'agenda.txt' });
      await card.getByText('纯文本（.txt）').waitFor();
      await card.getByRole('button', { name: '下载' }).waitFor();
      await waitDecoded(messagesOf(zhPage).getByRole('img', { name: 'team.png' }));
      await saveScreenshot(zhPage, 'files-zh-CN');
    } finally {
      await server.admin.client.endpoint('updateAdminSettings')({ body: { files: settings.files } });
    }
  });

  test('attached files stay with the room’s draft across room switches, and Undo puts a file-only message back in the composer', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Second' });
    const bob = await buildUser(server, { displayName: 'Bob Second' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Procurement', members: [bob.user] });
    await buildRoom(server, { owner: alice.client, name: 'Elsewhere' });
    const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    await chooseUndoSendSeconds(page, 3);

    await openRoom(page, 'Procurement');
    await attach(page, [textFile('quote.txt', 'Quote: 40 chairs\n')]);
    await waitForUploads(page);
    await openRoom(page, 'Elsewhere');
    assert.equal(await page.getByRole('list', { name: 'Files to send' }).count(), 0, 'the file belongs to the other room');
    await openRoom(page, 'Procurement');
    await waitForUploads(page);

    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const bar = page.getByRole('status', { name: 'Messages about to be sent' });
    await bar.getByText(/Sending “quote.txt” in \d s…/).waitFor();
    assert.equal(await page.getByRole('list', { name: 'Files to send' }).count(), 0);
    await bar.getByRole('button', { name: 'Undo' }).click();
    await page.getByRole('list', { name: 'Files to send' }).getByText('quote.txt').waitFor();
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    await waitUntil('the file goes out after the delay', async () => {
      const { messages } = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 10 } });
      return messages.some((message) => message.files.some((file) => file.name === 'quote.txt'));
    });
  });

  test('the room’s Files panel lists every upload newest first, a page at a time, and leads to the message or the viewer', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Archive' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Archive' });
    const total = 32;
    for (let n = 1; n <= total; n += 1) {
      const { file } = await alice.client.uploadFile(room.id, new Blob([`Report number ${n}\n`]), { name: `report-${n}.txt` });
      await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `Report ${n} attached`, fileIds: [file.id] } });
    }
    const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    await openRoom(page, 'Archive');
    await page.getByRole('button', { name: 'Files', exact: true }).click();
    const panel = page.getByRole('complementary', { name: 'Files in this room' });
    const rows = panel.getByRole('list', { name: 'Files in this room' }).getByRole('listitem').filter({ has: page.getByRole('button', { name: /^Show the message with/ }) });
    await rows.first().getByText(`report-${total}.txt`).waitFor();
    assert.equal(await rows.count(), 30, 'a first page');
    await panel.getByRole('button', { name: 'Load more' }).click();
    await waitUntil('the second page is listed', async () => (await rows.count()) === total);
    await rows.last().getByText('report-1.txt').waitFor();
    await saveScreenshot(page, 'files-panel');

    await panel.getByRole('button', { name: 'View report-1.txt' }).click();
    const viewer = page.getByRole('dialog', { name: 'report-1.txt' });
    assert.equal(await viewer.getByLabel('Content of report-1.txt').textContent(), 'Report number 1\n');
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'detached' });

    await panel.getByRole('button', { name: 'Show the message with report-1.txt' }).click();
    const first = messagesOf(page).filter({ hasText: 'Report 1 attached' });
    await page.waitForURL(/\/messages\//);
    await waitUntil('the message is scrolled into view', () => inTimelineView(first));

    const { file } = await alice.client.uploadFile(room.id, new Blob(['A late addition\n']), { name: 'late.txt' });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'One more', fileIds: [file.id] } });
    await rows.first().getByText('late.txt').waitFor();
  });

  test('an administrator sets the largest file and the allowed types in the console', async () => {
    const { settings } = await server.admin.client.endpoint('getAdminSettings')();
    const page = await signIn(await newContext(browser, server.url), server.admin.username, server.admin.password);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const form = page.getByRole('region', { name: 'Files' });
    assert.equal(await form.getByLabel('Largest file (MB)').inputValue(), '25');
    const images = form.getByRole('group', { name: 'Images' });
    assert.equal(await images.getByRole('checkbox', { name: 'GIF image' }).isChecked(), true);
    assert.equal(await form.getByRole('group', { name: 'Programs' }).getByRole('checkbox', { name: 'Program (executable)' }).isChecked(), false);

    await form.getByLabel('Largest file (MB)').fill('10');
    await images.getByRole('checkbox', { name: 'GIF image' }).uncheck();
    await form.getByRole('group', { name: 'Programs' }).getByRole('checkbox', { name: 'Program (executable)' }).check();
    await form.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'file-settings');
    await form.getByRole('button', { name: 'Save' }).click();
    try {
      await waitUntil('the file policy is saved', async () => (await server.admin.client.endpoint('getAdminSettings')()).settings.files.maxBytes === 10 * 1024 * 1024);
      const { files } = (await server.admin.client.endpoint('getAdminSettings')()).settings;
      assert.equal(files.allowedTypes.includes('image/gif'), false);
      assert.equal(files.allowedTypes.includes('application/x-executable'), true);
      assert.equal(files.allowedTypes.includes('image/png'), true);
      await waitUntil('the form shows what was saved', async () => !(await form.getByRole('button', { name: 'Save' }).isEnabled()));
    } finally {
      await server.admin.client.endpoint('updateAdminSettings')({ body: { files: settings.files } });
    }
  });
});
