import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { newContext, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

describe('the copy chain in the compliance console', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('an officer looks a message up and sees its original, its forward and its edited copy, in English and Chinese', async () => {
    const username = `officer-${randomBytes(3).toString('hex')}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    await server.admin.client.endpoint('createUser')({ body: { username, password, displayName: 'Olivia Officer', role: 'compliance' } });
    const alice = await buildUser(server, { displayName: 'Alice Author' });
    const bob = await buildUser(server, { displayName: 'Bob Copier' });
    const source = await buildRoom(server, { owner: alice.client, name: 'Board room', members: [bob.user] });
    const elsewhere = await buildRoom(server, { owner: bob.client, name: 'Side room' });
    const text = (price: string) => `Board minutes: the dividend rises to ${price} cents, announced after the auditors sign on Thursday.`;
    const { message: original } = await alice.client.endpoint('sendMessage')({ params: { roomId: source.id }, body: { text: text('12') } });
    await bob.client.endpoint('forwardMessage')({ params: { messageId: original.id }, body: { roomId: elsewhere.id } });
    const { message: copy } = await bob.client.endpoint('sendMessage')({ params: { roomId: elsewhere.id }, body: { text: text('14') } });

    const page = await signIn(await newContext(browser, server.url), username, password);
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('tab', { name: 'Copy chains' }).click();
    const view = page.getByRole('region', { name: 'Copy chain' });
    await view.getByLabel('Id', { exact: true }).fill(copy.id);
    await view.getByRole('button', { name: 'Show chain' }).click();
    await view.getByRole('cell', { name: 'Original' }).waitFor();
    const rows: string[][] = [];
    for (const row of await view.locator('tbody tr').all()) rows.push((await row.locator('td').allTextContents()).slice(0, 3));
    assert.deepEqual(rows, [
      ['Original', 'Board room', 'Alice Author'],
      ['Forwarded', 'Side room', 'Bob Copier'],
      ['Similar text', 'Side room', 'Bob Copier'],
    ]);
    await saveScreenshot(page, 'copy-chain');

    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('tab', { name: '副本链' }).click();
    const zh = page.getByRole('region', { name: '副本链' });
    await zh.getByLabel('ID', { exact: true }).fill(original.id);
    await zh.getByRole('button', { name: '查看副本链' }).click();
    await zh.getByRole('cell', { name: '原件' }).waitFor();
    await zh.getByRole('cell', { name: '转发' }).waitFor();
    await zh.getByRole('cell', { name: '文字相似' }).waitFor();
  });
});
