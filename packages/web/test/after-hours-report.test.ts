import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildRoom, buildUser } from '@enclave/testkit';
import { type TestServer } from '../../server/test/harness';
import { newContext, saveScreenshot, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

/** The server's clock: the sends happen on chosen evenings, and the report is read on a Wednesday after them. */
let now = Date.parse('2027-02-22T12:00:00.000Z'); // Monday 20:00 in Shanghai
const clock = { now: () => now };

const languages = [
  { locale: 'en', username: 'Username', password: 'Password', signIn: 'Sign in', conversations: 'Conversations', tab: 'After-hours report', noDepartment: 'No department', total: 'All messages', from: 'From', to: 'To', show: 'Show', firstWeek: 'Feb 22' },
  { locale: 'zh-CN', username: '用户名', password: '密码', signIn: '登录', conversations: '会话', tab: '非工作时间消息报告', noDepartment: '无部门', total: '全部消息', from: '开始', to: '结束', show: '显示', firstWeek: '2月22日' },
] as const;
type Words = (typeof languages)[number];

async function signInAs(browser: Browser, url: string, language: Words, person: { username: string; password: string }): Promise<Page> {
  const page = await (await newContext(browser, url, language.locale)).newPage();
  await page.goto('/');
  await page.getByLabel(language.username).fill(person.username);
  await page.getByLabel(language.password).fill(person.password);
  await page.getByRole('button', { name: language.signIn }).click();
  await page.getByRole('navigation', { name: language.conversations }).waitFor();
  return page;
}

/** The counts of one row of the table, as shown. */
async function rowCounts(page: Page, name: string): Promise<string[]> {
  const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
  return row.getByRole('cell').allInnerTexts();
}

describe('the after-hours report in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite({ clock }));
    const admin = server.admin.client;
    await admin.endpoint('setWorkHoursPolicy')({ body: { organisation: { hours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }, timeZone: 'Asia/Shanghai' } } });
    const engineering = (await admin.endpoint('createDepartment')({ body: { name: '研发部 Engineering' } })).department;
    const sales = (await admin.endpoint('createDepartment')({ body: { name: '销售部 Sales' } })).department;
    const people = [await buildUser(server), await buildUser(server), await buildUser(server)];
    await admin.endpoint('setUserDepartments')({ params: { userId: people[0]!.user.id }, body: { departmentIds: [engineering.id] } });
    await admin.endpoint('setUserDepartments')({ params: { userId: people[1]!.user.id }, body: { departmentIds: [sales.id] } });
    const room = await buildRoom(server, { owner: people[0]!.client, members: [people[1]!.user, people[2]!.user] });
    const send = (index: number, times: number) => Promise.all(Array.from({ length: times }, () => people[index]!.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'after hours' } })));
    await send(0, 2);
    await send(1, 1);
    await send(2, 1);
    now = Date.parse('2027-03-01T13:00:00.000Z'); // the next Monday, 21:00 in Shanghai
    await send(0, 3);
    now = Date.parse('2027-03-03T02:00:00.000Z'); // Wednesday 10:00: the report is read at work
  });

  after(() => stopBrowserSuite({ server, browser }));

  for (const language of languages) {
    test(`[${language.locale}] an admin sees the counts per department and week, and picks the weeks`, async () => {
      const page = await signInAs(browser, server.url, language, server.admin);
      await page.goto('/admin');
      await page.getByRole('tab', { name: language.tab, exact: true }).click();
      await page.getByRole('heading', { name: language.tab }).waitFor();
      const table = page.getByRole('table', { name: language.tab });
      await table.waitFor();
      assert.equal(await table.getByRole('columnheader').count(), 9, 'the department and the last 8 weeks');
      assert.deepEqual(await rowCounts(page, '研发部 Engineering'), ['0', '0', '0', '0', '0', '0', '2', '3']);
      assert.deepEqual(await rowCounts(page, '销售部 Sales'), ['0', '0', '0', '0', '0', '0', '1', '0']);
      assert.deepEqual(await rowCounts(page, language.noDepartment), ['0', '0', '0', '0', '0', '0', '1', '0']);
      assert.deepEqual(await rowCounts(page, language.total), ['0', '0', '0', '0', '0', '0', '4', '3']);
      await saveScreenshot(page, `after-hours-report-${language.locale === 'en' ? 'en' : 'zh'}`);

      await page.getByLabel(language.from, { exact: true }).fill('2027-02-22');
      await page.getByLabel(language.to, { exact: true }).fill('2027-02-28');
      await page.getByRole('button', { name: language.show }).click();
      await table.getByRole('columnheader', { name: language.firstWeek }).waitFor();
      await waitUntil('one week is shown', async () => (await table.getByRole('columnheader').count()) === 2);
      assert.deepEqual(await rowCounts(page, '研发部 Engineering'), ['2']);
      assert.deepEqual(await rowCounts(page, language.total), ['4']);
    });
  }
});
