import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { User } from '@enclave/protocol';
import { EnclaveApiError, EnclaveClient } from '@enclave/sdk';
import type { Browser, Locator, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser, createApprovedDlpRule } from '@enclave/testkit';
import { chooseUndoSendSeconds, messagesOf, newContext, openRoom, saveScreenshot, sendFromComposer, signIn, startBrowserSuiteWithPlainGuard, stopBrowserSuite, waitUntil } from './browser';

type Person = Awaited<ReturnType<typeof buildUser>>;

/** A guest is an ordinary account whose role an administrator set to guest. */
async function buildGuest(server: TestServer, displayName: string): Promise<Person> {
  const person = await buildUser(server, { displayName });
  await server.admin.client.endpoint('updateUser')({ params: { userId: person.user.id }, body: { role: 'guest' } });
  return { ...person, user: { ...person.user, role: 'guest' } };
}

async function clear(server: TestServer, users: User[], clearance: string): Promise<void> {
  for (const user of users) await server.admin.client.endpoint('updateUser')({ params: { userId: user.id }, body: { clearance } });
}

async function textsIn(client: EnclaveClient, roomId: string): Promise<string[]> {
  const { messages } = await client.endpoint('listMessages')({ params: { roomId }, query: { limit: 50 } });
  return messages.map((message) => message.text);
}

/** Sends over the API, confirming through the send guard's token when the server asks, as a REST client would. */
async function sendConfirmed(client: EnclaveClient, roomId: string, body: { text: string; label?: string }): Promise<void> {
  try {
    await client.endpoint('sendMessage')({ params: { roomId }, body });
  } catch (error) {
    const confirmationToken = error instanceof EnclaveApiError && error.code === 'CONFIRMATION_REQUIRED' ? error.data?.confirmationToken : undefined;
    if (typeof confirmationToken !== 'string') throw error;
    await client.endpoint('sendMessage')({ params: { roomId }, body: { ...body, confirmationToken } });
  }
}

/** The toolbar of a message, which shows on hover. */
async function toolbarOf(page: Page, text: string) {
  const message = messagesOf(page).filter({ hasText: text });
  await message.hover();
  return message.getByRole('toolbar');
}

function userSelectOf(message: Locator): Promise<string | undefined> {
  return message.evaluate((element) => element.ownerDocument.defaultView?.getComputedStyle(element).userSelect);
}

/** Fires a copy event on a message's text, as the browser does for Ctrl+C, and tells whether the page refused it. */
function copyIsPrevented(message: Locator): Promise<boolean> {
  return message.evaluate((element) => {
    const event = new Event('copy', { bubbles: true, cancelable: true });
    element.querySelector('.message__text')?.dispatchEvent(event);
    return event.defaultPrevented;
  });
}

async function typeAndPressEnter(page: Page, composer: string, text: string): Promise<void> {
  await page.getByLabel(composer).fill(text);
  await page.getByLabel(composer).press('Enter');
}

describe('information protection in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuiteWithPlainGuard());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('the guard asks before a message goes to a room with a guest: cancel keeps the text, a bare Enter does nothing, the typed name sends; a DLP warning on an edit asks too', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Guard' });
    const bob = await buildUser(server, { displayName: 'Bob Guard' });
    const gina = await buildGuest(server, 'Gina Partner');
    const room = await buildRoom(server, { owner: alice.client, name: 'Partner desk', members: [bob.user, gina.user] });
    const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    await openRoom(page, 'Partner desk');
    await page.getByRole('status').filter({ hasText: 'Includes 1 guest from outside the organisation' }).waitFor();

    await typeAndPressEnter(page, 'Message Partner desk', 'Draft terms for the partner');
    const dialog = page.getByRole('dialog', { name: 'Check who will receive this' });
    await dialog.waitFor();
    await dialog.getByText('3 members').waitFor();
    await dialog.getByText('1 guest from outside the organisation (external)').waitFor();
    await dialog.locator('.label-chip').filter({ hasText: 'Internal' }).waitFor();
    await saveScreenshot(page, 'guard-dialog');

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitUntil('the text is back in the composer', async () => (await page.getByLabel('Message Partner desk').inputValue()) === 'Draft terms for the partner');
    assert.equal(await messagesOf(page).filter({ hasText: 'Draft terms for the partner' }).count(), 0);

    await page.getByLabel('Message Partner desk').press('Enter');
    await dialog.waitFor();
    const typed = dialog.getByLabel('Type the room name to send');
    await typed.press('Enter');
    assert.equal(await dialog.isVisible(), true, 'an Enter without the name confirms nothing');
    await typed.fill('partner desk');
    await typed.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await messagesOf(page).filter({ hasText: 'Draft terms for the partner' }).waitFor();
    assert.equal(await page.getByLabel('Message Partner desk').inputValue(), '');
    await waitUntil('the other member received it', async () => (await textsIn(bob.client, room.id)).includes('Draft terms for the partner'));

    // An edit meets the guard like a send: in this room with a guest it asks, naming a DLP warning's rule too;
    // cancelling keeps the editor and its text, and confirming retries the edit with the token.
    await server.admin.client.endpoint('createDlpRule')({
      body: { name: 'Pricing talk', detector: { kind: 'keywords', words: ['price'] }, scope: { roomIds: [room.id] }, action: 'warn' },
    });
    await (await toolbarOf(page, 'Draft terms for the partner')).getByRole('button', { name: 'Edit' }).click();
    const editor = page.getByLabel('Edit your message');
    await editor.fill('Final price for the partner');
    await editor.press('Enter');
    await dialog.getByText('Data protection rules that matched: Pricing talk').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await editor.inputValue(), 'Final price for the partner');
    await page.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('button', { name: 'Send to Partner desk' }).click();
    await editor.waitFor({ state: 'detached' });
    await waitUntil('the edit is saved', async () => (await textsIn(bob.client, room.id)).includes('Final price for the partner'));

    // Without any rule matching, the guest alone makes the edit ask.
    await (await toolbarOf(page, 'Final price for the partner')).getByRole('button', { name: 'Edit' }).click();
    await editor.fill('Final terms for the partner');
    await editor.press('Enter');
    await dialog.getByText('1 guest from outside the organisation (external)').waitFor();
    assert.equal(await dialog.getByText('Data protection rules that matched').count(), 0);
    await dialog.getByRole('button', { name: 'Send to Partner desk' }).click();
    await editor.waitFor({ state: 'detached' });
    await waitUntil('the guarded edit is saved', async () => (await textsIn(bob.client, room.id)).includes('Final terms for the partner'));
  });

  test('a Confidential message asks too, in the thread composer as well; clicking the room name delivers it to the other person', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Secret' });
    const bob = await buildUser(server, { displayName: 'Bob Secret' });
    await clear(server, [alice.user, bob.user], 'confidential');
    const room = await buildRoom(server, { owner: alice.client, name: 'Kestrel core', members: [bob.user] });
    await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { ceiling: 'confidential' } });
    const { message: root } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'Launch checklist' } });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'Kestrel core');
    await openRoom(bobPage, 'Kestrel core');

    // An Internal message goes out without a question.
    await sendFromComposer(alicePage, 'Message Kestrel core', 'Stand-up at ten');
    await alicePage.getByLabel('Label for the message').first().selectOption('confidential');
    await typeAndPressEnter(alicePage, 'Message Kestrel core', 'Launch moves to the 14th');
    const dialog = alicePage.getByRole('dialog', { name: 'Check who will receive this' });
    await dialog.locator('.label-chip').filter({ hasText: 'Confidential' }).waitFor();
    await dialog.getByRole('button', { name: 'Send to Kestrel core' }).click();
    await messagesOf(bobPage).filter({ hasText: 'Launch moves to the 14th' }).locator('.label-chip').filter({ hasText: 'Confidential' }).waitFor();

    await (await toolbarOf(alicePage, 'Launch checklist')).getByRole('button', { name: 'Reply in thread' }).click();
    const thread = alicePage.getByRole('complementary');
    const threadPicker = thread.getByLabel('Label for the message');
    assert.deepEqual(await threadPicker.locator('option').allTextContents(), ['Public', 'Internal', 'Confidential'], 'the thread composer has the same label picker');
    await threadPicker.selectOption('confidential');
    await typeAndPressEnter(alicePage, 'Reply in thread', 'Confidential reply');
    await dialog.getByRole('button', { name: 'Send to Kestrel core' }).click();
    await dialog.waitFor({ state: 'detached' });
    await waitUntil('the reply is stored as Confidential', async () => {
      const { messages } = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 10, threadRootId: root.id } });
      return messages.some((message) => message.text === 'Confidential reply' && message.label === 'confidential');
    });
  });

  test('在中文界面中，发送确认对话框同样列出访客，输入房间名称才发送', async () => {
    const lin = await buildUser(server, { displayName: '林小雨' });
    const guest = await buildGuest(server, '外部顾问');
    const room = await buildRoom(server, { owner: lin.client, name: '合作项目', members: [guest.user] });
    const page = await signIn(await newContext(browser, server.url), lin.username, lin.password);
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('link', { name: /合作项目/ }).click();
    await page.getByRole('heading', { level: 1, name: '合作项目' }).waitFor();
    await page.getByRole('status').filter({ hasText: '包含 1 位来自组织外部的访客' }).waitFor();

    await typeAndPressEnter(page, '发送消息到 合作项目', '报价单请查收');
    const dialog = page.getByRole('dialog', { name: '确认接收者' });
    await dialog.getByText('1 位组织外部的访客（外部）').waitFor();
    await dialog.getByText('2 位成员').waitFor();
    await dialog.getByRole('button', { name: '发送到 合作项目' }).waitFor();
    await saveScreenshot(page, 'guard-dialog-zh');
    await dialog.getByLabel('输入房间名称以发送').fill('合作项目');
    await dialog.getByLabel('输入房间名称以发送').press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await waitUntil('the guest received it', async () => (await textsIn(guest.client, room.id)).includes('报价单请查收'));
  });

  test('a message a DLP rule blocks stays in the composer with a notice naming the rule, in English and in Chinese', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Block' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Launch room' });
    await server.admin.client.endpoint('createDlpRule')({
      body: { name: 'Codename Nightjar', detector: { kind: 'keywords', words: ['nightjar', '夜鹰'] }, scope: { roomIds: [room.id] }, action: 'block' },
    });
    const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    await openRoom(page, 'Launch room');
    await typeAndPressEnter(page, 'Message Launch room', 'Nightjar ships on Friday');
    await page
      .getByRole('alert')
      .filter({ hasText: 'Not sent: your message breaks the data protection rule “Codename Nightjar”.' })
      .waitFor();
    await waitUntil('the text is back', async () => (await page.getByLabel('Message Launch room').inputValue()) === 'Nightjar ships on Friday');
    assert.equal(await messagesOf(page).filter({ hasText: 'Nightjar ships on Friday' }).count(), 0);
    await saveScreenshot(page, 'dlp-blocked');

    await page.getByLabel('Language').selectOption('zh-CN');
    await typeAndPressEnter(page, '发送消息到 Launch room', '夜鹰项目周五上线');
    await page.getByRole('alert').filter({ hasText: '未发送：消息违反了数据保护规则 “Codename Nightjar”。' }).waitFor();
    await waitUntil('the text is back', async () => (await page.getByLabel('发送消息到 Launch room').inputValue()) === '夜鹰项目周五上线');
    assert.deepEqual(await textsIn(alice.client, room.id), [], 'nothing was stored');
  });

  test('a message held for review clears the composer, says it waits for a compliance officer, and tells the sender when it is released', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Held' });
    const bob = await buildUser(server, { displayName: 'Bob Held' });
    const officer = await buildUser(server, { displayName: 'Olga Compliance' });
    await server.admin.client.endpoint('updateUser')({ params: { userId: officer.user.id }, body: { role: 'compliance' } });
    const officerClient = new EnclaveClient({ baseUrl: server.url });
    await officerClient.login(officer.username, officer.password);
    const room = await buildRoom(server, { owner: alice.client, name: 'Payroll', members: [bob.user] });
    // A review rule watching one small group waits for a second approver: the officer approves it.
    await createApprovedDlpRule(server.admin.client, officerClient, { name: 'Salary figures', detector: { kind: 'keywords', words: ['salary'] }, scope: { roomIds: [room.id] }, action: 'review' });
    const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    await openRoom(page, 'Payroll');

    await typeAndPressEnter(page, 'Message Payroll', 'The salary table for March');
    await page.getByRole('status').filter({ hasText: 'Your message is waiting for a compliance officer to review it.' }).waitFor();
    assert.equal(await page.getByLabel('Message Payroll').inputValue(), '', 'the composer is cleared');
    assert.deepEqual(await textsIn(bob.client, room.id), [], 'nobody has it yet');

    const { reviews } = await officerClient.endpoint('listReviews')({ query: { status: 'pending' } });
    const held = reviews.find((review) => review.text === 'The salary table for March');
    assert.ok(held);
    await officerClient.endpoint('releaseReview')({ params: { reviewId: held.id }, body: {} });
    await page.getByRole('status').filter({ hasText: 'A compliance officer released your held message: it has been delivered.' }).waitFor();
    await messagesOf(page).filter({ hasText: 'The salary table for March' }).waitFor();
    assert.ok((await textsIn(bob.client, room.id)).includes('The salary table for March'));
  });

  test('undo send holds a message for the chosen seconds; Undo puts it back and it is never sent; closing the page keeps it as a draft', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Undo' });
    const bob = await buildUser(server, { displayName: 'Bob Undo' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Second thoughts', members: [bob.user] });
    const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    await chooseUndoSendSeconds(page, 3);
    await openRoom(page, 'Second thoughts');

    await typeAndPressEnter(page, 'Message Second thoughts', 'Sent to the wrong room');
    const bar = page.getByRole('status', { name: 'Messages about to be sent' });
    await bar.getByText(/Sending “Sent to the wrong room” in \d s…/).waitFor();
    assert.equal(await page.getByLabel('Message Second thoughts').inputValue(), '');
    await saveScreenshot(page, 'undo-send');
    await bar.getByRole('button', { name: 'Undo' }).click();
    await waitUntil('Undo puts the text back', async () => (await page.getByLabel('Message Second thoughts').inputValue()) === 'Sent to the wrong room');

    await typeAndPressEnter(page, 'Message Second thoughts', 'Meant to send this one');
    await waitUntil('without Undo it goes out after the delay', async () => (await textsIn(bob.client, room.id)).includes('Meant to send this one'));
    assert.ok(!(await textsIn(bob.client, room.id)).includes('Sent to the wrong room'), 'the undone message was never sent, though its delay has passed');

    await page.getByLabel('Message Second thoughts').fill('Left while waiting');
    await page.getByLabel('Message Second thoughts').press('Enter');
    await bar.waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Second thoughts' }).waitFor();
    await waitUntil('the held text is back as a draft', async () => (await page.getByLabel('Message Second thoughts').inputValue()) === 'Left while waiting');
    // A message sent after the reload arrives when the earlier one's delay has long passed.
    await typeAndPressEnter(page, 'Message Second thoughts', 'Sent after the reload');
    await waitUntil('the later message arrives', async () => (await textsIn(bob.client, room.id)).includes('Sent after the reload'));
    assert.ok(!(await textsIn(bob.client, room.id)).includes('Left while waiting'), 'a page closed during the delay sends nothing');
  });

  test('forwarding shows where a message came from; a forward the server refuses says why; policy hides the action', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Forward' });
    const bob = await buildUser(server, { displayName: 'Bob Forward' });
    const carol = await buildUser(server, { displayName: 'Carol Outside' });
    await clear(server, [alice.user], 'confidential');
    const source = await buildRoom(server, { owner: alice.client, name: 'Finance source', members: [bob.user] });
    await buildRoom(server, { owner: alice.client, name: 'Leadership', members: [bob.user, carol.user] });
    const vault = await buildRoom(server, { owner: alice.client, name: 'Vault' });
    await alice.client.endpoint('updateRoom')({ params: { roomId: vault.id }, body: { ceiling: 'confidential' } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: source.id }, body: { text: 'Quarterly numbers are in' } });
    await sendConfirmed(alice.client, vault.id, { text: 'The acquisition price', label: 'confidential' });
    const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const carolPage = await signIn(await newContext(browser, server.url), carol.username, carol.password);

    await openRoom(page, 'Finance source');
    await (await toolbarOf(page, 'Quarterly numbers are in')).getByRole('button', { name: 'Forward' }).click();
    const dialog = page.getByRole('dialog', { name: 'Forward the message' });
    await dialog.getByLabel('Find a conversation').fill('lead');
    assert.equal(await dialog.getByRole('button', { name: 'Forward to Vault' }).count(), 0, 'the search narrows the rooms');
    await dialog.getByRole('button', { name: 'Forward to Leadership' }).click();
    await dialog.waitFor({ state: 'detached' });

    await openRoom(page, 'Leadership');
    const forwarded = messagesOf(page).filter({ hasText: 'Quarterly numbers are in' });
    await forwarded.getByText(/Forwarded from Alice Forward · Finance source · /).waitFor();
    await forwarded.locator('.forwarded-from .label-chip').filter({ hasText: 'Internal' }).waitFor();
    await saveScreenshot(page, 'forward-provenance');
    await openRoom(carolPage, 'Leadership');
    await messagesOf(carolPage).filter({ hasText: 'Quarterly numbers are in' }).getByText(/Forwarded from Alice Forward · another conversation · /).waitFor();

    await openRoom(page, 'Vault');
    await (await toolbarOf(page, 'The acquisition price')).getByRole('button', { name: 'Forward' }).click();
    await dialog.getByRole('button', { name: 'Forward to Leadership' }).click();
    await dialog.getByRole('alert').filter({ hasText: "The message's label is above this room's ceiling." }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await alice.client.endpoint('updateRoom')({ params: { roomId: vault.id }, body: { forwarding: 'never' } });
    await page.getByRole('heading', { level: 1, name: 'Vault' }).waitFor();
    await waitUntil('the Forward action is gone', async () => (await (await toolbarOf(page, 'The acquisition price')).getByRole('button', { name: 'Forward' }).count()) === 0);
  });

  test('the sender restricts a message: a lock says so, and others can neither forward nor copy it', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Restrict' });
    const bob = await buildUser(server, { displayName: 'Bob Restrict' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Board prep', members: [bob.user] });
    await bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'Agenda draft' } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'Only for this room' } });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'Board prep');
    await openRoom(bobPage, 'Board prep');
    assert.equal(await (await toolbarOf(bobPage, 'Only for this room')).getByRole('button', { name: 'Restrict…' }).count(), 0, 'not my message, not my room');

    await (await toolbarOf(alicePage, 'Only for this room')).getByRole('button', { name: 'Restrict…' }).click();
    const dialog = alicePage.getByRole('dialog', { name: 'Restrict this message' });
    await dialog.getByLabel('No forwarding').check();
    await dialog.getByLabel('No copying').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });

    const restricted = messagesOf(bobPage).filter({ hasText: 'Only for this room' });
    await restricted.getByRole('img', { name: 'Restricted: cannot be forwarded, cannot be copied' }).waitFor();
    await waitUntil('Forward is gone for Bob', async () => (await (await toolbarOf(bobPage, 'Only for this room')).getByRole('button', { name: 'Forward' }).count()) === 0);
    assert.equal(await userSelectOf(restricted), 'none');
    const { messages } = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 5 } });
    assert.deepEqual(messages.find((message) => message.text === 'Only for this room')?.restrictions, { noForward: true, noCopy: true, noDownload: false });
    assert.equal(await (await toolbarOf(alicePage, 'Agenda draft')).getByRole('button', { name: 'Restrict…' }).count(), 1, 'a room owner may restrict any message');
  });

  test('in a room that forbids copying, messages cannot be selected or copied, and the header says so', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Copy' });
    const bob = await buildUser(server, { displayName: 'Bob Copy' });
    const room = await buildRoom(server, { owner: alice.client, name: 'No copies', members: [bob.user] });
    const open = await buildRoom(server, { owner: alice.client, name: 'Copies welcome', members: [bob.user] });
    await alice.client.endpoint('updateRoom')({ params: { roomId: room.id }, body: { copyAllowed: false } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'Do not paste this anywhere' } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: open.id }, body: { text: 'Paste this anywhere' } });
    const page = await signIn(await newContext(browser, server.url), bob.username, bob.password);

    await openRoom(page, 'No copies');
    const note = page.getByText('Copying is disabled in this room');
    await note.waitFor();
    assert.match((await note.getAttribute('title')) ?? '', /cannot stop screenshots/, 'the tooltip says it is a deterrent');
    const guarded = messagesOf(page).filter({ hasText: 'Do not paste this anywhere' });
    assert.equal(await userSelectOf(guarded), 'none');
    assert.equal(await copyIsPrevented(guarded), true);

    await openRoom(page, 'Copies welcome');
    const free = messagesOf(page).filter({ hasText: 'Paste this anywhere' });
    assert.notEqual(await userSelectOf(free), 'none');
    assert.equal(await copyIsPrevented(free), false);
    assert.equal(await page.getByText('Copying is disabled in this room').count(), 0);
  });

  test('a guest is marked External beside their name in messages, pickers and the room list, and 外部 in Chinese', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Host' });
    const gina = await buildGuest(server, 'Gina Guest');
    await buildGuest(server, 'Gus Visitor');
    const room = await buildRoom(server, { owner: alice.client, name: 'partner-lounge', members: [gina.user] });
    await sendConfirmed(gina.client, room.id, { text: 'Hello from the partner side' });
    await alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [gina.user.id] } });
    const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    await openRoom(page, 'partner-lounge');

    const header = messagesOf(page).filter({ hasText: 'Hello from the partner side' }).locator('.message__header');
    await header.getByText('External', { exact: true }).waitFor();
    assert.equal(await header.locator('.guest-badge').getAttribute('title'), 'A guest from outside the organisation');
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /Gina Guest/ }).getByText('External').waitFor();
    await page.getByRole('button', { name: 'Add people' }).click();
    const picker = page.getByRole('dialog', { name: 'Add people to partner-lounge' });
    await picker.getByLabel('Find people').fill('Gus');
    await picker.locator('.person-option').filter({ hasText: 'Gus Visitor' }).getByText('External').waitFor();
    await picker.getByRole('button', { name: 'Cancel' }).click();

    await page.getByLabel('Language').selectOption('zh-CN');
    await header.getByText('外部', { exact: true }).waitFor();
  });
});
