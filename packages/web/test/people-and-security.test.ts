import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { timeStep, totpCode } from '../../server/src/auth/totp';
import { type TestServer } from '../../server/test/harness';
import { buildUser } from '@enclave/testkit';
import { newContext, signIn, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

describe('people and security in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('a person turns on two-factor sign-in by scanning the QR code, then signs in with a code', async () => {
    const erin = await buildUser(server, { displayName: 'Erin Ng' });
    const page = await signIn(await newContext(browser, server.url), erin.username, erin.password);
    await page.getByRole('button', { name: 'Account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your account' });
    await dialog.getByRole('tab', { name: 'Two-factor sign-in' }).click();
    await dialog.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await dialog.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    const secret = (await dialog.locator('.two-factor__secret').textContent()) ?? '';
    assert.match(secret, /^[A-Z2-7]{32}$/);
    await dialog.getByLabel('Six-digit code').fill(totpCode(secret, timeStep(Date.now())));
    await dialog.getByRole('button', { name: 'Turn on' }).click();
    const codes = dialog.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await codes.first().waitFor();
    assert.equal(await codes.count(), 10);
    await dialog.getByRole('button', { name: 'I have saved them' }).click();
    await dialog.getByText('Two-factor sign-in is on.').waitFor();

    const fresh = await (await newContext(browser, server.url)).newPage();
    await fresh.goto('/');
    await fresh.getByLabel('Username').fill(erin.username);
    await fresh.getByLabel('Password').fill(erin.password);
    await fresh.getByRole('button', { name: 'Sign in' }).click();
    await fresh.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    // The enrolment code is spent; the next step's code is what the app shows a moment later.
    await fresh.getByLabel('Six-digit code').fill(totpCode(secret, timeStep(Date.now()) + 1));
    await fresh.getByRole('button', { name: 'Verify' }).click();
    await fresh.getByRole('navigation', { name: 'Conversations' }).getByRole('heading', { name: 'Channels' }).waitFor();
  });

  test('an admin creates a department in the console and assigns a person to it', async () => {
    const frank = await buildUser(server, { displayName: 'Frank Wu' });
    const page = await signIn(await newContext(browser, server.url), server.admin.username, server.admin.password);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('tab', { name: 'Departments' }).click();
    const form = page.getByRole('region', { name: 'New department' });
    await form.getByLabel('Name').fill('Research');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('treeitem').filter({ hasText: 'Research' }).waitFor();

    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByRole('searchbox', { name: 'Search people' }).fill('Frank');
    await page.getByRole('button', { name: 'Departments of Frank Wu' }).click();
    const dialog = page.getByRole('dialog', { name: 'Departments of Frank Wu' });
    await dialog.getByLabel('Research').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: /Frank Wu.*Research/ }).waitFor();
    const { user } = await server.admin.client.endpoint('getUser')({ params: { userId: frank.user.id } });
    const { departments } = await server.admin.client.endpoint('listDepartments')();
    assert.deepEqual(user.departmentIds, [departments.find((d) => d.name === 'Research')?.id]);
  });

  test('choosing Chinese in the profile switches the interface and is remembered on the server', async () => {
    const grace = await buildUser(server, { displayName: 'Grace Li' });
    const page = await signIn(await newContext(browser, server.url), grace.username, grace.password);
    await page.getByRole('button', { name: 'Account' }).click();
    const dialog = page.getByRole('dialog', { name: 'Your account' });
    await dialog.getByLabel('Language').selectOption('zh-CN');
    await dialog.getByLabel('Time zone').selectOption('Asia/Shanghai');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('dialog', { name: '你的账号' }).getByText('已保存。').waitFor();
    await waitUntil('the page language is Chinese', async () => (await page.locator('html').getAttribute('lang')) === 'zh-CN');
    const { user } = await grace.client.endpoint('me')();
    assert.deepEqual([user.locale, user.timeZone], ['zh-CN', 'Asia/Shanghai']);
  });
});
