import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { newContext, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

/** The search form and its results, in English. */
function searchView(page: Page) {
  const form = page.getByRole('search', { name: 'Search messages' });
  return {
    words: form.getByRole('searchbox', { name: 'Words to find' }),
    form,
    results: page.getByRole('list', { name: 'Search results' }).getByRole('listitem'),
  };
}

async function send(client: Awaited<ReturnType<typeof buildUser>>['client'], roomId: string, text: string, threadRootId?: string) {
  const { message } = await client.endpoint('sendMessage')({ params: { roomId }, body: { text, ...(threadRootId ? { threadRootId } : {}) } });
  return message;
}

/** The texts of what the results mark as matching, in order. */
function markedWords(page: Page): Promise<string[]> {
  return page.locator('.search-result mark').allInnerTexts();
}

/** Whether the element is inside the visible part of the scrolling list around it. */
function shownInList(element: Locator): Promise<boolean> {
  return element.evaluate((node) => {
    const list = node.closest('.message-list');
    if (!list) return false;
    const box = node.getBoundingClientRect();
    const view = list.getBoundingClientRect();
    return box.top >= view.top && box.bottom <= view.bottom;
  });
}

describe('message search in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('"/" opens the search; English and Chinese words are found, newest first, with the matches marked', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Archer' });
    const bob = await buildUser(server, { displayName: 'Bob Brennan' });
    const ops = await buildRoom(server, { owner: alice.client, name: 'Ops desk', members: [bob.user] });
    const release = await buildRoom(server, { owner: alice.client, kind: 'channel', name: 'release-train', members: [bob.user] });
    await send(bob.client, ops.id, 'The deployment to staging failed twice');
    await send(bob.client, ops.id, '系统错误日志已经发送');
    await send(bob.client, ops.id, 'Lunch at noon?');
    await send(alice.client, release.id, 'Deployment checklist for Friday is ready');

    const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    await page.keyboard.press('/');
    await page.getByRole('heading', { level: 1, name: 'Search messages' }).waitFor();
    const view = searchView(page);
    await waitUntil('the search box has the focus', () => view.words.evaluate((input) => input.ownerDocument.activeElement === input));

    await view.words.fill('deployment');
    await page.getByText('2 messages found.').waitFor();
    const [newest, older] = [view.results.nth(0), view.results.nth(1)];
    assert.match(await newest.innerText(), /release-train[\s\S]*Alice Archer[\s\S]*Deployment checklist for Friday is ready/);
    assert.match(await older.innerText(), /Ops desk[\s\S]*Bob Brennan[\s\S]*The deployment to staging failed twice/);
    assert.deepEqual(await markedWords(page), ['Deployment', 'deployment']);
    await saveScreenshot(page, 'search-en');

    await view.words.fill('错误');
    await page.getByText('1 message found.').waitFor();
    assert.match(await view.results.first().innerText(), /系统错误日志已经发送/);
    assert.deepEqual(await markedWords(page), ['错误']);

    await view.words.fill('nothing like this');
    await page.getByText('No messages match.').waitFor();
    assert.equal(await view.results.count(), 0);
  });

  test('filters narrow the results, and messages of rooms I am not in never show', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Abbot' });
    const bob = await buildUser(server, { displayName: 'Bob Baker' });
    const carol = await buildUser(server, { displayName: 'Carol Cole' });
    const finance = await buildRoom(server, { owner: alice.client, name: 'Finance', members: [bob.user] });
    const marketing = await buildRoom(server, { owner: alice.client, name: 'Marketing', members: [bob.user] });
    const board = await buildRoom(server, { owner: carol.client, name: 'Board only', members: [bob.user] });
    await send(bob.client, finance.id, 'Quarterly budget draft attached below');
    await send(alice.client, marketing.id, 'Quarterly budget review on Monday');
    await send(bob.client, board.id, 'Quarterly budget secret figures');

    const page = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    await page.getByRole('link', { name: 'Search messages' }).click();
    const view = searchView(page);
    await view.words.fill('quarterly budget');
    await page.getByText('2 messages found.').waitFor();
    assert.doesNotMatch(await page.locator('.search-results').innerText(), /secret|Board only/);

    await view.form.getByLabel('Conversation').selectOption({ label: 'Finance' });
    await page.getByText('1 message found.').waitFor();
    assert.match(await view.results.first().innerText(), /Quarterly budget draft/);
    await view.form.getByLabel('Conversation').selectOption({ label: 'All my conversations' });
    await page.getByText('2 messages found.').waitFor();

    // Bob wrote in both rooms the search covers and in one it never may: only his visible message is found.
    await view.form.getByRole('combobox', { name: 'From' }).fill('bob');
    await view.form.getByRole('option', { name: /Bob Baker/ }).waitFor();
    await view.form.getByRole('combobox', { name: 'From' }).press('Enter');
    await view.form.getByRole('button', { name: 'Remove the filter for messages from Bob Baker' }).waitFor();
    await page.getByText('1 message found.').waitFor();
    assert.match(await view.results.first().innerText(), /Finance[\s\S]*Quarterly budget draft/);

    await view.form.getByLabel('Sent on or before').fill('2020-01-31');
    await page.getByText('No messages match.').waitFor();
    await view.form.getByRole('button', { name: 'Clear filters' }).click();
    await page.getByText('2 messages found.').waitFor();

    await view.words.fill('secret');
    await page.getByText('No messages match.').waitFor();
    const direct = await alice.client.endpoint('search')({ query: { q: 'secret' } });
    assert.deepEqual(direct.results, [], 'the server agrees: nothing from a room Alice is not in');
  });

  test('more results come page by page with "Load more"', async () => {
    const dana = await buildUser(server, { displayName: 'Dana Drake' });
    const room = await buildRoom(server, { owner: dana.client, name: 'Paging room' });
    for (let n = 1; n <= 25; n += 1) await send(dana.client, room.id, `Paging marker ${n}`);

    const page = await signIn(await newContext(browser, server.url), dana.username, dana.password);
    await page.keyboard.press('/');
    const view = searchView(page);
    await view.words.fill('marker');
    await page.getByText('The newest 20 matches are shown; older ones follow with “Load more”.').waitFor();
    assert.equal(await view.results.count(), 20);
    assert.match(await view.results.first().innerText(), /Paging marker 25/);

    await page.getByRole('button', { name: 'Load more' }).click();
    await page.getByText('25 messages found.').waitFor();
    assert.equal(await view.results.count(), 25);
    assert.match(await view.results.last().innerText(), /Paging marker 1(?!\d)/);
    assert.equal(await page.getByRole('button', { name: 'Load more' }).count(), 0);
  });

  test('a result opens its room at the message, marked in context; newer pages follow on scrolling, then the room is live', async () => {
    const erin = await buildUser(server, { displayName: 'Erin Ellis' });
    const frank = await buildUser(server, { displayName: 'Frank Fox' });
    const room = await buildRoom(server, { owner: erin.client, name: 'Long log', members: [frank.user] });
    const total = 120;
    for (let n = 1; n <= total; n += 1) await send(frank.client, room.id, n === 5 ? 'Log line 5 carries the kiwi checksum' : `Log line ${n}`);

    const page = await signIn(await newContext(browser, server.url), erin.username, erin.password);
    await page.keyboard.press('/');
    const view = searchView(page);
    await view.words.fill('kiwi');
    await page.getByText('1 message found.').waitFor();
    // Keyboard only: from the search box down to the result, Enter opens it.
    await view.words.press('ArrowDown');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { level: 1, name: 'Long log' }).waitFor();
    const log = page.getByRole('log', { name: 'Messages in Long log' });
    const found = log.getByRole('article').filter({ hasText: 'kiwi checksum' });
    await found.waitFor();
    assert.match((await found.getAttribute('class')) ?? '', /message--focused/);
    assert.equal(await shownInList(found), true, 'the message is scrolled into view');
    assert.equal(await shownInList(log.getByText('Log line 4', { exact: true })), true, 'with what came before it');
    assert.equal(await log.getByText(`Log line ${total}`, { exact: true }).count(), 0, 'the newest messages are not loaded yet');
    await page.getByRole('button', { name: 'Jump to the newest' }).waitFor();
    assert.match(page.url(), /\/rooms\/[^/]+\/messages\/[^/]+$/);

    // Back at the newest page and then to the result again: the room is opened at the message a second time.
    await page.getByRole('button', { name: 'Jump to the newest' }).click();
    await log.getByText(`Log line ${total}`, { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Jump to the newest' }).count(), 0);
    assert.equal(await found.count(), 0, 'the newest page does not reach back to line 5');
    await page.goBack();
    await view.results.first().click();
    await found.waitFor();

    const list = page.locator('.message-list');
    const newest = log.getByText(`Log line ${total}`, { exact: true });
    while ((await newest.count()) === 0) {
      const shown = await log.getByRole('article').count();
      await list.evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
      await waitUntil('a newer page arrives', async () => (await log.getByRole('article').count()) > shown || (await newest.count()) > 0);
    }
    const texts = await log.locator('.message__text').allInnerTexts();
    assert.deepEqual(texts, Array.from({ length: total }, (_, i) => (i === 4 ? 'Log line 5 carries the kiwi checksum' : `Log line ${i + 1}`)));
    assert.equal(await page.getByRole('button', { name: 'Jump to the newest' }).count(), 0);

    await send(frank.client, room.id, 'Live again after the search');
    await log.getByText('Live again after the search').waitFor();
  });

  test('a thread reply opens in its thread beside the room', async () => {
    const gina = await buildUser(server, { displayName: 'Gina Gray' });
    const hugo = await buildUser(server, { displayName: 'Hugo Hart' });
    const room = await buildRoom(server, { owner: gina.client, name: 'Planning', members: [hugo.user] });
    const root = await send(gina.client, room.id, 'Estimates for next quarter');
    await send(hugo.client, room.id, 'The mango estimate is ready', root.id);
    await send(gina.client, room.id, 'A later message in the room');

    const page = await signIn(await newContext(browser, server.url), gina.username, gina.password);
    await page.keyboard.press('/');
    const view = searchView(page);
    await view.words.fill('mango');
    await page.getByText('1 message found.').waitFor();
    assert.match(await view.results.first().innerText(), /in a thread/);
    await view.results.first().getByRole('link').click();

    const thread = page.getByRole('complementary', { name: 'Thread' });
    const reply = thread.getByRole('article').filter({ hasText: 'The mango estimate is ready' });
    await reply.waitFor();
    assert.match((await reply.getAttribute('class')) ?? '', /message--focused/);
    const rootInRoom = page.getByRole('log', { name: 'Messages in Planning' }).getByRole('article').filter({ hasText: 'Estimates for next quarter' });
    assert.match((await rootInRoom.getAttribute('class')) ?? '', /message--focused/);
  });

  test('the search view in Chinese: words, filters, dates and results', async () => {
    const lin = await buildUser(server, { displayName: '林小雨' });
    const wang = await buildUser(server, { displayName: '王大明' });
    const ops = await buildRoom(server, { owner: lin.client, name: '运维值班', members: [wang.user] });
    const product = await buildRoom(server, { owner: lin.client, name: '产品讨论', members: [wang.user] });
    await send(wang.client, ops.id, '系统错误日志已经发送，请查收');
    await send(lin.client, product.id, '昨天的错误已经修复');
    await send(wang.client, product.id, '周五发布新版本');

    const page = await (await newContext(browser, server.url, 'zh-CN')).newPage();
    await page.goto('/');
    await page.getByLabel('用户名').fill(lin.username);
    await page.getByLabel('密码').fill(lin.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('navigation', { name: '会话' }).waitFor();

    await page.keyboard.press('/');
    await page.getByRole('heading', { level: 1, name: '搜索消息' }).waitFor();
    const form = page.getByRole('search', { name: '搜索消息' });
    await form.getByRole('searchbox', { name: '要查找的词' }).fill('错误');
    await page.getByText('找到 2 条消息。').waitFor();
    const results = page.getByRole('list', { name: '搜索结果' }).getByRole('listitem');
    assert.match(await results.first().innerText(), /产品讨论[\s\S]*林小雨[\s\S]*\d+年\d+月\d+日[\s\S]*昨天的错误已经修复/);
    assert.deepEqual(await markedWords(page), ['错误', '错误']);

    await form.getByLabel('发送者').fill('王');
    await form.getByRole('option', { name: /王大明/ }).click();
    await page.getByText('找到 1 条消息。').waitFor();
    assert.match(await results.first().innerText(), /运维值班[\s\S]*王大明[\s\S]*系统错误日志已经发送/);
    await saveScreenshot(page, 'search-zh-CN');

    await form.getByRole('button', { name: '清除筛选' }).click();
    await page.getByText('找到 2 条消息。').waitFor();
    await form.getByLabel('会话').selectOption({ label: '产品讨论' });
    await page.getByText('找到 1 条消息。').waitFor();
    assert.match(await results.first().innerText(), /昨天的错误已经修复/);
  });
});
