import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser, exportAsOfficer } from '@enclave/testkit';
import { messagesOf, newContext, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

async function openRoom(page: Page, name: string | RegExp): Promise<void> {
  await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name }).click();
}

describe('read status, presence, typing and room lifecycle in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('"Read by 1 of 2" appears live on my message when someone opens the room, and lists who read it', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Reader' });
    const bob = await buildUser(server, { displayName: 'Bob Reader' });
    const carol = await buildUser(server, { displayName: 'Carol Reader' });
    await buildRoom(server, { owner: alice.client, kind: 'group', name: 'Receipts', members: [bob.user, carol.user] });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'Receipts');
    await alicePage.getByLabel('Message Receipts').fill('Please read the brief');
    await alicePage.getByLabel('Message Receipts').press('Enter');
    const mine = messagesOf(alicePage).filter({ hasText: 'Please read the brief' });
    await mine.getByRole('button', { name: 'Read by 0 of 2' }).waitFor();

    await openRoom(bobPage, /Receipts/);
    await messagesOf(bobPage).filter({ hasText: 'Please read the brief' }).waitFor();
    await mine.getByRole('button', { name: 'Read by 1 of 2' }).click();
    const readers = alicePage.getByRole('dialog', { name: 'Read by' });
    await readers.getByText('Bob Reader').waitFor();
    assert.equal(await readers.getByText('Carol Reader').count(), 0);
    await readers.getByText(/^Read \d/).waitFor();
  });

  test('typing shows to the other person and clears when the message arrives; presence dots follow sign-in and out', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Typist' });
    const bob = await buildUser(server, { displayName: 'Bob Typist' });
    await alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [bob.user.id] } });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobContext = await newContext(browser, server.url);
    const bobPage = await signIn(bobContext, bob.username, bob.password);

    const bobInAlicesList = alicePage.getByRole('region', { name: 'Direct messages' }).getByRole('link', { name: /Bob Typist/ });
    await bobInAlicesList.getByRole('img', { name: 'Online' }).waitFor();

    await openRoom(alicePage, /Bob Typist/);
    await openRoom(bobPage, /Alice Typist/);
    await bobPage.getByLabel('Message Alice Typist').pressSequentially('On my way');
    const typing = alicePage.getByText('Bob Typist is typing…');
    await typing.waitFor();
    await bobPage.getByLabel('Message Alice Typist').press('Enter');
    await messagesOf(alicePage).filter({ hasText: 'On my way' }).waitFor();
    await typing.waitFor({ state: 'detached' });

    // Bob's DM message gets "Read" once Alice, who has the room open, has read it.
    await messagesOf(bobPage).filter({ hasText: 'On my way' }).getByRole('button', { name: 'Read', exact: true }).waitFor();

    await bobContext.close();
    await bobInAlicesList.getByRole('img', { name: 'Offline' }).waitFor();
  });

  test('a frozen room shows its reason and a closed composer; a deleted room leaves the list live', async () => {
    const member = await buildUser(server, { displayName: 'Mia Member' });
    const owner = await buildUser(server, { displayName: 'Otto Owner' });
    const frozen = await buildRoom(server, { owner: owner.client, kind: 'group', name: 'Old project', members: [member.user] });
    const doomed = await buildRoom(server, { owner: owner.client, kind: 'group', name: 'Closed deal', members: [member.user] });
    const page = await signIn(await newContext(browser, server.url), member.username, member.password);
    await openRoom(page, 'Old project');
    const composer = page.getByLabel('Message Old project');
    assert.equal(await composer.isEnabled(), true);

    await server.admin.client.endpoint('freezeRoom')({ params: { roomId: frozen.id }, body: { reason: 'Retention review' } });
    await page.getByText('This room is frozen and read-only: Retention review').waitFor();
    await page.locator('textarea.composer__input:disabled').waitFor();
    assert.equal(await composer.isEnabled(), false);
    assert.equal(await page.getByRole('button', { name: 'Reply in thread' }).count(), 0);

    await openRoom(page, 'Closed deal');
    await server.admin.client.endpoint('freezeRoom')({ params: { roomId: doomed.id }, body: { reason: 'Deal closed' } });
    await exportAsOfficer(server, doomed.id);
    await server.admin.client.endpoint('deleteRoom')({ params: { roomId: doomed.id } });
    await page.getByRole('heading', { name: 'This room was deleted' }).waitFor();
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: 'Closed deal' }).waitFor({ state: 'detached' });
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: 'Old project' }).waitFor();
  });

  test('the Chinese interface names the new features in Chinese', async () => {
    const lin = await buildUser(server, { displayName: '林小雨', username: 'lin-xiaoyu' });
    const wang = await buildUser(server, { displayName: '王大明' });
    const room = await buildRoom(server, { owner: wang.client, kind: 'channel', name: '产品讨论', members: [lin.user] });
    const { message: root } = await wang.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '@lin-xiaoyu 新版本什么时候发布？' } });
    await wang.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '下周二。', threadRootId: root.id } });
    const page = await (await newContext(browser, server.url, 'zh-CN')).newPage();
    await page.goto('/');
    await page.getByLabel('用户名').fill(lin.username);
    await page.getByLabel('密码').fill(lin.password);
    await page.getByRole('button', { name: '登录' }).click();

    await page.getByRole('link', { name: /^提及/ }).filter({ hasText: '1 条未读提及' }).click();
    await page.getByRole('heading', { level: 1, name: '提及' }).waitFor();
    await page.getByRole('feed', { name: '提及' }).getByRole('article').filter({ hasText: '新版本什么时候发布' }).waitFor();
    await saveScreenshot(page, 'mentions-zh-CN');

    await page.getByRole('navigation', { name: '会话' }).getByRole('link', { name: /产品讨论/ }).click();
    await page.getByRole('heading', { level: 1, name: '产品讨论' }).waitFor();
    await messagesOf(page).filter({ hasText: '新版本' }).getByRole('button', { name: '1 条回复' }).click();
    const panel = page.getByRole('complementary', { name: '话题' });
    await panel.getByRole('log').getByRole('article').filter({ hasText: '下周二。' }).waitFor();
    await panel.getByLabel('同时发送到房间').check();
    await panel.getByLabel('在话题中回复').fill('好的，我来准备发布说明。');
    await saveScreenshot(page, 'thread-zh-CN');
    await page.getByRole('button', { name: '置顶消息' }).waitFor();
    await page.getByRole('button', { name: '关闭通知' }).waitFor();
  });
});
