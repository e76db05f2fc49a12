import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildUser } from '@enclave/testkit';
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
  { locale: 'en', username: 'Username', password: 'Password', signIn: 'Sign in', conversations: 'Conversations', hint: /李伟 is off work until .+ \(their time\)/, quietly: 'Send quietly', schedule: 'Schedule for their start', urgent: 'Urgent', scheduleDialog: 'Schedule send', urgentDialog: 'Send urgent', banner: /You are off work until .+ Notifications are quiet/ },
  { locale: 'zh-CN', username: '用户名', password: '密码', signIn: '登录', conversations: '会话', hint: /李伟 已下班，直到.+（对方当地时间）/, quietly: '静默发送', schedule: '在对方上班时发送', urgent: '紧急', scheduleDialog: '定时发送', urgentDialog: '紧急发送', banner: /你现在是下班时间，直到.+通知保持静音/ },
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
