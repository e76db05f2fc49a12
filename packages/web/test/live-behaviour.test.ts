import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { messagesOf, newContext, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

/**
 * Stands in for the browser's Notification API (which we do not own) and reports the page as hidden, so that the
 * client's decision to notify can be watched: every notification it shows lands in `window.__shown`.
 */
const hiddenPageWithRecordedNotifications = `
  window.__shown = [];
  window.Notification = class {
    static permission = 'granted';
    static requestPermission() { return Promise.resolve('granted'); }
    constructor(title, options) { window.__shown.push({ title, body: options && options.body }); }
    close() {}
  };
  Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
`;

interface Recorded {
  __shown: { title: string; body: string }[];
}

async function shownNotifications(page: Page): Promise<Recorded['__shown']> {
  return page.evaluate(() => (globalThis as unknown as Recorded).__shown);
}

/** Waits until at least `count` notifications were shown (a function, not a string: the page's CSP forbids eval). */
async function waitForNotifications(page: Page, count: number): Promise<void> {
  await page.waitForFunction((wanted) => (globalThis as unknown as Recorded).__shown.length >= wanted, count);
}

describe('live behaviour in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('desktop notifications come for direct messages and mentions, not for muted rooms or plain chatter', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Notify' });
    const bob = await buildUser(server, { displayName: 'Bob Notify' });
    const { room: dm } = await bob.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [alice.user.id] } });
    const group = await buildRoom(server, { owner: bob.client, name: 'Busy group', members: [alice.user] });
    const context = await newContext(browser, server.url);
    await context.addInitScript(hiddenPageWithRecordedNotifications);
    const page = await signIn(context, alice.username, alice.password);
    // The room list loads once the stream is live; from then on every new message reaches the page.
    const busyGroup = page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: 'Busy group' });
    await busyGroup.waitFor();

    await bob.client.endpoint('sendMessage')({ params: { roomId: group.id }, body: { text: 'plain chatter' } });
    await bob.client.endpoint('sendMessage')({ params: { roomId: dm.id }, body: { text: 'are you free at 3?' } });
    await waitForNotifications(page, 1);
    await bob.client.endpoint('sendMessage')({ params: { roomId: group.id }, body: { text: `@${alice.username} please look` } });
    await waitForNotifications(page, 2);
    const shown = await shownNotifications(page);
    assert.deepEqual(shown.map((n) => n.body), ['are you free at 3?', `@${alice.username} please look`], 'plain chatter in a group does not notify');
    assert.ok(shown.every((n) => n.title.includes('Bob Notify')));
    await alice.client.endpoint('muteRoom')({ params: { roomId: dm.id }, body: { muted: true } });
    await page.reload();
    await busyGroup.waitFor();
    await bob.client.endpoint('sendMessage')({ params: { roomId: dm.id }, body: { text: 'muted now' } });
    await bob.client.endpoint('sendMessage')({ params: { roomId: group.id }, body: { text: `@${alice.username} after the mute` } });
    await waitForNotifications(page, 1);
    const afterReload = await shownNotifications(page);
    assert.deepEqual(afterReload.map((n) => n.body), [`@${alice.username} after the mute`], 'the muted DM stays quiet');
  });

  test('when the server goes away the page says it is reconnecting, then catches up by itself', async () => {
    const carol = await buildUser(server, { displayName: 'Carol Reconnect' });
    const dan = await buildUser(server, { displayName: 'Dan Reconnect' });
    const room = await buildRoom(server, { owner: carol.client, name: 'Restart room', members: [dan.user] });
    const page = await signIn(await newContext(browser, server.url), carol.username, carol.password);
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: 'Restart room' }).click();
    await page.getByRole('heading', { level: 1, name: 'Restart room' }).waitFor();
    const restarted = server.restart();
    await page.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor();
    await restarted;
    await dan.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'sent after the restart' } });
    await messagesOf(page).filter({ hasText: 'sent after the restart' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'Reconnecting…' }).waitFor({ state: 'detached' });
  });

  test('at phone width one pane shows at a time, with a way back to the list', async () => {
    const erin = await buildUser(server, { displayName: 'Erin Phone' });
    await buildRoom(server, { owner: erin.client, name: 'Pocket room' });
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 }, locale: 'en', isMobile: true, hasTouch: true });
    context.setDefaultTimeout(15_000);
    const page = await signIn(context, erin.username, erin.password);
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: 'Pocket room' }).click();
    await page.getByRole('heading', { level: 1, name: 'Pocket room' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Conversations' }).isVisible(), false, 'the list gives way to the room');
    await page.getByRole('button', { name: 'Back to conversations' }).click();
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: 'Pocket room' }).waitFor();
  });
});
