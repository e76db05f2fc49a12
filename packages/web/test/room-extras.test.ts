import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { messagesOf, newContext, openRoom, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

describe('pins, muting and drafts in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('a pinned message shows in the pins panel of everyone in the room', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Pin' });
    const bob = await buildUser(server, { displayName: 'Bob Pin' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Pinboard', members: [bob.user] });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'The agenda for Monday' } });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'Pinboard');
    await openRoom(bobPage, 'Pinboard');
    const message = messagesOf(alicePage).filter({ hasText: 'The agenda for Monday' });
    await message.hover();
    await message.getByRole('toolbar').getByRole('button', { name: 'Pin' }).click();
    await bobPage.getByRole('button', { name: 'Pinned messages' }).click();
    const panel = bobPage.getByRole('complementary', { name: 'Pinned messages' });
    await panel.getByText('The agenda for Monday').waitFor();
    assert.deepEqual((await alice.client.endpoint('listPins')({ params: { roomId: room.id } })).messages.map((m) => m.text), ['The agenda for Monday']);
  });

  test('muting a room is kept on the server and survives a reload', async () => {
    const carol = await buildUser(server, { displayName: 'Carol Mute' });
    const room = await buildRoom(server, { owner: carol.client, name: 'Noisy channel', kind: 'channel' });
    const page = await signIn(await newContext(browser, server.url), carol.username, carol.password);
    await openRoom(page, 'Noisy channel');
    await page.getByRole('button', { name: 'Mute notifications' }).click();
    await page.getByRole('button', { name: 'Unmute notifications' }).waitFor();
    assert.equal((await carol.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.muted, true);
    await page.reload();
    await openRoom(page, 'Noisy channel');
    await page.getByRole('button', { name: 'Unmute notifications' }).waitFor();
  });

  test('an unsent draft stays with its room when switching rooms and after a reload', async () => {
    const dave = await buildUser(server, { displayName: 'Dave Draft' });
    await buildRoom(server, { owner: dave.client, name: 'Drafts one' });
    await buildRoom(server, { owner: dave.client, name: 'Drafts two' });
    const page = await signIn(await newContext(browser, server.url), dave.username, dave.password);
    await openRoom(page, 'Drafts one');
    await page.getByLabel('Message Drafts one').fill('half a thought');
    await openRoom(page, 'Drafts two');
    assert.equal(await page.getByLabel('Message Drafts two').inputValue(), '');
    await openRoom(page, 'Drafts one');
    assert.equal(await page.getByLabel('Message Drafts one').inputValue(), 'half a thought');
    await page.reload();
    await openRoom(page, 'Drafts one');
    assert.equal(await page.getByLabel('Message Drafts one').inputValue(), 'half a thought');
  });
});
