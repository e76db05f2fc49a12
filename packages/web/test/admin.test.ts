import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildUser } from '@enclave/testkit';
import { newContext, signIn, waitUntil, startBrowserSuite, stopBrowserSuite } from './browser';

describe('the admin page', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('an admin creates a user who can then sign in, and makes them an admin', async () => {
    const page = await signIn(await newContext(browser, server.url), server.admin.username, server.admin.password);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();

    const form = page.getByRole('region', { name: 'Create a user' });
    await form.getByLabel('Username').fill('dana.lee');
    await form.getByLabel('Display name').fill('Dana Lee');
    await form.getByLabel('Initial password').fill('correct-horse-battery');
    await form.getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('status').filter({ hasText: 'Dana Lee (@dana.lee) can now sign in.' }).waitFor();
    await page.getByRole('cell', { name: /^Dana Lee/ }).waitFor();

    await form.getByLabel('Username').fill('dana.lee');
    await form.getByLabel('Display name').fill('Another Dana');
    await form.getByLabel('Initial password').fill('correct-horse-battery');
    await form.getByRole('button', { name: 'Create user' }).click();
    await form.getByRole('alert').filter({ hasText: 'That username is already taken.' }).waitFor();

    const dana = await signIn(await newContext(browser, server.url), 'dana.lee', 'correct-horse-battery');
    await dana.getByText('@dana.lee').waitFor();
    assert.equal(await dana.getByRole('link', { name: 'Admin' }).count(), 0, 'a member sees no admin link');

    const role = page.getByLabel('Role of Dana Lee');
    await role.selectOption('admin');
    await waitUntil('the new role is saved', async () => (await role.inputValue()) === 'admin' && (await role.isEnabled()));
    const { users } = await server.admin.client.endpoint('listUsers')({ query: { q: 'dana' } });
    assert.equal(users.find((user) => user.username === 'dana.lee')?.role, 'admin');

    await dana.getByRole('button', { name: 'Sign out' }).click();
    await dana.getByRole('heading', { name: 'Sign in' }).waitFor();
    await dana.reload();
    await dana.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await dana.getByRole('navigation', { name: 'Conversations' }).count(), 0, 'signing out ended the cookie session');
  });

  test('a member who opens the admin address is told it is for administrators', async () => {
    const member = await buildUser(server, { displayName: 'Mia Member' });
    const page = await signIn(await newContext(browser, server.url), member.username, member.password);
    await page.goto('/admin');
    await page.getByText('Only administrators can open this page.').waitFor();
    assert.equal(await page.getByRole('region', { name: 'Create a user' }).count(), 0);
  });
});
