import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser, exportAsOfficer } from '@enclave/testkit';
import { newContext, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

async function openAdminRooms(page: Page, adminLink: string, roomsTab: string): Promise<void> {
  await page.getByRole('link', { name: adminLink }).click();
  await page.getByRole('tab', { name: roomsTab }).click();
}

describe('room lifecycle in the admin console', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('an admin finds two rooms, freezes, exports and deletes them; members see each step live', async () => {
    const owner = await buildUser(server, { displayName: 'Otto Owner' });
    const other = await buildUser(server, { displayName: 'Bea Builder' });
    const member = await buildUser(server, { displayName: 'Mia Member' });
    const { department } = await server.admin.client.endpoint('createDepartment')({ body: { name: 'Field sales', parentId: null } });
    await server.admin.client.endpoint('setUserDepartments')({ params: { userId: owner.user.id }, body: { departmentIds: [department.id] } });
    const launch = await buildRoom(server, { owner: owner.client, name: 'Atlas launch', members: [member.user] });
    const research = await buildRoom(server, { owner: owner.client, name: 'Atlas research', members: [member.user] });
    await buildRoom(server, { owner: other.client, name: 'Atlas archive', members: [member.user] });
    await buildRoom(server, { owner: owner.client, name: 'Boreal ops', members: [member.user] });
    for (const text of ['Launch is on Friday', 'Slides are in the shared drive']) {
      await owner.client.endpoint('sendMessage')({ params: { roomId: launch.id }, body: { text } });
    }

    const memberPage = await signIn(await newContext(browser, server.url), member.username, member.password);
    const memberRooms = memberPage.getByRole('navigation', { name: 'Conversations' });
    await memberRooms.getByRole('link', { name: /Atlas launch/ }).click();

    const page = await signIn(await newContext(browser, server.url), server.admin.username, server.admin.password);
    await openAdminRooms(page, 'Admin', 'Rooms');
    const table = page.getByRole('table', { name: 'Rooms' });
    await table.getByRole('rowheader', { name: 'Boreal ops' }).waitFor();

    await page.getByLabel('Name contains').fill('atlas');
    await table.getByRole('rowheader', { name: 'Boreal ops' }).waitFor({ state: 'detached' });
    await table.getByRole('rowheader', { name: 'Atlas archive' }).waitFor();
    await page.getByLabel('Department').selectOption({ label: 'Field sales' });
    await table.getByRole('rowheader', { name: 'Atlas archive' }).waitFor({ state: 'detached' });
    const launchRow = table.getByRole('row', { name: /Atlas launch/ });
    await launchRow.getByRole('cell', { name: 'Otto Owner' }).waitFor();

    await table.getByLabel('Select all shown').check();
    await page.getByRole('status').filter({ hasText: '2 rooms selected' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Delete selected' }).isDisabled(), true, 'active rooms cannot be deleted');
    await page.getByRole('button', { name: 'Freeze selected', exact: true }).click();
    const freezeDialog = page.getByRole('dialog', { name: 'Freeze 2 rooms' });
    const freezeButton = freezeDialog.getByRole('button', { name: 'Freeze', exact: true });
    assert.equal(await freezeButton.isDisabled(), true, 'a reason is required');
    await freezeDialog.getByLabel('Reason shown to members').fill('Project closed, records kept by Legal');
    await freezeButton.click();
    await freezeDialog.waitFor({ state: 'detached' });
    await launchRow.getByText('Project closed, records kept by Legal').waitFor();
    await memberPage.getByText('This room is frozen and read-only: Project closed, records kept by Legal').waitFor();
    await launchRow.getByText('A compliance officer exports this room').waitFor();
    assert.equal(await launchRow.getByRole('link', { name: /Export .* as JSON Lines/ }).count(), 0, 'no export link an administrator who is not a member could only be refused');
    await saveScreenshot(page, 'admin-rooms-en');

    // Reading rooms one is not in is a compliance officer's duty: the officer's exports are the archive the records
    // policy asks for before deletion (separation-of-duties.test.ts).
    const exported = await exportAsOfficer(server, launch.id);
    await exportAsOfficer(server, research.id);
    const exportPath = join(await mkdtemp(join(tmpdir(), 'enclave-export-')), 'atlas-launch.jsonl');
    await writeFile(exportPath, exported);
    assert.match(exported, /Launch is on Friday/);
    assert.match(exported, /Slides are in the shared drive/);

    await page.getByRole('button', { name: 'Delete selected' }).click();
    const deleteDialog = page.getByRole('dialog', { name: 'Delete 2 rooms for good' });
    await deleteDialog.getByText('This cannot be undone.', { exact: false }).waitFor();
    await deleteDialog.getByRole('listitem').filter({ hasText: 'Atlas research' }).waitFor();
    const deleteButton = deleteDialog.getByRole('button', { name: 'Delete for good' });
    await deleteDialog.getByLabel('Type DELETE to confirm').fill('delete');
    assert.equal(await deleteButton.isDisabled(), true, 'only the exact word enables deletion');
    await deleteDialog.getByLabel('Type DELETE to confirm').fill('DELETE');
    await deleteButton.click();

    const certificates = page.getByRole('region', { name: 'Deletion certificates' });
    const launchCertificate = certificates.getByRole('article', { name: 'Certificate for Atlas launch' });
    await launchCertificate.waitFor();
    await certificates.getByRole('article', { name: 'Certificate for Atlas research' }).waitFor();
    assert.equal(await certificates.getByRole('article').count(), 2);
    const sha256 = createHash('sha256').update(exported).digest('hex');
    await launchCertificate.getByText(sha256).waitFor();
    await launchCertificate.getByLabel('Check a JSON Lines export against this certificate').setInputFiles(exportPath);
    await launchCertificate.getByRole('status').filter({ hasText: 'The file matches the certificate.' }).waitFor();
    await table.getByRole('rowheader', { name: 'Atlas launch' }).waitFor({ state: 'detached' });

    await memberRooms.getByRole('link', { name: /Atlas launch/ }).waitFor({ state: 'detached' });
    await memberRooms.getByRole('link', { name: /Atlas research/ }).waitFor({ state: 'detached' });
    await memberRooms.getByRole('link', { name: /Atlas archive/ }).waitFor();
    const { rooms } = await server.admin.client.endpoint('adminListRooms')({ query: { q: 'atlas' } });
    assert.deepEqual(
      rooms.map((room) => room.name),
      ['Atlas archive'],
    );
  });

  test('the Rooms section speaks Chinese, down to the word typed to confirm a deletion', async () => {
    const owner = await buildUser(server, { displayName: '王大明' });
    const room = await buildRoom(server, { owner: owner.client, name: '旧项目群' });
    await owner.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '项目已结束。' } });
    await server.admin.client.endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: '项目结束，等待归档' } });
    await exportAsOfficer(server, room.id);

    const page = await (await newContext(browser, server.url, 'zh-CN')).newPage();
    await page.goto('/');
    await page.getByLabel('用户名').fill(server.admin.username);
    await page.getByLabel('密码').fill(server.admin.password);
    await page.getByRole('button', { name: '登录' }).click();
    await openAdminRooms(page, '管理', '房间');

    const table = page.getByRole('table', { name: '房间' });
    for (const header of ['房间', '类型', '成员数', '所有者', '最后活动', '状态', '操作']) {
      await table.getByRole('columnheader', { name: header, exact: true }).waitFor();
    }
    await page.getByRole('group', { name: '查找房间' }).getByLabel('名称包含').fill('旧项目');
    const row = table.getByRole('row', { name: /旧项目群/ });
    await row.getByText('已冻结').waitFor();
    await row.getByText('项目结束，等待归档').waitFor();
    await row.getByRole('cell', { name: '王大明' }).waitFor();
    await row.getByText('此房间由合规专员导出').waitFor();
    await page.getByLabel('全选当前显示的房间').check();
    await page.getByRole('status').filter({ hasText: '已选择 1 个房间' }).waitFor();
    await saveScreenshot(page, 'admin-rooms-zh-CN');

    await row.getByRole('button', { name: '删除 旧项目群' }).click();
    const dialog = page.getByRole('dialog', { name: '永久删除 1 个房间' });
    await dialog.getByText('此操作无法撤销。', { exact: false }).waitFor();
    await dialog.getByLabel('输入“删除”以确认').fill('删除');
    await dialog.getByRole('button', { name: '永久删除' }).click();
    await page.getByRole('region', { name: '删除证明' }).getByRole('article', { name: '旧项目群 的删除证明' }).getByText('已删除消息').waitFor();
  });
});
