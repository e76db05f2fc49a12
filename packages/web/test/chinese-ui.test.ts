import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { messagesOf, newContext, saveScreenshot, startBrowserSuite, stopBrowserSuite } from './browser';

describe('the Chinese interface', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('a Chinese browser gets Chinese sign-in, server errors and rooms, and can switch to English for good', async () => {
    const lin = await buildUser(server, { displayName: '林小雨' });
    const wang = await buildUser(server, { displayName: '王大明' });
    const room = await buildRoom(server, { owner: lin.client, kind: 'group', name: '产品讨论', members: [wang.user] });
    await wang.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '保密文件已经发送到群组。' } });
    const page = await (await newContext(browser, server.url, 'zh-CN')).newPage();

    await page.goto('/');
    await page.getByRole('heading', { name: '登录' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    await page.getByLabel('用户名').fill(lin.username);
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误。' }).waitFor();

    await page.getByLabel('密码').fill(lin.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('navigation', { name: '会话' }).waitFor();
    await page.getByRole('heading', { name: '私密群组' }).waitFor();
    await page.getByRole('link', { name: /产品讨论/ }).filter({ hasText: '1 条未读消息' }).waitFor();
    await page.getByRole('link', { name: /产品讨论/ }).click();
    await page.getByRole('heading', { level: 1, name: '产品讨论' }).waitFor();
    await page.getByText('2 位成员').waitFor();
    await messagesOf(page).filter({ hasText: '保密文件已经发送到群组。' }).filter({ hasText: '王大明' }).waitFor();
    await page.getByLabel('发送消息到 产品讨论').fill('收到，谢谢！');
    await page.getByRole('button', { name: '发送' }).click();
    await messagesOf(page).filter({ hasText: '收到，谢谢！' }).waitFor();
    await page.getByText('发送中…').waitFor({ state: 'detached' });
    await saveScreenshot(page, 'main-zh-CN');

    await page.getByLabel('语言').selectOption('en');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByText('2 members').waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.reload();
    await page.getByRole('navigation', { name: 'Conversations' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the chosen language survives a reload');
  });

  test('switching to Chinese on the sign-in page makes the server answer in Chinese', async () => {
    const page = await (await newContext(browser, server.url, 'en-GB')).newPage();
    await page.goto('/');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByLabel('Username').fill('nobody-here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong username or password.' }).waitFor();

    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '登录' }).waitFor();
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('alert').filter({ hasText: '用户名或密码错误。' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  });
});
