import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { newContext, openRoom, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

/** The decoded picture of an image on the page, as far as a test needs it. */
interface LoadedImage {
  complete: boolean;
  naturalWidth: number;
}

/** Whether an image on the page has loaded and decoded to real pixels. */
function imageLoaded(page: Page, alt: string): Promise<boolean> {
  return page.getByAltText(alt).evaluate((image) => {
    const loaded = image as unknown as LoadedImage;
    return loaded.complete && loaded.naturalWidth > 0;
  });
}

describe('invites with QR codes', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('a room owner creates an invite and sees its link and QR code; a colleague opens the link and joins', async () => {
    const owner = await buildUser(server, { displayName: 'Olivia Owner' });
    const room = await buildRoom(server, { owner: owner.client, name: 'Harbour project' });
    const page = await signIn(await newContext(browser, server.url), owner.username, owner.password);
    await openRoom(page, 'Harbour project');
    await page.getByRole('button', { name: 'Invite', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Invite people to Harbour project' });
    await dialog.getByLabel('Maximum uses').fill('5');
    await dialog.getByRole('button', { name: 'Create invite' }).click();
    const link = dialog.getByLabel('Invite link');
    await waitUntil('the link is shown', async () => (await link.inputValue()).startsWith(`${server.url}/invite/`));
    await waitUntil('the QR code has loaded', () => imageLoaded(page, 'QR code of the invite link'));
    await saveScreenshot(page, 'invite-qr');
    const url = await link.inputValue();
    const [listed] = (await owner.client.endpoint('listInvites')({ query: { roomId: room.id } })).invites;
    assert.deepEqual([listed?.maxUses, listed?.codePrefix], [5, url.slice(`${server.url}/invite/`.length, `${server.url}/invite/`.length + 6)]);
    await dialog.getByRole('button', { name: 'Done' }).click();

    const colleague = await buildUser(server, { displayName: 'Colin Colleague' });
    const other = await newContext(browser, server.url);
    const landing = await other.newPage();
    await landing.goto(url);
    await landing.getByText('Sign in to join Harbour project.').waitFor();
    await landing.getByLabel('Username').fill(colleague.username);
    await landing.getByLabel('Password').fill(colleague.password);
    await landing.getByRole('button', { name: 'Sign in' }).click();
    await landing.getByRole('button', { name: 'Join Harbour project' }).click();
    await landing.getByRole('heading', { level: 1, name: 'Harbour project', exact: true }).waitFor();
    const { members } = await owner.client.endpoint('listMembers')({ params: { roomId: room.id } });
    assert.ok(members.some((m) => m.userId === colleague.user.id));
  });

  test('a newcomer opens the link an organisation invite encodes, creates an account and lands in the app', async () => {
    const { invite } = await server.admin.client.endpoint('createInvite')({ body: { expiresInHours: 72 } });
    const page = await (await newContext(browser, server.url)).newPage();
    await page.goto(invite.url);
    await page.getByRole('heading', { name: 'You are invited to join Enclave' }).waitFor();
    await page.getByLabel('Username').fill('nadia');
    await page.getByLabel('Your name').fill('Nadia Newcomer');
    await page.getByLabel('Password').fill('correct horse battery');
    await saveScreenshot(page, 'invite-landing');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('navigation', { name: 'Conversations' }).getByRole('heading', { name: 'Channels' }).waitFor();
    assert.equal(new URL(page.url()).pathname, '/');
    const { users } = await server.admin.client.endpoint('listUsers')({ query: { q: 'nadia' } });
    assert.deepEqual(users.map((u) => [u.username, u.displayName, u.role]), [['nadia', 'Nadia Newcomer', 'member']]);
  });

  test('with approval required the newcomer is told to wait, and the administrator approves in the console', async () => {
    const admin = await signIn(await newContext(browser, server.url), server.admin.username, server.admin.password);
    await admin.getByRole('link', { name: 'Admin' }).click();
    await admin.getByRole('tab', { name: 'Invites' }).click();
    const create = admin.getByRole('region', { name: 'Invite into the organisation' });
    await create.getByLabel('An administrator approves each person').check();
    await create.getByRole('button', { name: 'Create invite' }).click();
    const link = create.getByLabel('Invite link');
    await waitUntil('the link is shown', async () => (await link.inputValue()).includes('/invite/'));
    await waitUntil('the QR code has loaded', () => imageLoaded(admin, 'QR code of the invite link'));

    const newcomer = await (await newContext(browser, server.url)).newPage();
    await newcomer.goto(await link.inputValue());
    await newcomer.getByLabel('Username').fill('wanda');
    await newcomer.getByLabel('Your name').fill('Wanda Waiting');
    await newcomer.getByLabel('Password').fill('a patient password');
    await newcomer.getByRole('button', { name: 'Create account' }).click();
    await newcomer.getByRole('status').filter({ hasText: 'An administrator must approve your request' }).waitFor();

    await admin.getByRole('tab', { name: 'Users' }).click();
    await admin.getByRole('tab', { name: 'Invites' }).click();
    await admin.getByRole('button', { name: 'Approve Wanda Waiting' }).click();
    await admin.getByRole('button', { name: 'Approve Wanda Waiting' }).waitFor({ state: 'detached' });
    await signIn(await newContext(browser, server.url), 'wanda', 'a patient password');
  });

  test('an expired code says so in English and in Chinese', async () => {
    const { invite } = await server.admin.client.endpoint('createInvite')({ body: {} });
    await server.running.database.db.updateTable('invites').set({ expires_at: Date.now() - 60_000 }).where('id', '=', invite.id).execute();
    const english = await (await newContext(browser, server.url)).newPage();
    await english.goto(invite.url);
    await english.getByRole('heading', { name: 'This invite cannot be used' }).waitFor();
    await english.getByRole('alert').filter({ hasText: 'This invite has expired. Ask for a new one.' }).waitFor();
    const chinese = await (await newContext(browser, server.url, 'zh-CN')).newPage();
    await chinese.goto(invite.url);
    await chinese.getByRole('heading', { name: '此邀请无法使用' }).waitFor();
    await chinese.getByRole('alert').filter({ hasText: '此邀请已过期，请索取新的邀请。' }).waitFor();
  });
});
