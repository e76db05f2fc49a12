import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EnclaveApiError, EnclaveClient } from '@enclave/sdk';
import type { Browser } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { newContext, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

/** Files a change that must wait for a second person, and answers that it did wait. */
async function filedForApproval(call: Promise<unknown>): Promise<void> {
  const error = await call.then(
    () => assert.fail('expected APPROVAL_PENDING'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof EnclaveApiError && error.code === 'APPROVAL_PENDING');
}

describe('approvals in the browser', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('a second admin sees who asked for what and approves a role grant; the person sees it in their security log', async () => {
    // A second administrator made at the command line, as an installation's second admin is: no one's creature.
    const second = { username: 'sam.second', password: 'second-admin-lantern-9' };
    await server.running.services.users.createUser({ userId: null, ip: null }, { ...second, displayName: 'Sam Second', role: 'admin' });
    const mia = await buildUser(server, { displayName: 'Mia Member' });
    const otto = await buildUser(server, { displayName: 'Otto Owner' });
    await buildRoom(server, { owner: otto.client, name: 'Board minutes' });
    await filedForApproval(server.admin.client.endpoint('updateUser')({ params: { userId: mia.user.id }, body: { role: 'compliance' } }));
    await filedForApproval(server.admin.client.endpoint('createDlpRule')({ body: { name: 'Everything', detector: { kind: 'regex', pattern: '[\\s\\S]' }, action: 'review' } }));

    const page = await signIn(await newContext(browser, server.url), second.username, second.password);
    await page.goto('/admin');
    await page.getByRole('tab', { name: 'Approvals' }).click();
    const grant = page.getByRole('article', { name: /Make Mia Member .* Compliance officer \(now Member\)/ });
    await grant.getByText(/Asked by Administrator/).waitFor();
    await page.getByRole('article', { name: /Save the DLP review rule “Everything”: it matches almost every message/ }).waitFor();
    await saveScreenshot(page, 'approvals-en');
    await grant.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('status').filter({ hasText: 'Approved: the change has been made.' }).waitFor();
    assert.equal((await server.admin.client.endpoint('getUser')({ params: { userId: mia.user.id } })).user.role, 'compliance');

    const miaPage = await signIn(await newContext(browser, server.url), mia.username, mia.password);
    await miaPage.getByRole('button', { name: 'Account' }).click();
    const dialog = miaPage.getByRole('dialog', { name: 'Your account' });
    await dialog.getByRole('tab', { name: 'Security log' }).click();
    await dialog.getByText('Your role was changed from Member to Compliance officer by Sam Second (@sam.second)').waitFor();
  });

  test('the requester sees their own request in Chinese, without the buttons to decide it', async () => {
    const otto = await buildUser(server, { displayName: 'Otto Owner' });
    const room = await buildRoom(server, { owner: otto.client, name: '董事会纪要' });
    const { invite } = await server.admin.client.endpoint('createInvite')({ body: { roomId: room.id } });
    const adminClient = new EnclaveClient({ baseUrl: server.url });
    await adminClient.login(server.admin.username, server.admin.password);
    assert.equal((await adminClient.endpoint('acceptInvite')({ params: { code: invite.code }, body: {} })).outcome, 'pending');
    const page = await (await newContext(browser, server.url, 'zh-CN')).newPage();
    await page.goto('/');
    await page.getByLabel('用户名').fill(server.admin.username);
    await page.getByLabel('密码').fill(server.admin.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('navigation', { name: '会话' }).waitFor();
    await page.goto('/admin');
    await page.getByRole('tab', { name: '审批' }).click();
    const admission = page.getByRole('article', { name: /允许 .* 加入私密群组“董事会纪要”/ });
    await admission.getByText('此申请须由他人处理。').waitFor();
    assert.equal(await admission.getByRole('button', { name: '批准' }).count(), 0, 'no one decides their own request');
    await saveScreenshot(page, 'approvals-zh-CN');
  });

  test("an admin's reset of an officer's password tells them it awaits a second admin, who approves it in Chinese", async () => {
    const users = server.running.services.users;
    const second = { username: 'vera.verifier', password: 'second-admin-harbour-4' };
    await users.createUser({ userId: null, ip: null }, { ...second, displayName: 'Vera Verifier', role: 'admin' });
    const officer = await users.createUser({ userId: null, ip: null }, { username: 'olga.officer', password: 'officer-lantern-violet-2', displayName: 'Olga Officer', role: 'compliance' });

    const page = await signIn(await newContext(browser, server.url), server.admin.username, server.admin.password);
    await page.goto('/admin');
    await page.getByLabel('Search people').fill('olga');
    await page.getByRole('button', { name: 'Reset password of Olga Officer' }).click();
    const dialog = page.getByRole('dialog', { name: 'Reset password of Olga Officer' });
    await dialog.getByLabel('New password').fill('admin-chose-this-lantern-8');
    await dialog.getByRole('button', { name: 'Reset password' }).click();
    await dialog.getByRole('status').filter({ hasText: 'A second administrator must approve this reset first: the password of Olga Officer stays as it is until then.' }).waitFor();
    assert.equal(await dialog.getByRole('alert').count(), 0, 'a filed request is no error');

    const zh = await (await newContext(browser, server.url, 'zh-CN')).newPage();
    await zh.goto('/');
    await zh.getByLabel('用户名').fill(second.username);
    await zh.getByLabel('密码').fill(second.password);
    await zh.getByRole('button', { name: '登录' }).click();
    await zh.getByRole('navigation', { name: '会话' }).waitFor();
    await zh.goto('/admin');
    await zh.getByRole('tab', { name: '审批' }).click();
    const request = zh.getByRole('article', { name: '为 Olga Officer (@olga.officer)（合规专员）设置新密码，设置该密码的管理员知道它' });
    await request.getByRole('button', { name: '批准' }).click();
    await zh.getByRole('status').filter({ hasText: '已批准：更改已生效。' }).waitFor();
    const signedIn = await new EnclaveClient({ baseUrl: server.url }).login('olga.officer', 'admin-chose-this-lantern-8');
    assert.equal(signedIn.passwordChangeRequired, true, `${officer.displayName} must choose her own password next`);
  });
});
