import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { messagesOf, newContext, openRoom, saveScreenshot, sendFromComposer, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

/** Usernames stay unique across the tests sharing one server, and @mentions need to know them. */
const tag = () => randomBytes(3).toString('hex');

/** Runs a message's toolbar action; the toolbar shows on hover. */
async function messageAction(page: Page, text: string, action: string): Promise<void> {
  const message = messagesOf(page).filter({ hasText: text });
  await message.hover();
  await message.getByRole('toolbar').getByRole('button', { name: action }).click();
}

describe('conversations in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('an edit and a delete reach the other person live; Up in an empty composer edits my last message', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Martin' });
    const bob = await buildUser(server, { displayName: 'Bob Chen' });
    await buildRoom(server, { owner: alice.client, kind: 'group', name: 'Edits', members: [bob.user] });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'Edits');
    await openRoom(bobPage, 'Edits');

    await sendFromComposer(alicePage, 'Message Edits', 'Meeting at 3pm');
    await sendFromComposer(alicePage, 'Message Edits', 'Bring the slides');
    await messagesOf(bobPage).filter({ hasText: 'Bring the slides' }).waitFor();

    await messageAction(alicePage, 'Meeting at 3pm', 'Edit');
    await alicePage.getByLabel('Edit your message').fill('Meeting at 4pm');
    await alicePage.getByLabel('Edit your message').press('Enter');
    const edited = messagesOf(bobPage).filter({ hasText: 'Meeting at 4pm' });
    await edited.filter({ hasText: '(edited)' }).waitFor();
    assert.equal(await messagesOf(bobPage).filter({ hasText: 'Meeting at 3pm' }).count(), 0);

    // Up arrow in the empty composer opens my last message for editing; Esc gives up, Enter saves.
    const composer = alicePage.getByLabel('Message Edits');
    await composer.press('ArrowUp');
    await alicePage.getByLabel('Edit your message').waitFor();
    assert.equal(await alicePage.getByLabel('Edit your message').inputValue(), 'Bring the slides');
    await alicePage.getByLabel('Edit your message').press('Escape');
    await alicePage.getByLabel('Edit your message').waitFor({ state: 'detached' });
    await composer.press('ArrowUp');
    await alicePage.getByLabel('Edit your message').fill('Bring the printed slides');
    await alicePage.getByLabel('Edit your message').press('Enter');
    await messagesOf(bobPage).filter({ hasText: 'Bring the printed slides' }).filter({ hasText: '(edited)' }).waitFor();

    await messageAction(alicePage, 'Meeting at 4pm', 'Delete');
    await alicePage.getByRole('dialog', { name: 'Delete this message for everyone?' }).getByRole('button', { name: 'Delete' }).click();
    await messagesOf(bobPage).filter({ hasText: 'This message was deleted.' }).waitFor();
    assert.equal(await messagesOf(bobPage).filter({ hasText: 'Meeting at 4pm' }).count(), 0);
    // Bob cannot edit or delete Alice's messages: those actions are not offered to him.
    const bobsView = messagesOf(bobPage).filter({ hasText: 'Bring the printed slides' });
    await bobsView.hover();
    assert.equal(await bobsView.getByRole('button', { name: 'Edit' }).count(), 0);
    assert.equal(await bobsView.getByRole('button', { name: 'Delete' }).count(), 0);
  });

  test('reactions show live as chips with counts, mine highlighted, and toggle off again', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Martin' });
    const bob = await buildUser(server, { displayName: 'Bob Chen' });
    await buildRoom(server, { owner: alice.client, kind: 'group', name: 'Reactions', members: [bob.user] });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'Reactions');
    await openRoom(bobPage, 'Reactions');
    await sendFromComposer(alicePage, 'Message Reactions', 'We shipped it');

    await messageAction(bobPage, 'We shipped it', 'Add a reaction');
    await bobPage.getByRole('button', { name: 'React with 🎉' }).click();
    const aliceChip = messagesOf(alicePage).filter({ hasText: 'We shipped it' }).getByRole('button', { name: /^🎉 1, by Bob Chen/ });
    await aliceChip.waitFor();
    assert.equal(await aliceChip.getAttribute('aria-pressed'), 'false');

    await aliceChip.click();
    const bobChip = messagesOf(bobPage).filter({ hasText: 'We shipped it' }).getByRole('button', { name: /^🎉 2, by/ });
    await bobChip.waitFor();
    assert.equal(await bobChip.getAttribute('aria-pressed'), 'true');
    assert.match((await bobChip.getAttribute('title')) ?? '', /Alice Martin/);

    await bobChip.click();
    await messagesOf(alicePage).filter({ hasText: 'We shipped it' }).getByRole('button', { name: /^🎉 1, by Alice Martin/ }).waitFor();
  });

  test('a thread reply made in the side panel, also sent to the room, shows in both places for the other person', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Martin' });
    const bob = await buildUser(server, { displayName: 'Bob Chen' });
    await buildRoom(server, { owner: alice.client, kind: 'channel', name: 'planning', members: [bob.user] });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'planning');
    await openRoom(bobPage, 'planning');
    await sendFromComposer(alicePage, 'Message #planning', 'Which venue for the offsite?');

    await messageAction(bobPage, 'Which venue for the offsite?', 'Reply in thread');
    const panel = bobPage.getByRole('complementary', { name: 'Thread' });
    await panel.getByText('No replies yet.').waitFor();
    await panel.getByLabel('Reply in thread').fill('The lakeside one');
    await panel.getByLabel('Reply in thread').press('Enter');
    await panel.getByRole('log').getByRole('article').filter({ hasText: 'The lakeside one' }).waitFor();
    await panel.getByLabel('Also send to the room').check();
    await panel.getByLabel('Reply in thread').fill('It has a projector too');
    await panel.getByLabel('Reply in thread').press('Enter');

    // Alice: the root counts two replies; only the one also sent to the room is in her timeline, marked as a reply.
    const root = messagesOf(alicePage).filter({ hasText: 'Which venue for the offsite?' });
    await root.getByRole('button', { name: '2 replies' }).waitFor();
    const alsoInRoom = messagesOf(alicePage).filter({ hasText: 'It has a projector too' });
    await alsoInRoom.getByRole('button', { name: 'Replied in a thread' }).waitFor();
    assert.equal(await messagesOf(alicePage).filter({ hasText: 'The lakeside one' }).count(), 0);

    await root.getByRole('button', { name: '2 replies' }).click();
    const alicePanel = alicePage.getByRole('complementary', { name: 'Thread' });
    const replies = alicePanel.getByRole('log').getByRole('article');
    await replies.filter({ hasText: 'It has a projector too' }).waitFor();
    assert.deepEqual(await replies.locator('.message__text').allInnerTexts(), ['Which venue for the offsite?', 'The lakeside one', 'It has a projector too']);
    await alicePanel.getByLabel('Reply in thread').fill('Booked!');
    await saveScreenshot(alicePage, 'thread-en');
    await alicePanel.getByLabel('Reply in thread').press('Enter');
    await bobPage.getByRole('complementary', { name: 'Thread' }).getByRole('log').getByRole('article').filter({ hasText: 'Booked!' }).waitFor();

    // Esc closes the panel.
    await alicePage.locator('body').press('Escape');
    await alicePanel.waitFor({ state: 'detached' });
  });

  test('an @mention is highlighted, counted in a mention badge and listed in the mentions view', async () => {
    const suffix = tag();
    const alice = await buildUser(server, { displayName: 'Alice Martin', username: `alice-${suffix}` });
    const bob = await buildUser(server, { displayName: 'Bob Chen', username: `bob-${suffix}` });
    await buildRoom(server, { owner: bob.client, kind: 'group', name: 'Budget', members: [alice.user] });
    await buildRoom(server, { owner: bob.client, kind: 'group', name: 'Elsewhere', members: [alice.user] });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(bobPage, 'Budget');

    // Bob picks Alice from the @ suggestions rather than typing her whole name.
    const composer = bobPage.getByLabel('Message Budget');
    await composer.fill('Numbers look off, @ali');
    await bobPage.getByRole('option', { name: /Alice Martin/ }).click();
    assert.equal(await composer.inputValue(), `Numbers look off, @alice-${suffix} `);
    await composer.pressSequentially('can you check?');
    await composer.press('Enter');
    await messagesOf(bobPage).filter({ hasText: 'can you check?' }).waitFor();

    const budgetLink = alicePage.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /Budget/ });
    await budgetLink.filter({ hasText: '1 unread mention' }).waitFor();
    await alicePage.getByRole('link', { name: /Mentions/ }).filter({ hasText: '1 unread mention' }).waitFor();
    await alicePage.getByRole('link', { name: /Mentions/ }).click();
    await alicePage.getByRole('heading', { level: 1, name: 'Mentions' }).waitFor();
    const listed = alicePage.getByRole('feed', { name: 'Mentions' }).getByRole('article');
    await listed.filter({ hasText: 'can you check?' }).filter({ hasText: 'in Budget' }).waitFor();
    await saveScreenshot(alicePage, 'mentions-en');

    await listed.filter({ hasText: 'can you check?' }).click();
    await alicePage.getByRole('heading', { level: 1, name: 'Budget' }).waitFor();
    const mention = messagesOf(alicePage).filter({ hasText: 'can you check?' });
    await mention.waitFor();
    assert.match((await mention.getAttribute('class')) ?? '', /message--mentions-me/);
    assert.match((await mention.getAttribute('class')) ?? '', /message--focused/, 'the mention opens in context, marked');
    assert.match(alicePage.url(), /\/rooms\/[^/]+\/messages\/[^/]+$/);
    assert.equal(await mention.locator('.mention--me').innerText(), `@alice-${suffix}`);
    // Reading the room clears both badges.
    await budgetLink.filter({ hasText: 'unread' }).waitFor({ state: 'detached' });
    await alicePage.getByRole('link', { name: /Mentions/ }).filter({ hasText: 'unread mention' }).waitFor({ state: 'detached' });
  });

  test('Ctrl+K jumps to a room by typing part of its name', async () => {
    const carol = await buildUser(server, { displayName: 'Carol Diaz' });
    await buildRoom(server, { owner: carol.client, kind: 'channel', name: 'quarterly-review' });
    await buildRoom(server, { owner: carol.client, kind: 'channel', name: 'random' });
    const page = await signIn(await newContext(browser, server.url), carol.username, carol.password);
    await page.getByRole('link', { name: 'random' }).waitFor();
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Jump to a conversation' });
    await dialog.getByRole('combobox', { name: 'Conversation name' }).fill('review');
    assert.deepEqual(await dialog.getByRole('option').allInnerTexts(), ['quarterly-review']);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'quarterly-review' }).waitFor();
    await dialog.waitFor({ state: 'detached' });
  });

  test('picking two people starts one group DM named after them, which they see live and which is reused', async () => {
    const gail = await buildUser(server, { displayName: 'Gail Group' });
    const hugo = await buildUser(server, { displayName: 'Hugo Pick' });
    await buildUser(server, { displayName: 'Iris Pick' });
    const alicePage = await signIn(await newContext(browser, server.url), gail.username, gail.password);
    const bobPage = await signIn(await newContext(browser, server.url), hugo.username, hugo.password);

    const startGroupDm = async () => {
      await alicePage.getByRole('button', { name: 'New direct message' }).click();
      const dialog = alicePage.getByRole('dialog', { name: 'New direct message' });
      await dialog.getByLabel(/Hugo Pick/).check();
      await dialog.getByLabel(/Iris Pick/).check();
      await dialog.getByRole('button', { name: 'Start conversation' }).click();
      await alicePage.getByRole('heading', { level: 1, name: 'Hugo Pick and Iris Pick' }).waitFor();
    };
    await startGroupDm();
    await alicePage.getByText('3 members').waitFor();
    await sendFromComposer(alicePage, 'Message Hugo Pick and Iris Pick', 'Three of us here');

    const inBobsList = bobPage.getByRole('region', { name: 'Direct messages' }).getByRole('link', { name: /Gail Group and Iris Pick/ });
    await inBobsList.filter({ hasText: '1 unread message' }).waitFor();
    await inBobsList.click();
    await messagesOf(bobPage).filter({ hasText: 'Three of us here' }).waitFor();

    await startGroupDm();
    assert.equal(await alicePage.getByRole('region', { name: 'Direct messages' }).getByRole('link').count(), 1);
    assert.equal(await messagesOf(alicePage).count(), 1);
  });
});
