import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ScheduledMessage } from '@enclave/protocol';
import { buildRoom, buildUser, createApprovedDlpRule } from '@enclave/testkit';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { wallTimeOf } from '../src/scheduled/send-time';
import { messagesOf, newContext, openRoom, saveScreenshot, signIn, startBrowserSuiteWithPlainGuard, stopBrowserSuite } from './browser';

const HOUR = 3_600_000;

/** The time the server's scheduled sends go by: the tests move it on and poke the job instead of waiting. */
class TestClock {
  at = Date.now();
  now = () => this.at;
}

/** Signs in through the Chinese sign-in form and waits for the conversation list. */
async function signInChinese(context: BrowserContext, username: string, password: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('navigation', { name: '会话' }).waitFor();
  return page;
}

async function openSendOptions(page: Page, text: string, composer: string): Promise<void> {
  await page.getByLabel(composer).fill(text);
  await page.getByRole('button', { name: 'Later or urgent' }).click();
}

describe('scheduled and urgent messages in the browser', () => {
  const clock = new TestClock();
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuiteWithPlainGuard({ clock }));
  });

  after(() => stopBrowserSuite({ server, browser }));

  const mine = async (client: TestServer['admin']['client']): Promise<ScheduledMessage[]> => (await client.endpoint('listScheduledMessages')()).scheduled;
  /** Moves the server's clock to just after `sendAt` and lets the job send what is due. */
  const sendDueAt = async (sendAt: string) => {
    clock.at = Date.parse(sendAt) + 1000;
    await server.running.services.scheduledSends.poke();
  };

  test('a message scheduled from the composer is listed, rescheduled, cancelled, and one goes at its time', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Martin' });
    const bob = await buildUser(server, { displayName: 'Bob Chen' });
    const room = await buildRoom(server, { owner: alice.client, kind: 'group', name: 'Launch', members: [bob.user] });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'Launch');
    await openRoom(bobPage, 'Launch');

    const schedule = async (text: string, preset: string) => {
      await openSendOptions(alicePage, text, 'Message Launch');
      await alicePage.getByRole('menuitem', { name: 'Schedule send' }).click();
      const dialog = alicePage.getByRole('dialog', { name: 'Schedule send' });
      await dialog.getByRole('button', { name: new RegExp(`^${preset}`) }).click();
      await dialog.getByRole('button', { name: 'Schedule', exact: true }).click();
      await dialog.waitFor({ state: 'detached' });
      assert.equal(await alicePage.getByLabel('Message Launch').inputValue(), '', 'the composer is cleared once it is scheduled');
    };
    await schedule('Stand-up moves to 10:00', 'In 1 hour');
    await schedule('Quarterly numbers are in', 'Tomorrow 09:00');
    await schedule('Offsite agenda draft', 'Tomorrow 09:00');
    const scheduled = await mine(alice.client);
    const byText = (text: string) => scheduled.find((item) => item.text === text)!;
    assert.deepEqual(scheduled.map((item) => [item.text, item.roomId]).sort(), [
      ['Offsite agenda draft', room.id],
      ['Quarterly numbers are in', room.id],
      ['Stand-up moves to 10:00', room.id],
    ]);
    assert.equal(scheduled[0]?.text, 'Stand-up moves to 10:00', 'soonest first');
    assert.equal(await messagesOf(bobPage).filter({ hasText: 'Stand-up' }).count(), 0, 'nothing is sent yet');

    await alicePage.getByRole('navigation', { name: 'Conversations' }).getByRole('link', { name: 'Scheduled' }).click();
    const list = alicePage.getByRole('list', { name: 'Scheduled messages' });
    await list.getByRole('listitem').filter({ hasText: 'Offsite agenda draft' }).waitFor();
    await saveScreenshot(alicePage, 'scheduled-list');

    // Reschedule one to next Monday, edit its text, and cancel another.
    const numbers = list.getByRole('listitem').filter({ hasText: 'Quarterly numbers are in' });
    await numbers.getByRole('button', { name: 'Reschedule' }).click();
    const dialog = alicePage.getByRole('dialog', { name: 'Reschedule' });
    await dialog.getByRole('button', { name: /^Next Monday 09:00/ }).click();
    await dialog.getByRole('button', { name: 'Reschedule', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await numbers.getByRole('button', { name: 'Edit text' }).click();
    await numbers.getByLabel('Text of the scheduled message').fill('Quarterly numbers are in: up 4%');
    await numbers.getByRole('button', { name: 'Save' }).click();
    await list.getByText('Quarterly numbers are in: up 4%').waitFor();
    const offsite = list.getByRole('listitem').filter({ hasText: 'Offsite agenda draft' });
    await offsite.getByRole('button', { name: 'Cancel sending' }).click();
    await offsite.waitFor({ state: 'detached' });
    const now = await mine(alice.client);
    assert.deepEqual(now.map((item) => item.id), [byText('Stand-up moves to 10:00').id, byText('Quarterly numbers are in').id], 'the cancelled one is gone');
    assert.equal(now[1]?.text, 'Quarterly numbers are in: up 4%');
    // Alice chose no time zone, so the browser's (this machine's) is hers: next Monday 09:00 there.
    const mondayMorning = wallTimeOf(Date.parse(now[1]!.sendAt), Intl.DateTimeFormat().resolvedOptions().timeZone);
    assert.deepEqual([new Date(`${mondayMorning}Z`).getUTCDay(), mondayMorning.slice(11)], [1, '09:00']);

    // Its time comes: Bob receives it from Alice, and her list drops it as the stream tells her.
    await sendDueAt(byText('Stand-up moves to 10:00').sendAt);
    await messagesOf(bobPage).filter({ hasText: 'Stand-up moves to 10:00' }).waitFor();
    await list.getByText('Stand-up moves to 10:00').waitFor({ state: 'detached' });
    await list.getByText('Quarterly numbers are in: up 4%').waitFor();
  });

  test('one a data protection rule blocks when it is due shows why, in Chinese, and goes back to its composer', async () => {
    const alice = await buildUser(server, { displayName: '王芳' });
    const bob = await buildUser(server, { displayName: '李伟' });
    const room = await buildRoom(server, { owner: alice.client, kind: 'group', name: '发布计划', members: [bob.user] });
    const { scheduled } = await alice.client.endpoint('scheduleMessage')({
      params: { roomId: room.id },
      body: { text: 'Project Bluebird ships on Friday', sendAt: new Date(clock.now() + HOUR).toISOString() },
    });
    const officer = await buildUser(server, { role: 'compliance' });
    await createApprovedDlpRule(server.admin.client, officer.client, { name: '项目代号', detector: { kind: 'keywords', words: ['Bluebird'] }, scope: { roomIds: [room.id] }, action: 'block' });
    const page = await signInChinese(await newContext(browser, server.url, 'zh-CN'), alice.username, alice.password);
    await sendDueAt(scheduled.sendAt);
    assert.equal((await mine(alice.client))[0]?.status, 'failed');

    await page.getByRole('navigation', { name: '会话' }).getByRole('link', { name: '定时消息' }).click();
    const item = page.getByRole('list', { name: '定时消息' }).getByRole('listitem');
    await item.getByText('未发送：违反了数据防护规则“项目代号”。').waitFor();
    await saveScreenshot(page, 'scheduled-failed-zh-CN');
    await item.getByRole('button', { name: '恢复到输入框' }).click();
    await page.getByRole('heading', { level: 1, name: '发布计划' }).waitFor();
    assert.equal(await page.getByLabel('发送消息到 发布计划').inputValue(), 'Project Bluebird ships on Friday');
    assert.deepEqual(await mine(alice.client), [], 'restoring dismisses it');
  });

  test('an urgent message carries its reason to the recipient; a sender the policy leaves out is told so and keeps the text', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Martin' });
    const bob = await buildUser(server, { displayName: 'Bob Chen' });
    await buildRoom(server, { owner: alice.client, kind: 'group', name: 'Incident', members: [bob.user] });
    const alicePage = await signIn(await newContext(browser, server.url), alice.username, alice.password);
    const bobPage = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(alicePage, 'Incident');
    await openRoom(bobPage, 'Incident');

    // The room's owner may: a fresh install lets owners and administrators send urgent.
    await openSendOptions(alicePage, 'The payment gateway is down', 'Message Incident');
    await alicePage.getByRole('menuitem', { name: 'Send urgent…' }).click();
    const dialog = alicePage.getByRole('dialog', { name: 'Send urgent' });
    await dialog.getByLabel('Why it cannot wait').fill('Customers cannot pay');
    await dialog.getByRole('button', { name: 'Send urgent' }).click();
    await dialog.waitFor({ state: 'detached' });
    const received = messagesOf(bobPage).filter({ hasText: 'The payment gateway is down' });
    await received.getByText('Reason: Customers cannot pay').waitFor();
    await received.getByText('Urgent', { exact: true }).waitFor();
    await saveScreenshot(bobPage, 'urgent-received');

    // Bob, a plain member, may not: the dialog says so and what to do instead; his text stays.
    await openSendOptions(bobPage, 'Can someone look at this?', 'Message Incident');
    await bobPage.getByRole('menuitem', { name: 'Send urgent…' }).click();
    const refused = bobPage.getByRole('dialog', { name: 'Send urgent' });
    await refused.getByLabel('Why it cannot wait').fill('I am curious');
    await refused.getByRole('button', { name: 'Send urgent' }).click();
    await refused.getByRole('alert').filter({ hasText: 'You may not send urgent messages' }).filter({ hasText: 'Send it normally, or schedule it' }).waitFor();
    await refused.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await bobPage.getByLabel('Message Incident').inputValue(), 'Can someone look at this?');
    assert.equal(await messagesOf(bobPage).filter({ hasText: 'Can someone look at this?' }).count(), 0, 'nothing was sent, nothing is left "not sent"');
  });

  test('on a phone in Chinese the urgent mark and its reason fit the screen', async () => {
    const alice = await buildUser(server, { displayName: '王芳' });
    const bob = await buildUser(server, { displayName: '李伟' });
    const room = await buildRoom(server, { owner: alice.client, kind: 'group', name: '值班', members: [bob.user] });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '机房断电，请立即处理', urgent: true, urgentReason: '线上服务全部中断' } });
    const phone = await (await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })).newPage();
    await phone.goto('/');
    await phone.getByLabel('用户名').fill(bob.username);
    await phone.getByLabel('密码').fill(bob.password);
    await phone.getByRole('button', { name: '登录' }).click();
    await phone.getByRole('navigation', { name: '会话' }).getByRole('link', { name: '值班' }).click();
    const mark = messagesOf(phone).filter({ hasText: '机房断电' }).getByText('理由：线上服务全部中断');
    await mark.waitFor();
    const box = (await mark.boundingBox())!;
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `the reason stays on the screen (${box.x}–${box.x + box.width})`);
    await saveScreenshot(phone, 'urgent-received-zh-CN-390');
  });
});
