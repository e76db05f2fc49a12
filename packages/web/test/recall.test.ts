import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { decodeBody, messagePlace } from '../../server/src/messages/message-body.codec';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { messagesOf, newContext, openRoom, sendFromComposer, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

/** The toolbar of a message, which shows on hover. */
async function toolbarOf(page: Page, text: string) {
  const message = messagesOf(page).filter({ hasText: text });
  await message.hover();
  return message.getByRole('toolbar');
}

async function storedBody(server: TestServer, messageId: string): Promise<string> {
  const row = await server.running.database.db.selectFrom('messages').select(['body', 'room_id']).where('id', '=', messageId).executeTakeFirstOrThrow();
  return decodeBody(server.running.services.keys, messagePlace(row.room_id, messageId), row.body);
}

describe('recalling a message in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('the sender recalls a message: the others see that it was recalled, not what it said, and the server keeps it', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Martin' });
    const bob = await buildUser(server, { displayName: 'Bob Chen' });
    const room = await buildRoom(server, { owner: alice.client, kind: 'group', name: 'Recalls', members: [bob.user] });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'Recalls');
    await openRoom(bobPage, 'Recalls');
    await sendFromComposer(alicePage, 'Message Recalls', 'The door code is 4711');
    await messagesOf(bobPage).filter({ hasText: 'The door code is 4711' }).waitFor();

    // Only the sender is offered a recall.
    assert.equal(await (await toolbarOf(bobPage, 'The door code is 4711')).getByRole('button', { name: 'Recall', exact: true }).count(), 0);
    await (await toolbarOf(alicePage, 'The door code is 4711')).getByRole('button', { name: 'Recall', exact: true }).click();

    await messagesOf(bobPage).filter({ hasText: 'This message was recalled.' }).waitFor();
    assert.equal(await bobPage.getByText('The door code is 4711').count(), 0);
    const mine = messagesOf(alicePage).filter({ hasText: 'You recalled this message.' });
    await mine.waitFor();
    assert.equal(await alicePage.getByText('The door code is 4711').count(), 0);
    // A recalled message has no actions left.
    await mine.hover();
    assert.equal(await mine.getByRole('toolbar').count(), 0);

    const { messages } = await alice.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 10 } });
    const recalled = messages.find((message) => message.recalled);
    assert.ok(recalled);
    assert.equal(recalled.text, '');
    assert.equal(await storedBody(server, recalled.id), 'The door code is 4711', 'the original stays for compliance');
  });

  test('recalling with its copies takes a forward out of the other room too', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Martin' });
    const bob = await buildUser(server, { displayName: 'Bob Chen' });
    const carol = await buildUser(server, { displayName: 'Carol Wu' });
    const room = await buildRoom(server, { owner: alice.client, kind: 'group', name: 'Plans', members: [bob.user] });
    const elsewhere = await buildRoom(server, { owner: bob.client, kind: 'group', name: 'Elsewhere', members: [carol.user] });
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'The launch moves to May' } });
    await bob.client.endpoint('forwardMessage')({ params: { messageId: message.id }, body: { roomId: elsewhere.id } });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const carolPage = await signIn(await newContext(browser, server.url), carol.username, carol.password);
    await openRoom(alicePage, 'Plans');
    await openRoom(carolPage, 'Elsewhere');
    await messagesOf(carolPage).filter({ hasText: 'The launch moves to May' }).waitFor();

    await (await toolbarOf(alicePage, 'The launch moves to May')).getByRole('button', { name: 'Recall with its copies' }).click();
    await messagesOf(carolPage).filter({ hasText: 'This message was recalled.' }).waitFor();
    assert.equal(await carolPage.getByText('The launch moves to May').count(), 0);
  });

  test('a recall the server refuses shows its reason', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Martin' });
    await buildRoom(server, { owner: alice.client, kind: 'group', name: 'Too late' });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    await openRoom(alicePage, 'Too late');
    await sendFromComposer(alicePage, 'Message Too late', 'Second thoughts');
    // The page still knows the two-minute window it signed in with; the server has closed it since.
    await server.admin.client.endpoint('updateAdminSettings')({ body: { recallWindowSeconds: 0 } });
    try {
      await (await toolbarOf(alicePage, 'Second thoughts')).getByRole('button', { name: 'Recall', exact: true }).click();
      await messagesOf(alicePage).filter({ hasText: 'Second thoughts' }).getByRole('alert').filter({ hasText: 'It is too late to recall this message.' }).waitFor();
    } finally {
      await server.admin.client.endpoint('updateAdminSettings')({ body: { recallWindowSeconds: 120 } });
    }
  });

  test('in Chinese, the others see 此消息已撤回', async () => {
    const lin = await buildUser(server, { displayName: '林小雨' });
    const wang = await buildUser(server, { displayName: '王大明' });
    const room = await buildRoom(server, { owner: lin.client, kind: 'group', name: '产品讨论', members: [wang.user] });
    const { message } = await lin.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '发错群了' } });
    const page = await (await newContext(browser, server.url, 'zh-CN')).newPage();
    await page.goto('/');
    await page.getByLabel('用户名').fill(wang.username);
    await page.getByLabel('密码').fill(wang.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('link', { name: /产品讨论/ }).click();
    await page.getByRole('heading', { level: 1, name: '产品讨论' }).waitFor();
    await messagesOf(page).filter({ hasText: '发错群了' }).waitFor();

    await lin.client.endpoint('recallMessage')({ params: { messageId: message.id } });
    await messagesOf(page).filter({ hasText: '此消息已撤回。' }).waitFor();
    assert.equal(await page.getByText('发错群了').count(), 0);
  });
});
