import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { newContext, saveScreenshot, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

/** The words the test looks for, in each language the console speaks. */
const languages = [
  {
    locale: 'en',
    shot: 'en',
    username: 'Username',
    password: 'Password',
    signIn: 'Sign in',
    conversations: 'Conversations',
    admin: 'Admin',
    tab: 'Work hours',
    organisation: 'Organisation hours',
    calendar: 'Holiday calendar',
    days: { saturday: 'Sat', sunday: 'Sun' },
    start: 'Start (HH:MM)',
    end: 'End (HH:MM)',
    timeZone: 'Time zone',
    personalHours: /People may set working hours of their own/,
    save: 'Save',
    saved: 'Saved.',
    invalid: 'Choose at least one day, and times as HH:MM with the end after the start.',
    department: 'Engineering',
    setOwn: 'Set own hours',
    removeOwn: 'Remove own hours',
    ownHoursOf: 'Own hours of Engineering',
    inherits: 'Inherits',
    year: 'Year',
    loadPrc: 'Load PRC public holidays',
    prcLoaded: /^PRC public holidays loaded: (\d+) days added, 0 updated\.$/,
    holiday: 'Holiday',
    workday: 'Adjusted working day (调休上班)',
    saturday: 'Saturday',
    thursday: 'Thursday',
    file: 'ICS or CSV file',
    icsKind: 'Days in this ICS file are',
    import: 'Import',
    imported: (file: string, added: number) => `${file} imported: ${added} days added, 0 updated.`,
    remove: (date: string) => `Remove ${date}`,
    badCsv: 'The calendar could not be read. (Line 2 of the file.)',
    date: 'Date',
    kind: 'Kind',
    name: 'Name',
    addDay: 'Add day',
  },
  {
    locale: 'zh-CN',
    shot: 'zh',
    username: '用户名',
    password: '密码',
    signIn: '登录',
    conversations: '会话',
    admin: '管理',
    tab: '工作时间',
    organisation: '组织工作时间',
    calendar: '节假日日历',
    days: { saturday: '周六', sunday: '周日' },
    start: '上班时间（时:分）',
    end: '下班时间（时:分）',
    timeZone: '时区',
    personalHours: /允许员工设置自己的工作时间/,
    save: '保存',
    saved: '已保存。',
    invalid: '请至少选择一天，时间格式为 时:分，且下班时间晚于上班时间。',
    department: '研发部',
    setOwn: '设置本部门时间',
    removeOwn: '移除本部门时间',
    ownHoursOf: '研发部 的工作时间',
    inherits: '继承',
    year: '年份',
    loadPrc: '载入中国法定节假日',
    prcLoaded: /^已载入中国法定节假日：新增 (\d+) 天，更新 0 天。$/,
    holiday: '节假日',
    workday: '调休上班',
    saturday: '星期六',
    thursday: '星期四',
    file: 'ICS 或 CSV 文件',
    icsKind: '此 ICS 文件中的日子为',
    import: '导入',
    imported: (file: string, added: number) => `已导入 ${file}：新增 ${added} 天，更新 0 天。`,
    remove: (date: string) => `移除 ${date}`,
    badCsv: '无法读取该日历。（文件第 2 行。）',
    date: '日期',
    kind: '类型',
    name: '名称',
    addDay: '添加',
  },
] as const;

type Words = (typeof languages)[number];

const CSV = 'date,kind,name\n2027-05-06,holiday,Company day\n2027-05-08,班,Make-up day\n';
/** A two-day event (DTEND is the day after the last, as RFC 5545 says) and one whose summary makes it a working day. */
const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Enclave test//EN',
  'BEGIN:VEVENT',
  'UID:offsite@test',
  'DTSTAMP:20270101T000000Z',
  'DTSTART;VALUE=DATE:20270610',
  'DTEND;VALUE=DATE:20270612',
  'SUMMARY:Company offsite',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:makeup@test',
  'DTSTAMP:20270101T000000Z',
  'DTSTART;VALUE=DATE:20270612',
  'DTEND;VALUE=DATE:20270613',
  'SUMMARY:Offsite working day',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');
/** The second row's date is not a date: the whole file is refused and the calendar stays as it was. */
const BAD_CSV = '2027-07-01,holiday,Fine day\nnot-a-date,holiday,Broken row\n';

async function openWorkHours(browser: Browser, server: TestServer, language: Words): Promise<Page> {
  const page = await (await newContext(browser, server.url, language.locale)).newPage();
  await page.goto('/');
  await page.getByLabel(language.username).fill(server.admin.username);
  await page.getByLabel(language.password).fill(server.admin.password);
  await page.getByRole('button', { name: language.signIn }).click();
  await page.getByRole('navigation', { name: language.conversations }).waitFor();
  await page.getByRole('link', { name: language.admin, exact: true }).click();
  await page.getByRole('tab', { name: language.tab, exact: true }).click();
  return page;
}

function file(name: string, mimeType: string, text: string) {
  return { name, mimeType, buffer: Buffer.from(text, 'utf8') };
}

for (const language of languages) {
  describe(`[${language.locale}] the admin's work hours editor`, () => {
    let server: TestServer;
    let browser: Browser;
    const policy = async () => (await server.admin.client.endpoint('getWorkHoursPolicy')()).policy;
    const calendar = async () => (await server.admin.client.endpoint('listHolidays')({ query: {} })).holidays;

    before(async () => {
      // A suite of its own per language: the calendar is the organisation's, and each language starts from an empty one.
      ({ server, browser } = await startBrowserSuite());
    });

    after(() => stopBrowserSuite({ server, browser }));

    test('sets the organisation hours and time zone, and a department its own hours and back', async () => {
      const { department } = await server.admin.client.endpoint('createDepartment')({ body: { name: language.department } });
      const page = await openWorkHours(browser, server, language);
      const organisation = page.getByRole('region', { name: language.organisation });

      // The suite starts everyone at work every hour; the admin makes it a Shanghai office week.
      await organisation.getByRole('checkbox', { name: language.days.saturday, exact: true }).uncheck();
      await organisation.getByRole('checkbox', { name: language.days.sunday, exact: true }).uncheck();
      await organisation.getByLabel(language.start).fill('09:00');
      await organisation.getByLabel(language.end).fill('08:00');
      await organisation.getByText(language.invalid).waitFor();
      assert.equal(await organisation.getByRole('button', { name: language.save }).isDisabled(), true, 'an end before the start cannot be saved');
      await organisation.getByLabel(language.end).fill('18:00');
      await organisation.getByLabel(language.timeZone, { exact: true }).selectOption('Asia/Shanghai');
      await organisation.getByLabel(language.personalHours).uncheck();
      await organisation.getByRole('button', { name: language.save }).click();
      await organisation.getByRole('status').filter({ hasText: language.saved }).waitFor();
      const saved = await policy();
      assert.deepEqual(saved.organisation, { hours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }, timeZone: 'Asia/Shanghai' });
      assert.equal(saved.personalHoursAllowed, false);

      const row = page.getByRole('listitem', { name: language.department });
      await row.getByText(language.inherits).waitFor();
      await row.getByRole('button', { name: language.setOwn }).click();
      const ownHours = row.getByRole('form', { name: language.ownHoursOf });
      assert.equal(await ownHours.getByLabel(language.start).inputValue(), '09:00', "a department's hours start from the organisation's");
      await ownHours.getByLabel(language.start).fill('10:00');
      await ownHours.getByLabel(language.end).fill('19:00');
      await ownHours.getByRole('button', { name: language.save }).click();
      await ownHours.waitFor({ state: 'detached' });
      await row.getByText(/10:00–19:00 \(Asia\/Shanghai\)/).waitFor();
      assert.deepEqual((await policy()).departments, [{ departmentId: department.id, schedule: { hours: { days: [1, 2, 3, 4, 5], start: '10:00', end: '19:00' }, timeZone: 'Asia/Shanghai' } }]);

      await row.getByRole('button', { name: language.removeOwn }).click();
      await row.getByText(language.inherits).waitFor();
      assert.deepEqual((await policy()).departments, [], 'the department follows the organisation again');
      // Back to the suite's all-day hours, so that the next test's screenshots show no off-work banner whatever the hour.
      await server.admin.client.endpoint('setWorkHoursPolicy')({ body: { organisation: { hours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }, timeZone: 'UTC' } } });
    });

    test('loads the PRC calendar in one click, imports CSV and ICS, adds and removes days, and refuses a bad file whole', async () => {
      const page = await openWorkHours(browser, server, language);
      await page.getByRole('button', { name: language.loadPrc }).click();
      const loaded = page.getByRole('status').filter({ hasText: language.prcLoaded });
      await loaded.waitFor();
      const added = Number(language.prcLoaded.exec((await loaded.textContent()) ?? '')?.[1]);
      assert.equal(added, (await calendar()).length, 'the count said is the count stored');
      assert.ok(added > 50, `two years of holidays and adjusted working days (${added})`);

      await page.getByLabel(language.year, { exact: true }).selectOption('2026');
      const dayRow = (date: string) => page.getByRole('row').filter({ hasText: date });
      await dayRow('2026-02-14').filter({ hasText: language.workday }).filter({ hasText: language.saturday }).waitFor();
      await dayRow('2026-10-01').filter({ hasText: language.holiday }).filter({ hasText: language.thursday }).waitFor();
      await page.getByRole('heading', { name: language.calendar }).scrollIntoViewIfNeeded();
      await saveScreenshot(page, `work-hours-admin-${language.shot}`);

      const fileInput = page.getByLabel(language.file);
      await fileInput.setInputFiles(file('company.csv', 'text/csv', CSV));
      await page.getByRole('button', { name: language.import, exact: true }).click();
      await page.getByRole('status').filter({ hasText: language.imported('company.csv', 2) }).waitFor();
      await page.getByLabel(language.year, { exact: true }).selectOption('2027');
      await dayRow('2027-05-06').filter({ hasText: language.holiday }).filter({ hasText: 'Company day' }).waitFor();
      await dayRow('2027-05-08').filter({ hasText: language.workday }).waitFor();

      await fileInput.setInputFiles(file('offsite.ics', 'text/calendar', ICS));
      await page.getByLabel(language.icsKind, { exact: true }).selectOption('holiday');
      await page.getByRole('button', { name: language.import, exact: true }).click();
      await page.getByRole('status').filter({ hasText: language.imported('offsite.ics', 3) }).waitFor();
      await dayRow('2027-06-10').filter({ hasText: 'Company offsite' }).filter({ hasText: language.holiday }).waitFor();
      await dayRow('2027-06-11').filter({ hasText: 'Company offsite' }).waitFor();
      await dayRow('2027-06-12').filter({ hasText: language.workday }).waitFor();

      await page.getByLabel(language.date, { exact: true }).fill('2027-09-09');
      await page.getByLabel(language.kind, { exact: true }).selectOption('holiday');
      await page.getByLabel(language.name, { exact: true }).fill('Founders day');
      await page.getByRole('button', { name: language.addDay, exact: true }).click();
      await dayRow('2027-09-09').filter({ hasText: 'Founders day' }).waitFor();

      await page.getByRole('button', { name: language.remove('2027-05-06') }).click();
      await dayRow('2027-05-06').waitFor({ state: 'detached' });
      const before = await calendar();
      assert.equal(before.some((day) => day.date === '2027-05-06'), false, 'the removed day is gone from the server');
      assert.deepEqual(
        before.filter((day) => day.date.startsWith('2027-')).map((day) => [day.date, day.kind]),
        [['2027-05-08', 'workday'], ['2027-06-10', 'holiday'], ['2027-06-11', 'holiday'], ['2027-06-12', 'workday'], ['2027-09-09', 'holiday']],
      );

      await fileInput.setInputFiles(file('broken.csv', 'text/csv', BAD_CSV));
      await page.getByRole('button', { name: language.import, exact: true }).click();
      await page.getByRole('alert').filter({ hasText: language.badCsv }).waitFor();
      assert.deepEqual(await calendar(), before, 'a file with one bad row changes nothing, not even its good rows');
      assert.equal(await dayRow('2027-07-01').count(), 0);

      await page.setViewportSize({ width: 390, height: 844 });
      await page.getByLabel(language.year, { exact: true }).scrollIntoViewIfNeeded();
      const calendarCard = page.getByRole('region', { name: language.calendar });
      await waitUntil('the calendar fits the phone', async () => {
        const box = await calendarCard.boundingBox();
        return box !== null && box.x >= 0 && box.x + box.width <= 390;
      });
      await saveScreenshot(page, `work-hours-admin-${language.shot}-390`);
    });
  });
}
