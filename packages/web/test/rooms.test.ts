import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { messagesOf, newContext, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

describe('finding and starting conversations', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('a person joins a channel from the directory', async () => {
    const host = await buildUser(server, { displayName: 'Hana Host' });
    const joiner = await buildUser(server, { displayName: 'Jo Joiner' });
    const general = await buildRoom(server, { owner: host.client, kind: 'channel', name: 'general' });
    await host.client.endpoint('sendMessage')({ params: { roomId: general.id }, body: { text: 'Welcome, everyone.' } });
    const page = await signIn(await newContext(browser, server.url), joiner.username, joiner.password);
    assert.equal(await page.getByRole('link', { name: 'general' }).count(), 0);

    await page.getByRole('button', { name: 'Browse channels' }).click();
    await page.getByRole('dialog', { name: 'Browse channels' }).getByRole('button', { name: 'Join general' }).click();
    await page.getByRole('heading', { level: 1, name: 'general' }).waitFor();
    await page.getByText('2 members').waitFor();
    await messagesOf(page).filter({ hasText: 'Welcome, everyone.' }).waitFor();
    await page.getByRole('link', { name: 'general' }).waitFor();
  });

  test('a direct message reaches the other person live and is reused rather than duplicated', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Martin' });
    const bob = await buildUser(server, { displayName: 'Bob Chen' });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);

    const startDirectMessage = async () => {
      await alicePage.getByRole('button', { name: 'New direct message' }).click();
      const dialog = alicePage.getByRole('dialog', { name: 'New direct message' });
      await dialog.getByLabel('Find people').fill('bob');
      await dialog.getByLabel(/Bob Chen/).check();
      await dialog.getByRole('button', { name: 'Start conversation' }).click();
      await alicePage.getByRole('heading', { level: 1, name: 'Bob Chen' }).waitFor();
    };
    await startDirectMessage();
    await alicePage.getByLabel('Message Bob Chen').fill('Got a minute?');
    await alicePage.keyboard.press('Enter');

    const fromAlice = bobPage.getByRole('region', { name: 'Direct messages' }).getByRole('link', { name: /Alice Martin/ });
    await fromAlice.filter({ hasText: '1 unread message' }).waitFor();
    await fromAlice.click();
    await messagesOf(bobPage).filter({ hasText: 'Got a minute?' }).waitFor();

    await startDirectMessage();
    assert.equal(await alicePage.getByRole('region', { name: 'Direct messages' }).getByRole('link').count(), 1);
    assert.equal(await messagesOf(alicePage).count(), 1);
  });
});
