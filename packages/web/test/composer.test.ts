import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { messagesOf, newContext, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

describe('the composer', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
    const writer = await buildUser(server, { displayName: 'Wen Writer' });
    await buildRoom(server, { owner: writer.client, kind: 'channel', name: 'drafts' });
    page = await signIn(await newContext(browser, server.url), writer.username, writer.password);
    await page.getByRole('link', { name: 'drafts' }).click();
    await page.getByRole('heading', { level: 1, name: 'drafts' }).waitFor();
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('Shift+Enter starts a new line and Enter sends both lines as one message', async () => {
    const input = page.getByLabel('Message #drafts');
    await input.fill('first line');
    await input.press('Shift+Enter');
    await input.pressSequentially('second line');
    assert.equal(await input.inputValue(), 'first line\nsecond line');
    assert.equal(await messagesOf(page).count(), 0);

    await input.press('Enter');
    await messagesOf(page).filter({ hasText: 'second line' }).waitFor();
    assert.equal(await messagesOf(page).locator('.message__text').innerText(), 'first line\nsecond line');
    assert.equal(await input.inputValue(), '');
  });

  test('Enter that confirms an input-method composition does not send', async () => {
    const input = page.getByLabel('Message #drafts');
    const before = await messagesOf(page).count();
    await input.focus();
    // Chromium's own IME path: while a composition is open, the Enter keydown carries isComposing = true.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'nihao', selectionStart: 5, selectionEnd: 5 });
    await page.keyboard.press('Enter');
    await cdp.send('Input.insertText', { text: '你好' });
    // Safari flags the composing Enter only by the legacy key code 229.
    await input.dispatchEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true });
    assert.match(await input.inputValue(), /你好/);

    // Both composing Enters went through React's handler before this one does; had they sent, the log would show it.
    await input.press('Enter');
    await messagesOf(page).filter({ hasText: '你好' }).waitFor();
    assert.equal(await messagesOf(page).count(), before + 1);
  });
});
