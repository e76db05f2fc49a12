import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { findTraceCodes, formatTraceCode } from '@enclave/protocol';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { makePdf } from '../../server/test/file-fixtures';
import { type TestServer } from '../../server/test/harness';
import { pngImage } from '../../server/test/upload-helpers';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';
import { messagesOf, newContext, openRoom, saveScreenshot, signIn, startBrowserSuiteWithPlainGuard, stopBrowserSuite, waitUntil } from './browser';

/** The watermark over the room's view (conversation and thread), found by what it says to assistive technology. */
function roomMark(page: Page) {
  return page.locator('.room-with-panel > [role=note]');
}

/** A computed style of an element (the tests are type-checked without the DOM library). */
function styleOf(locator: Locator, property: string): Promise<string> {
  return locator.evaluate((element, name) => (globalThis as unknown as { getComputedStyle(of: unknown): Record<string, string> }).getComputedStyle(element)[name] ?? '', property);
}

/** The code a watermark prints (groups apart by spaces), read from its tiles and shown as `formatTraceCode` does. */
async function printedCode(mark: Locator): Promise<string> {
  return ((await mark.locator('.trace-watermark__code').first().textContent()) ?? '').replaceAll(' ', '-');
}

describe('trace watermarks in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuiteWithPlainGuard());
  });

  after(() => stopBrowserSuite({ server, browser }));

  /** Alice owns a confidential group with Bob in it (marked on a fresh install by its ceiling's label). */
  async function confidentialRoom(name: string) {
    const alice = await buildUser(server, { clearance: 'confidential', displayName: 'Alice Board' });
    const bob = await buildUser(server, { clearance: 'confidential', displayName: 'Bob Viewer' });
    const officer = await buildUser(server, { role: 'compliance' });
    const roomName = `${name} ${randomBytes(2).toString('hex')}`;
    const { room } = await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: roomName, memberIds: [bob.user.id], ceiling: 'confidential' } });
    return { alice, bob, officer, room, roomName };
  }

  test('a confidential room shows the viewer’s name, username, time and room-view code over the conversation and the thread, in both languages and at phone width; an unmarked room shows none', async () => {
    const { alice, bob, officer, room, roomName } = await confidentialRoom('Board');
    const root = await sendConfirmed(alice.client, room.id, { text: 'Q3 acquisition target: Northwind', label: 'confidential' });
    await sendConfirmed(alice.client, room.id, { text: 'Offer at 41 per share', label: 'confidential', threadRootId: root.id });
    const plain = await buildRoom(server, { owner: alice.client, name: `Lunch ${randomBytes(2).toString('hex')}`, members: [bob.user] });
    await alice.client.endpoint('sendMessage')({ params: { roomId: plain.id }, body: { text: 'Pizza on Friday?' } });
    const page = await signIn(await newContext(browser, server.url), bob.username, bob.password);

    await openRoom(page, plain.name ?? '');
    await messagesOf(page).filter({ hasText: 'Pizza on Friday?' }).waitFor();
    assert.equal(await page.locator('.trace-watermark').count(), 0, 'an unmarked room has no watermark');

    await openRoom(page, roomName);
    const mark = roomMark(page);
    await mark.waitFor();
    const code = await printedCode(mark);
    assert.equal(await mark.getAttribute('aria-label'), `Watermarked for you with trace code ${code}: a photo or copy of this view names you.`);
    const tile = mark.locator('.trace-watermark__tile').first();
    assert.match((await tile.innerText()).replace(/\s+/g, ' '), new RegExp(`^Bob Viewer ${bob.username} .*\\d{4}.* ${code.replaceAll('-', ' ')}$`));
    assert.equal(await styleOf(mark, 'pointerEvents'), 'none');
    const [resolved] = (await officer.client.endpoint('resolveTrace')({ body: { text: code } })).results;
    assert.deepEqual({ status: resolved?.status, viewer: resolved?.issue?.viewer.id, kind: resolved?.issue?.kind, itemId: resolved?.issue?.itemId }, { status: 'resolved', viewer: bob.user.id, kind: 'room-view', itemId: room.id });

    // Clicks pass through the mark: the thread opens under it, and the mark covers the thread too.
    await messagesOf(page).filter({ hasText: 'Northwind' }).getByRole('button', { name: '1 reply' }).click();
    const thread = page.getByRole('complementary', { name: 'Thread' });
    await thread.getByText('Offer at 41 per share').waitFor();
    const covers = await mark.evaluate((element, panel) => {
      const box = (element as unknown as { getBoundingClientRect(): { right: number; bottom: number } }).getBoundingClientRect();
      const side = panel!.getBoundingClientRect();
      return box.right >= side.right && box.bottom >= side.bottom;
    }, await thread.elementHandle());
    assert.ok(covers, 'the mark covers the thread panel');
    await saveScreenshot(page, 'watermark-room-en');

    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('note', { name: `此视图带有您的追踪码 ${code} 水印：拍照或复制此视图均可追溯到您。` }).waitFor();
    await waitUntil('the tiles print the date in Chinese', async () => /年/.test(await tile.innerText()));
    await saveScreenshot(page, 'watermark-room-zh-CN');
    await page.getByLabel('语言').selectOption('en');

    await page.setViewportSize({ width: 390, height: 844 });
    await mark.locator('.trace-watermark__code').first().waitFor();
    assert.equal(await printedCode(mark), code);
    await saveScreenshot(page, 'watermark-room-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('a marked file viewer carries the file-view code over an image (light and dark), a PDF page and a text file; the mark of an unmarked file is absent', async () => {
    const { alice, bob, officer, room, roomName } = await confidentialRoom('Deals');
    const { file: photo } = await alice.client.uploadFile(room.id, new Blob([await pngImage(900, 600)]), { name: 'whiteboard.png', label: 'confidential' });
    const { file: night } = await alice.client.uploadFile(room.id, new Blob([await sharp({ create: { width: 900, height: 600, channels: 3, background: '#101018' } }).png().toBuffer()]), { name: 'night.png', label: 'confidential' });
    const { file: pdf } = await alice.client.uploadFile(room.id, new Blob([await makePdf('Term sheet')]), { name: 'terms.pdf', label: 'confidential' });
    const { file: text } = await alice.client.uploadFile(room.id, new Blob(['Price: 41\n']), { name: 'price.txt', label: 'confidential' });
    await sendConfirmed(alice.client, room.id, { text: 'The deal papers', fileIds: [photo.id, night.id, pdf.id, text.id], label: 'confidential' });
    const plain = await buildRoom(server, { owner: alice.client, name: `Menus ${randomBytes(2).toString('hex')}`, members: [bob.user] });
    const { file: menu } = await alice.client.uploadFile(plain.id, new Blob(['Soup of the day\n']), { name: 'menu.txt' });
    await alice.client.endpoint('sendMessage')({ params: { roomId: plain.id }, body: { text: 'Menu', fileIds: [menu.id] } });
    const page = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(page, roomName);

    const viewerCode = async (name: string, fileId: string) => {
      const dialog = page.getByRole('dialog', { name });
      const mark = dialog.getByRole('note', { name: /trace code/ });
      await mark.waitFor();
      const code = await printedCode(mark);
      const [result] = (await officer.client.endpoint('resolveTrace')({ body: { text: code } })).results;
      assert.deepEqual({ viewer: result?.issue?.viewer.id, kind: result?.issue?.kind, itemId: result?.issue?.itemId }, { viewer: bob.user.id, kind: 'file-view', itemId: fileId });
      return code;
    };
    await messagesOf(page).getByRole('button', { name: 'Open image whiteboard.png' }).click();
    const imageCode = await viewerCode('whiteboard.png', photo.id);
    await saveScreenshot(page, 'watermark-viewer-light');
    await page.getByRole('dialog', { name: 'whiteboard.png' }).getByRole('button', { name: 'Next image' }).click();
    assert.notEqual(await viewerCode('night.png', night.id), imageCode, 'each file has its own code');
    await page.emulateMedia({ colorScheme: 'dark' });
    await saveScreenshot(page, 'watermark-viewer-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');

    await messagesOf(page).getByRole('group', { name: 'terms.pdf' }).getByRole('button', { name: 'View' }).click();
    await viewerCode('terms.pdf', pdf.id);
    await page.keyboard.press('Escape');
    await messagesOf(page).getByRole('group', { name: 'price.txt' }).getByRole('button', { name: 'View' }).click();
    await viewerCode('price.txt', text.id);
    await page.getByRole('dialog', { name: 'price.txt' }).getByText('Price: 41').waitFor();
    await page.keyboard.press('Escape');

    await openRoom(page, plain.name ?? '');
    await messagesOf(page).getByRole('group', { name: 'menu.txt' }).getByRole('button', { name: 'View' }).click();
    await page.getByRole('dialog', { name: 'menu.txt' }).getByText('Soup of the day').waitFor();
    assert.equal(await page.getByRole('dialog', { name: 'menu.txt' }).locator('.trace-watermark').count(), 0);
  });

  test('the marked view blurs while the window is in the background, and a removed or hidden mark is drawn again', async () => {
    const { alice, bob, room, roomName } = await confidentialRoom('Blur');
    await sendConfirmed(alice.client, room.id, { text: 'Layoffs list attached', label: 'confidential' });
    const page = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(page, roomName);
    const mark = roomMark(page);
    await mark.waitFor();
    const code = await printedCode(mark);
    const filterOf = () => styleOf(page.locator('.room-with-panel > .room'), 'filter');
    assert.equal(await filterOf(), 'none');

    await page.evaluate("window.dispatchEvent(new Event('blur'))");
    await waitUntil('the conversation blurs', async () => (await filterOf()).startsWith('blur('));
    assert.equal(await styleOf(mark, 'filter'), 'none', 'the mark itself stays sharp');
    await saveScreenshot(page, 'watermark-blurred');
    await page.evaluate("window.dispatchEvent(new Event('focus'))");
    await waitUntil('the conversation is sharp again', async () => (await filterOf()) === 'none');

    // Developer tools: delete the mark, hide it, blank its text. Each comes back at once.
    await mark.evaluate((element) => (element as unknown as { remove(): void }).remove());
    await waitUntil('the removed mark is back', async () => (await printedCode(roomMark(page))) === code);
    await mark.evaluate((element) => (element as unknown as { setAttribute(name: string, value: string): void }).setAttribute('style', 'display: none'));
    await waitUntil('the hidden mark shows again', async () => (await mark.getAttribute('style')) === null && (await mark.isVisible()));
    await mark.locator('.trace-watermark__code').first().evaluate((element) => ((element as unknown as { textContent: string }).textContent = ''));
    await waitUntil('the blanked code is printed again', async () => (await printedCode(mark)) === code);
  });

  test('text copied from a marked message carries the viewer’s invisible code for that message; an unmarked message copies unchanged', async () => {
    const { alice, bob, officer, room, roomName } = await confidentialRoom('Copy');
    const secret = await sendConfirmed(alice.client, room.id, { text: 'The merger closes on 3 March', label: 'confidential' });
    const plain = await buildRoom(server, { owner: alice.client, name: `Chat ${randomBytes(2).toString('hex')}`, members: [bob.user] });
    await alice.client.endpoint('sendMessage')({ params: { roomId: plain.id }, body: { text: 'See you at lunch' } });
    const page = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    // What a copy put on the clipboard, read in the page by a listener that runs after the page's own.
    await page.evaluate(`window.addEventListener('copy', (event) => {
      window.lastCopy = { prevented: event.defaultPrevented, text: event.clipboardData.getData('text/plain') };
    })`);
    const copyText = async (text: string) => {
      const issued = page.waitForResponse((response) => response.url().endsWith('/api/v1/trace-marks'));
      await messagesOf(page).filter({ hasText: text }).locator('.message__text').click({ clickCount: 3 });
      return issued;
    };
    const lastCopy = async () => (await page.evaluate('window.lastCopy')) as { prevented: boolean; text: string } | undefined;

    await openRoom(page, roomName);
    await copyText('The merger closes on 3 March');
    await page.keyboard.press('Control+C');
    const copied = await lastCopy();
    assert.ok(copied, 'the copy event reached the page');
    assert.ok(copied.text.startsWith('The merger closes on 3 March'), `copied: ${JSON.stringify(copied)}`);
    assert.equal(copied.prevented, true, 'the page wrote the clipboard itself');
    const codes = findTraceCodes(copied.text);
    assert.equal(codes.length, 1);
    assert.equal(copied.text.replace(/[\u2063\u200b\u200c\u200d\u2060]/g, '').trim(), 'The merger closes on 3 March', 'the mark is invisible');
    const [result] = (await officer.client.endpoint('resolveTrace')({ body: { text: copied.text } })).results;
    assert.deepEqual({ source: result?.source, viewer: result?.issue?.viewer.id, kind: result?.issue?.kind, itemId: result?.issue?.itemId }, { source: 'invisible', viewer: bob.user.id, kind: 'message-copy', itemId: secret.id });
    assert.notEqual(formatTraceCode(codes[0]!), await printedCode(roomMark(page)), 'a copy has its own code, not the view’s');

    await openRoom(page, plain.name ?? '');
    await messagesOf(page).filter({ hasText: 'See you at lunch' }).locator('.message__text').click({ clickCount: 3 });
    await page.evaluate('window.lastCopy = undefined');
    await page.keyboard.press('Control+C');
    const unmarked = await lastCopy();
    assert.deepEqual(unmarked, { prevented: false, text: '' }, 'the browser copies the selection itself, unchanged');
    assert.equal(await page.evaluate('document.getSelection().toString().trim()'), 'See you at lunch');
  });
});
