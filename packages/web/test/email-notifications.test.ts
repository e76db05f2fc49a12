import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildUser } from '@enclave/testkit';
import type { TestServer } from '../../server/test/harness';
import { SmtpSink } from '../../server/test/smtp-sink';
import { newContext, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

describe('e-mail notifications in the web client', () => {
  const sink = new SmtpSink();
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    await sink.start();
    ({ server, browser } = await startBrowserSuite({ config: { publicUrl: 'https://chat.example.test', smtpHost: '127.0.0.1', smtpPort: sink.port, smtpSecurity: 'none', smtpFrom: 'Enclave <chat@example.test>' } }));
  });

  after(async () => {
    await stopBrowserSuite({ server, browser });
    await sink.stop();
  });

  test('an admin turns the digests on, gives themselves an address and sends a test e-mail', async () => {
    const page = await signIn(await newContext(browser, server.url), server.admin.username, server.admin.password);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const card = page.getByRole('region', { name: 'E-mail notifications' });
    await card.getByText('SMTP server: 127.0.0.1').waitFor();
    await card.getByLabel('Send e-mail digests').check();
    await card.getByLabel('Minutes unread before the digest').fill('30');
    await card.getByRole('button', { name: 'Save' }).click();
    await waitUntil('the policy is saved', async () => (await server.admin.client.endpoint('getAdminSettings')()).settings.emailNotifications.enabled);
    assert.equal((await server.admin.client.endpoint('getAdminSettings')()).settings.emailNotifications.delayMinutes, 30);
    await saveScreenshot(page, 'email-notifications-admin-en');

    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('button', { name: `E-mail address of ${server.admin.user.displayName}` }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('E-mail address').fill('it@example.test');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();

    await page.getByRole('tab', { name: 'Settings' }).click();
    await card.getByRole('button', { name: 'Send me a test e-mail' }).click();
    await card.getByRole('status').filter({ hasText: 'Test e-mail sent to it@example.test.' }).waitFor();
    assert.equal(sink.to('it@example.test').length, 1);
  });

  test('在手机宽度下，成员在个人资料中关闭自己的邮件通知', async () => {
    const dana = await buildUser(server, { displayName: '李丹' });
    await server.admin.client.endpoint('setUserEmailAddress')({ params: { userId: dana.user.id }, body: { address: 'dana@example.test' } });
    const phone = await (await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })).newPage();
    await phone.goto('/');
    await phone.getByLabel('用户名').fill(dana.username);
    await phone.getByLabel('密码').fill(dana.password);
    await phone.getByRole('button', { name: '登录' }).click();
    await phone.getByRole('button', { name: '账号' }).click();
    const setting = phone.getByRole('region', { name: '邮件通知' });
    await setting.getByText('邮件将发送到 dana@example.test。').waitFor();
    const box = setting.getByLabel('错过提及和私信时给我发邮件');
    assert.equal(await box.isChecked(), true);
    await box.uncheck();
    await waitUntil('the choice is saved', async () => !(await dana.client.endpoint('getMyEmailNotifications')()).enabled);
    const sideways = await phone.locator('html').evaluate((root) => root.scrollWidth - root.clientWidth);
    assert.ok(sideways <= 0, `no sideways scroll (${sideways} px)`);
    await saveScreenshot(phone, 'email-notifications-profile-zh-CN-390');
  });
});
