import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { messagesOf, newContext, saveScreenshot, signIn, waitUntil, startBrowserSuite, stopBrowserSuite } from './browser';

describe('two people chatting in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('a group made in the UI carries messages live both ways, counts unread elsewhere and keeps history after a reload', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Martin' });
    const bob = await buildUser(server, { displayName: 'Bob Chen' });
    const sideProject = await buildRoom(server, { owner: alice.client, kind: 'group', name: 'Side project', members: [bob.user] });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);

    await alicePage.getByRole('button', { name: 'New group' }).click();
    const dialog = alicePage.getByRole('dialog', { name: 'New private group' });
    await dialog.getByLabel('Name').fill('Launch plan');
    await dialog.getByLabel(/Bob Chen/).check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    await alicePage.getByRole('heading', { level: 1, name: 'Launch plan' }).waitFor();
    await alicePage.getByText('2 members').waitFor();

    // Bob was added while signed in: the group appears in his list without a reload.
    await bobPage.getByRole('link', { name: 'Launch plan' }).click();
    await bobPage.getByRole('heading', { level: 1, name: 'Launch plan' }).waitFor();

    await alicePage.getByLabel('Message Launch plan').fill('Hello Bob, the plan is ready.');
    await alicePage.keyboard.press('Enter');
    await messagesOf(bobPage).filter({ hasText: 'Hello Bob, the plan is ready.' }).waitFor();
    await bobPage.getByLabel('Message Launch plan').fill('Great, reviewing it now.');
    await bobPage.keyboard.press('Enter');
    await messagesOf(alicePage).filter({ hasText: 'Great, reviewing it now.' }).waitFor();
    // Both sent messages were acknowledged: nothing is left pending.
    await alicePage.getByText('Sending…').waitFor({ state: 'detached' });
    await bobPage.getByText('Sending…').waitFor({ state: 'detached' });
    assert.equal(await messagesOf(alicePage).count(), 2);
    assert.equal(await messagesOf(bobPage).count(), 2);

    // A message in another room shows as unread for Bob, and stops once he opens that room.
    await alice.client.endpoint('sendMessage')({ params: { roomId: sideProject.id }, body: { text: 'Lunch on Friday?' } });
    const sideLink = bobPage.getByRole('link', { name: /Side project/ });
    await sideLink.filter({ hasText: '1 unread message' }).waitFor();
    await alice.client.endpoint('sendMessage')({ params: { roomId: sideProject.id }, body: { text: 'Or Monday.' } });
    await sideLink.filter({ hasText: '2 unread messages' }).waitFor();
    await saveScreenshot(bobPage, 'main-en');
    assert.equal(await bobPage.getByRole('link', { name: /Launch plan/ }).filter({ hasText: 'unread' }).count(), 0);
    await sideLink.click();
    await messagesOf(bobPage).filter({ hasText: 'Or Monday.' }).waitFor();
    await sideLink.filter({ hasText: 'unread' }).waitFor({ state: 'detached' });

    await bobPage.getByRole('link', { name: 'Launch plan' }).click();
    await bobPage.reload();
    await bobPage.getByRole('heading', { level: 1, name: 'Launch plan' }).waitFor();
    await messagesOf(bobPage).filter({ hasText: 'Great, reviewing it now.' }).waitFor();
    assert.deepEqual(
      await messagesOf(bobPage).locator('.message__text').allInnerTexts(),
      ['Hello Bob, the plan is ready.', 'Great, reviewing it now.'],
    );
    assert.equal(await bobPage.getByRole('link', { name: /Side project/ }).filter({ hasText: 'unread' }).count(), 0);
  });

  test('a group owner adds someone who sees the group at once; a plain member cannot add people', async () => {
    const owner = await buildUser(server, { displayName: 'Olga Owner' });
    const member = await buildUser(server, { displayName: 'Max Member' });
    const newcomer = await buildUser(server, { displayName: 'Nina Newcomer' });
    await buildRoom(server, { owner: owner.client, kind: 'group', name: 'Budget', members: [member.user] });
    const ownerPage = await signIn(await newContext(browser, server.url), owner.username, owner.password);
    const memberPage = await signIn(await newContext(browser, server.url), member.username, member.password);
    const newcomerPage = await signIn(await newContext(browser, server.url), newcomer.username, newcomer.password);

    await memberPage.getByRole('link', { name: 'Budget' }).click();
    await memberPage.getByText('2 members').waitFor();
    assert.equal(await memberPage.getByRole('button', { name: 'Add people' }).count(), 0);

    await ownerPage.getByRole('link', { name: 'Budget' }).click();
    await ownerPage.getByRole('button', { name: 'Add people' }).click();
    const dialog = ownerPage.getByRole('dialog', { name: 'Add people to Budget' });
    assert.equal(await dialog.getByLabel(/Max Member/).count(), 0, 'people already in the group are not offered');
    await dialog.getByLabel(/Nina Newcomer/).check();
    await dialog.getByRole('button', { name: 'Add' }).click();
    await ownerPage.getByText('3 members').waitFor();

    await memberPage.getByText('3 members').waitFor();
    await newcomerPage.getByRole('link', { name: 'Budget' }).click();
    await newcomerPage.getByRole('heading', { level: 1, name: 'Budget' }).waitFor();
    await newcomerPage.getByText('3 members').waitFor();
  });

  test('scrolling to the top of a long room loads the older pages in order', async () => {
    const carol = await buildUser(server, { displayName: 'Carol Diaz' });
    const archive = await buildRoom(server, { owner: carol.client, kind: 'channel', name: 'Archive' });
    const total = 120;
    for (let n = 1; n <= total; n += 1) {
      await carol.client.endpoint('sendMessage')({ params: { roomId: archive.id }, body: { text: `Note ${n}` } });
    }
    const page = await signIn(await newContext(browser, server.url), carol.username, carol.password);
    await page.getByRole('link', { name: 'Archive' }).click();
    await messagesOf(page).filter({ hasText: `Note ${total}` }).waitFor();
    const firstPage = await messagesOf(page).count();
    assert.ok(firstPage < total, `the first page should not hold all ${total} messages, it held ${firstPage}`);

    const beginning = page.getByText('This is the beginning of Archive.');
    const list = page.locator('.message-list');
    while (!(await beginning.isVisible())) {
      const shown = await messagesOf(page).count();
      await list.evaluate((element) => element.scrollTo({ top: 0 }));
      await waitUntil('an older page arrives', async () => (await messagesOf(page).count()) > shown || (await beginning.isVisible()));
    }
    const texts = await messagesOf(page).locator('.message__text').allInnerTexts();
    assert.deepEqual(texts, Array.from({ length: total }, (_, i) => `Note ${i + 1}`));
  });
});
