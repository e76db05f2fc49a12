import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import { makePdf } from '../../server/test/file-fixtures';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { messagesOf, newContext, openRoom, saveScreenshot, signIn, startBrowserSuiteWithPlainGuard, stopBrowserSuite, waitUntil } from './browser';
import { pngImage } from '../../server/test/upload-helpers';
import { attach, textFile, waitForUploads } from './file-picking';

/** An image element's decoded width, 0 until it is decoded (the tests are type-checked without the DOM library). */
function decodedWidth(image: Locator): Promise<number> {
  return image.evaluate((element) => {
    const img = element as unknown as { complete: boolean; naturalWidth: number };
    return img.complete ? img.naturalWidth : 0;
  });
}

// Apart from files.test.ts so that neither browser suite comes near the runner's per-file time limit.
describe('files under information protection in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuiteWithPlainGuard());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('in a view-only room files show View only and no Download; images and PDF pages are shown as the server draws them, text not at all; a download refused anyway shows the server’s reason', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Secret' });
    const bob = await buildUser(server, { displayName: 'Bob Secret' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Board papers', members: [bob.user] });
    await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { downloadAllowed: false } });
    const { file } = await alice.client.uploadFile(room.id, new Blob(['Draft budget: do not circulate\n']), { name: 'budget.txt' });
    const { file: pdf } = await alice.client.uploadFile(room.id, new Blob([await makePdf('Board minutes\fSecond page: decisions')]), { name: 'minutes.pdf' });
    const { file: photo } = await alice.client.uploadFile(room.id, new Blob([await pngImage(900, 600)]), { name: 'whiteboard.png' });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'The draft budget', fileIds: [file.id, pdf.id, photo.id] } });
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(bobPage, 'Board papers');

    // View-only text would be the original bytes, which the server does not send: no View, no Download.
    const card = messagesOf(bobPage).filter({ hasText: 'The draft budget' }).getByRole('group', { name: 'budget.txt' });
    await card.getByText('View only').waitFor();
    assert.equal(await card.getByRole('button', { name: 'Download' }).count(), 0);
    assert.equal(await card.getByRole('button', { name: 'View' }).count(), 0);
    await saveScreenshot(bobPage, 'files-view-only');

    // A view-only PDF is the server's pictures of its pages, turned with the buttons; no frame holds the file.
    const pdfCard = messagesOf(bobPage).getByRole('group', { name: 'minutes.pdf' });
    await pdfCard.getByText('View only').waitFor();
    await pdfCard.getByRole('button', { name: 'View' }).click();
    const pdfViewer = bobPage.getByRole('dialog', { name: 'minutes.pdf' });
    const firstPage = pdfViewer.getByRole('img', { name: 'Page 1 of 2' });
    await firstPage.waitFor();
    assert.equal(await pdfViewer.locator('iframe').count(), 0);
    assert.match((await firstPage.getAttribute('src')) ?? '', new RegExp(`/api/v1/files/${pdf.id}/pages/1$`));
    await waitUntil('the first page is drawn', () => decodedWidth(firstPage).then((width) => width > 0));
    await pdfViewer.getByRole('button', { name: 'Next page' }).click();
    const secondPage = pdfViewer.getByRole('img', { name: 'Page 2 of 2' });
    await waitUntil('the second page is drawn', () => decodedWidth(secondPage).then((width) => width > 0));
    assert.equal(await pdfViewer.getByRole('button', { name: 'Next page' }).isDisabled(), true);
    assert.equal(await pdfViewer.getByRole('button', { name: 'Download' }).count(), 0);
    await saveScreenshot(bobPage, 'files-view-only-pdf');
    await bobPage.keyboard.press('Escape');
    await pdfViewer.waitFor({ state: 'detached' });

    // A view-only image opens as the server's re-drawn preview, never the original.
    await messagesOf(bobPage).getByRole('button', { name: 'Open image whiteboard.png' }).click();
    const lightbox = bobPage.getByRole('dialog', { name: 'whiteboard.png' });
    const shown = lightbox.getByRole('img', { name: 'whiteboard.png' });
    assert.match((await shown.getAttribute('src')) ?? '', new RegExp(`/api/v1/files/${photo.id}/preview$`));
    await waitUntil('the preview is drawn', () => decodedWidth(shown).then((width) => width === 900));
    await bobPage.keyboard.press('Escape');
    await lightbox.waitFor({ state: 'detached' });

    // The same in Chinese.
    await bobPage.getByLabel('Language').selectOption('zh-CN');
    await card.getByText('仅供查看').waitFor();
    await pdfCard.getByRole('button', { name: '查看' }).click();
    await bobPage.getByRole('dialog', { name: 'minutes.pdf' }).getByRole('img', { name: '第 1 页，共 2 页' }).waitFor();
    await bobPage.keyboard.press('Escape');
    await bobPage.getByLabel('语言').selectOption('en');

    // The owner opens downloads again; Bob's page follows live, but a label made view-only meanwhile is news to it.
    await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { downloadAllowed: true } });
    await card.getByRole('button', { name: 'Download' }).waitFor();
    await server.admin.client.endpoint('updateLabel')({ params: { labelId: 'internal' }, body: { downloadAllowed: false } });
    try {
      await card.getByRole('button', { name: 'Download' }).click();
      await card.getByRole('alert').filter({ hasText: 'This file is view-only: it can be viewed as a preview but not downloaded or opened as the original.' }).waitFor();
    } finally {
      await server.admin.client.endpoint('updateLabel')({ params: { labelId: 'internal' }, body: { downloadAllowed: true } });
    }
  });

  test('when the guard asks about a message with files, cancelling puts the files back in the composer and confirming sends them', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Guarded' });
    const bob = await buildUser(server, { displayName: 'Bob Guarded' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Supplier desk', members: [bob.user] });
    const { settings } = await server.admin.client.endpoint('getAdminSettings')();
    await server.admin.client.endpoint('updateAdminSettings')({ body: { sendGuard: { ...settings.sendGuard, files: true } } });
    try {
      const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
      await openRoom(page, 'Supplier desk');
      await attach(page, [textFile('prices.txt', 'Unit price 12.40\n')]);
      await waitForUploads(page);
      await page.getByLabel('Message Supplier desk').fill('Our prices');
      await page.getByLabel('Message Supplier desk').press('Enter');
      const dialog = page.getByRole('dialog', { name: 'Check who will receive this' });
      await dialog.getByText('With 1 file: prices.txt').waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      await page.getByRole('list', { name: 'Files to send' }).getByText('prices.txt').waitFor();
      await waitUntil('the caption is back too', async () => (await page.getByLabel('Message Supplier desk').inputValue()) === 'Our prices');

      await page.getByLabel('Message Supplier desk').press('Enter');
      await dialog.getByRole('button', { name: 'Send to Supplier desk' }).click();
      await messagesOf(page).filter({ hasText: 'Our prices' }).getByRole('group', { name: 'prices.txt' }).waitFor();
      const { messages } = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 10 } });
      assert.deepEqual(messages.find((m) => m.text === 'Our prices')?.files.map((file) => file.name), ['prices.txt']);
    } finally {
      await server.admin.client.endpoint('updateAdminSettings')({ body: { sendGuard: settings.sendGuard } });
    }
  });

  test('a data protection rule that matches inside a file blocks the message, and the file and its caption come back to the composer', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Codename' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Launch desk' });
    const { rule } = await server.admin.client.endpoint('createDlpRule')({
      body: { name: 'Project codenames', detector: { kind: 'keywords', words: ['kestrel'] }, scope: { roomIds: [room.id] }, action: 'block' },
    });
    try {
      const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
      await openRoom(page, 'Launch desk');
      await attach(page, [textFile('plan.txt', 'The Kestrel launch plan\n')]);
      await waitForUploads(page);
      await page.getByLabel('Message Launch desk').fill('See the plan');
      await page.getByLabel('Message Launch desk').press('Enter');
      await page.getByRole('alert').filter({ hasText: 'Not sent: your message breaks the data protection rule “Project codenames”' }).waitFor();
      await page.getByRole('list', { name: 'Files to send' }).getByText('plan.txt').waitFor();
      await waitUntil('the caption is back', async () => (await page.getByLabel('Message Launch desk').inputValue()) === 'See the plan');
      const { messages } = await alice.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 10 } });
      assert.equal(messages.length, 0, 'nothing was delivered');
    } finally {
      await server.admin.client.endpoint('deleteDlpRule')({ params: { ruleId: rule.id } });
    }
  });

  test('a file the rules cannot read to the end is refused in a guarded room, and the notice says which file, in both languages', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Locked' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Deal room' });
    const { rule } = await server.admin.client.endpoint('createDlpRule')({
      body: { name: 'Deal names', detector: { kind: 'keywords', words: ['bluebird'] }, scope: { roomIds: [room.id] }, action: 'block' },
    });
    const unreadable = { name: 'locked.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\nthis is not really a PDF') };
    try {
      const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
      await openRoom(page, 'Deal room');
      await attach(page, [unreadable]);
      await waitForUploads(page);
      await page.getByLabel('Message Deal room').press('Enter');
      await page
        .getByRole('alert')
        .filter({ hasText: 'Not sent: your message breaks the data protection rule “Deal names”. It is back in the composer. Enclave could not read all of “locked.pdf”' })
        .waitFor();
      await page.getByRole('list', { name: 'Files to send' }).getByText('locked.pdf').waitFor();

      const zh = await signIn(await newContext(browser, server.url), alice.username, alice.password);
      await openRoom(zh, 'Deal room');
      await zh.getByLabel('Language').selectOption('zh-CN');
      await zh.getByRole('button', { name: '添加文件' }).waitFor();
      await attach(zh, [unreadable], '添加文件');
      await waitForUploads(zh, '发送');
      await zh.getByLabel('发送消息到 Deal room').press('Enter');
      await zh.getByRole('alert').filter({ hasText: '无法完整读取 “locked.pdf”' }).waitFor();
      const { messages } = await alice.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 10 } });
      assert.equal(messages.length, 0, 'nothing was delivered');
    } finally {
      await server.admin.client.endpoint('deleteDlpRule')({ params: { ruleId: rule.id } });
    }
  });
});
