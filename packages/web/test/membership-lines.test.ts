import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildRoom, buildUser } from '@enclave/testkit';
import { type TestServer } from '../../server/test/harness';
import { messagesOf, newContext, openRoom, saveScreenshot, signIn, startBrowserSuiteWithPlainGuard, stopBrowserSuite } from './browser';

/** The timeline's entries, messages and membership lines alike, top to bottom. */
async function timelineTexts(page: Page): Promise<string[]> {
  return page.getByRole('log').locator('.membership-line, .message__text').allInnerTexts();
}

describe('membership lines in the room timeline, in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuiteWithPlainGuard());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('who joined, by whose invite and whose approval, left and was removed, in order with the messages, live and after a reload', async () => {
    const bob = await buildUser(server, { displayName: 'Bob Owner' });
    const carol = await buildUser(server, { displayName: 'Carol Member' });
    const li = await buildUser(server, { displayName: '李伟' });
    await server.admin.client.endpoint('updateUser')({ params: { userId: server.admin.user.id }, body: { displayName: 'Admin Ann' } });
    const room = await buildRoom(server, { owner: bob.client, name: 'Launch plans', members: [carol.user] });
    await bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'Plans before the admin came' } });
    const page = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(page, 'Launch plans');
    await messagesOf(page).filter({ hasText: 'Plans before the admin came' }).waitFor();

    // Live, while Bob watches: the admin's own invite waits for Bob, the owner, who approves it.
    const { invite } = await server.admin.client.endpoint('createInvite')({ body: { roomId: room.id } });
    await server.admin.client.endpoint('acceptInvite')({ params: { code: invite.code }, body: {} });
    const approval = (await bob.client.endpoint('listApprovals')({ query: { status: 'pending' } })).approvals.find((a) => a.details.kind === 'room-admission')!;
    await bob.client.endpoint('approveApproval')({ params: { approvalId: approval.id } });
    await page.getByText('Admin Ann joined by their own invite, approved by Bob Owner').waitFor();
    const own = await bob.client.endpoint('createInvite')({ body: { roomId: room.id } });
    await li.client.endpoint('acceptInvite')({ params: { code: own.invite.code }, body: {} });
    await page.getByText('李伟 joined · invited by Bob Owner').waitFor();
    await carol.client.endpoint('removeMember')({ params: { roomId: room.id, userId: carol.user.id } });
    await bob.client.endpoint('removeMember')({ params: { roomId: room.id, userId: li.user.id } });
    await bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'Welcome, and goodbye' } });
    await messagesOf(page).filter({ hasText: 'Welcome, and goodbye' }).waitFor();
    const expected = [
      'Bob Owner created the room with Carol Member',
      'Plans before the admin came',
      'Admin Ann joined by their own invite, approved by Bob Owner',
      '李伟 joined · invited by Bob Owner',
      'Carol Member left',
      'Bob Owner removed 李伟',
      'Welcome, and goodbye',
    ];
    assert.deepEqual(await timelineTexts(page), expected);
    assert.equal(await page.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: /Launch plans/ }).filter({ hasText: /unread/ }).count(), 0);

    await page.reload();
    await openRoom(page, 'Launch plans');
    await messagesOf(page).filter({ hasText: 'Welcome, and goodbye' }).waitFor();
    assert.deepEqual(await timelineTexts(page), expected, 'the same lines from history after a reload');
    await saveScreenshot(page, 'membership-lines');

    // In Chinese, on a phone-sized screen, the lines wrap rather than widen the page.
    const phone = await (await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })).newPage();
    await phone.goto('/');
    await phone.getByLabel('用户名').fill(bob.username);
    await phone.getByLabel('密码').fill(bob.password);
    await phone.getByRole('button', { name: '登录' }).click();
    await phone.goto(`/rooms/${room.id}`);
    await phone.getByText('Admin Ann 通过本人的邀请加入，已由 Bob Owner 批准').waitFor();
    await phone.getByText('李伟 加入了房间 · 由 Bob Owner 邀请').waitFor();
    await phone.getByText('Bob Owner 移除了 李伟').waitFor();
    for (const box of await phone.locator('.membership-line').evaluateAll((lines) => lines.map((line) => ({ left: line.getBoundingClientRect().left, right: line.getBoundingClientRect().right })))) {
      assert.ok(box.left >= 0 && box.right <= 390, `a line stays on the screen (${box.left}–${box.right})`);
    }
    await saveScreenshot(phone, 'membership-lines-zh-CN-390');
  });
});
