import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { readableTextOn } from '../src/labels/label-colours';
import { messagesOf, newContext, openRoom, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

function banner(page: Page, name: string) {
  return page.getByRole('status', { name }).locator('.label-chip');
}

describe('label colours', () => {
  test('text on a label is white on dark colours and dark on light ones', () => {
    assert.equal(readableTextOn('#b91c1c'), '#ffffff');
    assert.equal(readableTextOn('#1e3a8a'), '#ffffff');
    assert.equal(readableTextOn('#fde047'), '#1b1d28');
    assert.equal(readableTextOn('#e5e7eb'), '#1b1d28');
  });
});

describe('classification labels in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
    // These tests are about labels, not the wrong-recipient guard, which by default asks before Confidential sends.
    const { settings } = await server.admin.client.endpoint('getAdminSettings')();
    await server.admin.client.endpoint('updateAdminSettings')({ body: { sendGuard: { ...settings.sendGuard, labelAtOrAbove: null } } });
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('an owner raises a room to Confidential, both members see it live, and a Confidential message carries its label', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Label' });
    const bob = await buildUser(server, { displayName: 'Bob Label' });
    for (const { user } of [alice, bob]) await server.admin.client.endpoint('updateUser')({ params: { userId: user.id }, body: { clearance: 'confidential' } });
    const room = await buildRoom(server, { owner: alice.client, name: 'Project Kestrel', members: [bob.user] });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'Lunch at noon' } });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'Project Kestrel');
    await openRoom(bobPage, 'Project Kestrel');
    await banner(bobPage, 'Room classification').filter({ hasText: 'Internal' }).waitFor();

    await alicePage.getByRole('button', { name: 'Classification' }).click();
    const dialog = alicePage.getByRole('dialog', { name: 'Room classification' });
    await dialog.getByLabel('Classification ceiling').selectOption('confidential');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await banner(alicePage, 'Room classification').filter({ hasText: 'Confidential' }).waitFor();
    await banner(bobPage, 'Room classification').filter({ hasText: 'Confidential' }).waitFor();

    const picker = alicePage.getByLabel('Label for the message');
    assert.equal(await picker.inputValue(), 'internal', 'the picker starts at the default label');
    assert.deepEqual(await picker.locator('option').allTextContents(), ['Public', 'Internal', 'Confidential'], 'nothing above the ceiling is offered');
    await picker.selectOption('confidential');
    await alicePage.getByLabel('Message Project Kestrel').fill('Kestrel launches on the 14th');
    await alicePage.getByLabel('Message Project Kestrel').press('Enter');

    const labelled = messagesOf(bobPage).filter({ hasText: 'Kestrel launches on the 14th' });
    await labelled.locator('.label-chip').filter({ hasText: 'Confidential' }).waitFor();
    assert.equal(await messagesOf(bobPage).filter({ hasText: 'Lunch at noon' }).locator('.label-chip').count(), 0, 'the default label is not repeated on every message');
    const { messages } = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 10 } });
    assert.equal(messages.find((m) => m.text === 'Kestrel launches on the 14th')?.label, 'confidential');
    await saveScreenshot(alicePage, 'labels-en');

    await bobPage.getByLabel('Language').selectOption('zh-CN');
    await banner(bobPage, '房间密级').filter({ hasText: '机密' }).waitFor();
    await labelled.locator('.label-chip').filter({ hasText: '机密' }).waitFor();
    await saveScreenshot(bobPage, 'labels-zh-CN');
  });

  test('lowering a ceiling below what the room holds shows what is above it and needs a choice: relabel or hide', async () => {
    const carol = await buildUser(server, { displayName: 'Carol Label' });
    await server.admin.client.endpoint('updateUser')({ params: { userId: carol.user.id }, body: { clearance: 'confidential' } });
    const room = await buildRoom(server, { owner: carol.client, name: 'Downgrade desk' });
    await carol.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { ceiling: 'confidential' } });
    await carol.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'The confidential figures', label: 'confidential' } });
    const page = await signIn(await newContext(browser, server.url), carol.username, carol.password);
    await openRoom(page, 'Downgrade desk');
    const figures = messagesOf(page).filter({ hasText: 'The confidential figures' });
    await figures.locator('.label-chip').filter({ hasText: 'Confidential' }).waitFor();

    await page.getByRole('button', { name: 'Classification' }).click();
    const dialog = page.getByRole('dialog', { name: 'Room classification' });
    await dialog.getByLabel('Classification ceiling').selectOption('internal');
    await dialog.getByRole('button', { name: 'Save' }).click();
    const lower = dialog.getByRole('button', { name: 'Lower the ceiling' });
    await lower.waitFor();
    assert.equal(await lower.isDisabled(), true, 'the downgrade waits for a choice');
    await dialog.getByText('1 message labelled Confidential').waitFor();
    assert.equal((await carol.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.ceiling, 'confidential');
    await dialog.getByRole('radio', { name: /Relabel them Internal/ }).check();
    await saveScreenshot(page, 'ceiling-lowering');
    await lower.click();
    await dialog.waitFor({ state: 'detached' });
    await banner(page, 'Room classification').filter({ hasText: 'Internal' }).waitFor();
    assert.equal((await carol.client.endpoint('getRoom')({ params: { roomId: room.id } })).room.ceiling, 'internal');
    const { messages } = await carol.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
    assert.deepEqual(messages.map((message) => message.label), ['internal'], 'the content was relabelled, as chosen');
    // The open room shows the message as it is now, fetched again: the default label, so no chip.
    await figures.waitFor();
    await figures.locator('.label-chip').waitFor({ state: 'detached' });
  });

  test('an administrator sets a clearance and renames a label in the console', async () => {
    const dora = await buildUser(server, { displayName: 'Dora Label' });
    const page = await signIn(await newContext(browser, server.url), server.admin.username, server.admin.password);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('searchbox', { name: 'Search people' }).fill('Dora Label');
    await page.getByLabel('Clearance of Dora Label').selectOption('secret');
    await waitUntil('the clearance is saved', async () => (await server.admin.client.endpoint('getUser')({ params: { userId: dora.user.id } })).user.clearance === 'secret');

    await page.getByRole('tab', { name: 'Classification labels' }).click();
    await page.getByLabel('English name of public').fill('Open');
    await page.getByRole('form', { name: 'public' }).getByRole('button', { name: 'Save' }).click();
    await page.getByRole('form', { name: 'public' }).locator('.label-chip').filter({ hasText: 'Open' }).waitFor();
    const { labels } = await server.admin.client.endpoint('listLabels')();
    assert.equal(labels.find((label) => label.id === 'public')?.names.en, 'Open');
  });
});
