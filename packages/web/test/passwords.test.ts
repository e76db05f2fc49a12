import { after, before, describe, test } from 'node:test';
import { EnclaveClient } from '@enclave/sdk';
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../server/src/auth/password';
import { type TestServer } from '../../server/test/harness';
import { buildUser } from '@enclave/testkit';
import { newContext, signIn, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

/** Fills the password change form, wherever it is shown, and sends it. */
async function changePassword(page: Page, current: string, next: string): Promise<void> {
  const form = page.getByRole('form', { name: 'Change password' });
  await form.getByLabel('Current password').fill(current);
  // The help text sits inside the new password's label, so its name is matched in part; it is the first such field.
  await form.getByLabel('New password').first().fill(next);
  await form.getByLabel('New password again').fill(next);
  await form.getByRole('button', { name: 'Change password' }).click();
}

describe('passwords in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('someone whose password an administrator reset must choose a new one before the chat opens', async () => {
    const person = await buildUser(server, { displayName: 'Reset Person' });
    await server.admin.client.endpoint('resetPassword')({ params: { userId: person.user.id }, body: { password: 'temporary violet harbour' } });
    const page = await (await newContext(browser, server.url)).newPage();
    await page.goto('/');
    await page.getByLabel('Username').fill(person.username);
    await page.getByLabel('Password').fill('temporary violet harbour');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await page.getByText('At least 12 characters.').waitFor();

    await changePassword(page, 'temporary violet harbour', 'password1234');
    await page.getByRole('alert').getByText('That is one of the most common passwords. Choose another.').waitFor();
    await changePassword(page, 'temporary violet harbour', 'my own lantern harbour');
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('heading', { name: 'Channels' }).waitFor();
  });

  test('a page already open moves to the change screen when a sign-in elsewhere finds the password too weak', async () => {
    const person = await buildUser(server);
    const page = await signIn(await newContext(browser, server.url), person.username, person.password);
    // The password as an older, laxer version of Enclave would have stored it.
    await server.running.database.db.updateTable('users').set({ password_hash: await hashPassword('password12', 10) }).where('id', '=', person.user.id).execute();
    const phone = new EnclaveClient({ baseUrl: server.url });
    await phone.login(person.username, 'password12');
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    await changePassword(page, 'password12', 'violet harbour lantern');
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('heading', { name: 'Channels' }).waitFor();
  });

  test('the forced change screen speaks Chinese to a Chinese reader', async () => {
    const person = await buildUser(server);
    await server.admin.client.endpoint('resetPassword')({ params: { userId: person.user.id }, body: { password: 'temporary violet harbour' } });
    const page = await (await newContext(browser, server.url, 'zh-CN')).newPage();
    await page.goto('/');
    await page.getByLabel('用户名').fill(person.username);
    await page.getByLabel('密码').fill('temporary violet harbour');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('heading', { name: '请设置新密码' }).waitFor();
    const form = page.getByRole('form', { name: '修改密码' });
    await form.getByLabel('当前密码').fill('temporary violet harbour');
    await form.getByLabel('新密码').first().fill('aaaaaaaaaaaa');
    await form.getByLabel('再次输入新密码').fill('aaaaaaaaaaaa');
    await form.getByRole('button', { name: '修改密码' }).click();
    await page.getByRole('alert').getByText(/该密码太容易被猜到/).waitFor();
  });

  test('the change form in the account dialog says which rule a refused password breaks, then changes it', async () => {
    const person = await buildUser(server);
    const page = await signIn(await newContext(browser, server.url), person.username, person.password);
    await page.getByRole('button', { name: 'Account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your account' });
    await dialog.getByRole('tab', { name: 'Password' }).click();
    await changePassword(page, person.password, 'short one');
    await dialog.getByRole('alert').getByText('The new password is too short: use at least 12 characters.').waitFor();
    await changePassword(page, person.password, 'aaaaaaaaaaaa');
    await dialog.getByRole('alert').getByText(/That password is too easy to guess/).waitFor();
    await changePassword(page, person.password, 'violet harbour lantern');
    await dialog.getByText('Your password has been changed. Your other devices were signed out.').waitFor();
  });

  test('an administrator raises the shortest password in the console settings', async () => {
    const page = await signIn(await newContext(browser, server.url), server.admin.username, server.admin.password);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Passwords' });
    await section.getByLabel('Shortest password (characters)').fill('16');
    await section.getByRole('button', { name: 'Save' }).click();
    await waitUntil('the minimum is saved', async () => (await server.admin.client.endpoint('getAdminSettings')()).settings.passwordMinLength === 16);
    await server.admin.client.endpoint('updateAdminSettings')({ body: { passwordMinLength: 12 } });
  });
});
