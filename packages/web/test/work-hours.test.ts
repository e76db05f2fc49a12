import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildRoom, buildUser } from '@enclave/testkit';
import { type TestServer } from '../../server/test/harness';
import { newContext, saveScreenshot, startBrowserSuite, stopBrowserSuite } from './browser';

/** Far enough ahead that the person is off whatever the hour the suite runs at. */
function threeDaysAhead(): string {
  return new Date(Date.now() + 3 * 86_400_000).toISOString();
}

/** Signs in through the form in the page's language (the English and Chinese words differ) and waits for the list. */
async function signInAs(browser: Browser, url: string, language: Words, person: { username: string; password: string }): Promise<Page> {
  const page = await (await newContext(browser, url, language.locale)).newPage();
  await page.goto('/');
  await page.getByLabel(language.username).fill(person.username);
  await page.getByLabel(language.password).fill(person.password);
  await page.getByRole('button', { name: language.signIn }).click();
  await page.getByRole('navigation', { name: language.conversations }).waitFor();
  return page;
}

async function openConversation(page: Page, language: Words, name: RegExp): Promise<void> {
  await page.getByRole('navigation', { name: language.conversations }).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor();
}

type Words = (typeof languages)[number];

const languages = [
  { locale: 'en', shot: 'en', username: 'Username', password: 'Password', signIn: 'Sign in', conversations: 'Conversations', hint: /李伟 is off work until .+ \(their time\)/, quietly: 'Send quietly', schedule: 'Schedule for their start', urgent: 'Urgent', scheduleDialog: 'Schedule send', urgentDialog: 'Send urgent', banner: /You are off work until .+ Notifications are quiet/, summary: 'While you were off: 2 mentions in 2 rooms.' },
  { locale: 'zh-CN', shot: 'zh', username: '用户名', password: '密码', signIn: '登录', conversations: '会话', hint: /李伟 已下班，直到.+（对方当地时间）/, quietly: '静默发送', schedule: '在对方上班时发送', urgent: '紧急', scheduleDialog: '定时发送', urgentDialog: '紧急发送', banner: /你现在是下班时间，直到.+通知保持静音/, summary: '你下班期间：2 个群组中有2 次提及。' },
] as const;

describe('work hours in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  for (const language of languages) {
    test(`[${language.locale}] the composer of a DM says the other person is off work, with the three ways to send; they see their own calm off time`, async () => {
      const alice = await buildUser(server, { displayName: `Alice ${language.locale}` });
      const li = await buildUser(server, { displayName: '李伟' });
      await li.client.endpoint('setMyWorkHours')({ body: { doNotDisturbUntil: threeDaysAhead() } });
      await alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [li.user.id] } });

      const alicePage = await signInAs(browser, server.url, language, alice);
      await openConversation(alicePage, language, /李伟/);
      const hint = alicePage.getByRole('note');
      await hint.getByText(language.hint).waitFor();
      assert.equal(await hint.getByRole('button', { name: language.quietly }).getAttribute('aria-pressed'), 'true');
      await saveScreenshot(alicePage, `work-hours-hint-${language.locale}`);
      // The other two choices open the composer's own dialogs: scheduling at the time they start, urgent with a reason.
      await hint.getByRole('button', { name: language.schedule }).click();
      await alicePage.getByRole('dialog', { name: language.scheduleDialog }).waitFor();
      await alicePage.keyboard.press('Escape');
      await alicePage.getByRole('dialog', { name: language.scheduleDialog }).waitFor({ state: 'detached' });
      await hint.getByRole('button', { name: language.urgent }).click();
      await alicePage.getByRole('dialog', { name: language.urgentDialog }).waitFor();
      await alicePage.keyboard.press('Escape');

      const liPage = await signInAs(browser, server.url, language, li);
      await liPage.getByRole('status').filter({ hasText: language.banner }).waitFor();
      await saveScreenshot(liPage, `work-hours-off-banner-${language.locale}`);

      await li.client.endpoint('setMyWorkHours')({ body: { doNotDisturbUntil: null } });
      const answered = alicePage.waitForResponse((response) => response.url().endsWith('/availability'));
      await alicePage.reload();
      await openConversation(alicePage, language, /李伟/);
      await answered;
      assert.equal(await alicePage.getByRole('note').count(), 0, 'back at work (this suite works all day), no hint');
    });
  }
});

/** The time the server's work hours go by: the test sets an evening and moves it to the next morning instead of waiting. */
class TestClock {
  at = Date.now();
  now = () => this.at;
}

/**
 * A fixed-offset zone in which `at` is 21:xx, so that the moment is an evening off work whatever the hour the suite
 * runs at. Messages are stamped with the real time, so the test's evening must be now, in a zone where now is evening.
 */
function zoneWhereItIsEvening(at: number): string {
  let offset = 21 - new Date(at).getUTCHours();
  if (offset > 14) offset -= 24;
  // IANA's Etc zones count the other way round: Etc/GMT-8 is eight hours ahead of UTC.
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

describe("the recipient's quiet evening and morning summary in the browser", () => {
  const clock = new TestClock();
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite({ clock }));
  });

  after(() => stopBrowserSuite({ server, browser }));

  for (const language of languages) {
    test(`[${language.locale}] off in the evening the recipient sees the calm banner; back at work one session shows "while you were off" once`, async () => {
      clock.at = Date.now();
      const timeZone = zoneWhereItIsEvening(clock.at);
      await server.admin.client.endpoint('setWorkHoursPolicy')({ body: { organisation: { hours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }, timeZone } } });
      const alice = await buildUser(server, { displayName: `Alice ${language.locale}` });
      const wang = await buildUser(server, { displayName: '王芳' });
      const launch = await buildRoom(server, { owner: alice.client, kind: 'group', name: `Launch ${language.locale}`, members: [wang.user] });
      const budget = await buildRoom(server, { owner: alice.client, kind: 'group', name: `Budget ${language.locale}`, members: [wang.user] });

      const wangPage = await signInAs(browser, server.url, language, wang);
      await wangPage.getByRole('status').filter({ hasText: language.banner }).waitFor();
      const { availability } = await wang.client.endpoint('getMyWorkHours')();
      assert.equal(availability.atWork, false, 'the evening is off work');
      assert.ok(availability.until, 'a next working period comes');

      await alice.client.endpoint('sendMessage')({ params: { roomId: launch.id }, body: { text: `@${wang.username} the launch slides are ready` } });
      await alice.client.endpoint('sendMessage')({ params: { roomId: budget.id }, body: { text: `@${wang.username} please check the budget tomorrow` } });
      await alice.client.endpoint('sendMessage')({ params: { roomId: budget.id }, body: { text: 'No mention in this one' } });

      // The next morning, a minute after the start: the page asks the server again when it loads.
      clock.at = Date.parse(availability.until) + 60_000;
      const claimed = wangPage.waitForResponse((response) => response.url().endsWith('/me/work-hours/summary'));
      await wangPage.reload();
      await claimed;
      const summary = wangPage.getByRole('status').filter({ hasText: language.summary });
      await summary.waitFor();
      assert.equal(await wangPage.getByRole('status').filter({ hasText: language.banner }).count(), 0, 'at work, no off-work banner');
      await saveScreenshot(wangPage, `morning-summary-${language.shot}`);

      const claimedAgain = wangPage.waitForResponse((response) => response.url().endsWith('/me/work-hours/summary'));
      await wangPage.reload();
      assert.deepEqual(await (await claimedAgain).json(), { summary: null }, 'the summary is given once per working period');
      await wangPage.getByRole('navigation', { name: language.conversations }).waitFor();
      assert.equal(await wangPage.getByRole('status').filter({ hasText: language.summary }).count(), 0, 'a second load does not show it again');
    });
  }
});
