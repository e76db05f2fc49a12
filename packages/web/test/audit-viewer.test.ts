import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Room } from '@enclave/protocol';
import type { Browser, Locator, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { newContext, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

describe('the readable audit log', () => {
  let server: TestServer;
  let browser: Browser;
  let officer: Awaited<ReturnType<typeof buildUser>>;
  let alice: Awaited<ReturnType<typeof buildUser>>;
  let wang: Awaited<ReturnType<typeof buildUser>>;
  let room: Room;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
    officer = await buildUser(server, { role: 'compliance', displayName: 'Olivia Officer', username: `officer-${randomBytes(3).toString('hex')}` });
    alice = await buildUser(server, { displayName: 'Alice Chen' });
    wang = await buildUser(server, { displayName: '王大明' });
    room = await buildRoom(server, { owner: alice.client, name: '产品讨论' });
    await buildRoom(server, { owner: wang.client, name: 'Elsewhere' });
    await alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [wang.user.id] } });
    await alice.client.endpoint('removeMember')({ params: { roomId: room.id, userId: wang.user.id } });
    // However far the server's own schedule is, there is a checkpoint to show.
    await server.running.services.auditCheckpoints.checkpointIfDue(Date.now() + 24 * 3_600_000);
  });

  after(() => stopBrowserSuite({ server, browser }));

  /** The action codes of the listed entries, which each row carries on hover beside its words; read at once, as the list re-renders. */
  function actionCodes(log: Locator): Promise<string[]> {
    return log.locator('tbody tr td:nth-child(4)').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('title') ?? ''));
  }

  async function openAuditLog(page: Page, tab: string): Promise<void> {
    await page.goto('/compliance');
    await page.getByRole('tab', { name: tab }).click();
  }

  test('in English: actions in words, people and rooms by name with ids on hover, details as fields, filters and CSV export', async () => {
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await openAuditLog(page, 'Audit log');
    const log = page.getByRole('region', { name: 'Audit log' });
    const added = log.getByRole('row').filter({ hasText: 'Added members' });
    await added.waitFor();
    await added.getByRole('button', { name: 'Show only what Alice Chen did' }).waitFor();
    assert.equal(await added.getByRole('button', { name: 'Show only what Alice Chen did' }).getAttribute('title'), alice.user.id);
    assert.equal(await added.locator('dt').first().textContent(), 'People');
    assert.equal(await added.locator('dd').getByText('王大明').getAttribute('title'), wang.user.id);

    await added.getByRole('button', { name: 'Show only entries about 产品讨论' }).first().click();
    await waitUntil('only entries about the room are listed', async () => {
      const actions = await log.locator('tbody tr td:nth-child(4)').allTextContents();
      return actions.length === 3 && actions.includes('Created a room') && actions.includes('Removed a member');
    });
    await log.getByLabel('Who').selectOption({ label: 'Alice Chen' });
    await log.getByLabel('Action').selectOption({ label: 'Removed a member' });
    await waitUntil('one entry is left', async () => (await log.locator('tbody tr').count()) === 1);
    const today = new Date().toISOString().slice(0, 10);
    await log.getByLabel('From').fill(today);
    await log.getByLabel('Until (inclusive)').fill(today);
    await log.getByRole('row').filter({ hasText: 'Removed a member' }).waitFor();

    const href = await log.getByRole('link', { name: 'Export as CSV' }).getAttribute('href');
    assert.ok(href);
    assert.ok(href.includes(`roomId=${room.id}`) && href.includes(`actorId=${alice.user.id}`) && href.includes('action=room.member_removed'));
    const csv = await (await page.request.get(href)).text();
    const lines = csv.trim().split('\n');
    assert.equal(lines.length, 2, csv);
    assert.match(lines[1]!, new RegExp(`Alice Chen,room\\.member_removed,room,${room.id},产品讨论,`));
    await saveScreenshot(page, 'audit-readable-en');

    await log.getByRole('button', { name: 'Show all' }).click();
    await log.getByRole('row').filter({ hasText: 'Exported the audit log' }).first().waitFor();
  });

  test('in Chinese: the same log in Chinese words', async () => {
    const page = await (await newContext(browser, server.url, 'zh-CN')).newPage();
    await page.goto('/');
    await page.getByLabel('用户名').fill(officer.username);
    await page.getByLabel('密码').fill(officer.password);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByRole('link', { name: '合规' }).waitFor();
    await openAuditLog(page, '审计日志');
    const log = page.getByRole('region', { name: '审计日志' });
    const added = log.getByRole('row').filter({ hasText: '添加了成员' });
    await added.waitFor();
    assert.equal(await added.locator('dt').first().textContent(), '人员');
    await log.getByRole('row').filter({ hasText: '创建了群组' }).first().waitFor();
    await saveScreenshot(page, 'audit-readable-zh-CN');
    await added.getByRole('button', { name: '只看与 产品讨论 有关的记录' }).first().click();
    // Officers' own readings filtered by the room name it too, and are about it as much as its changes are.
    const aboutRoom = new Set(['room.created', 'room.members_added', 'room.member_removed', 'compliance.audit_viewed', 'compliance.audit_exported']);
    await waitUntil('only entries about the room are listed', async () => {
      const actions = await actionCodes(log);
      return actions.includes('room.created') && actions.every((action) => aboutRoom.has(action));
    });
    await log.getByRole('link', { name: '导出为 CSV' }).waitFor();
  });

  test('the checkpoints view lists the latest signed checkpoints and links the file and the public key', async () => {
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await openAuditLog(page, 'Checkpoints');
    const view = page.getByRole('region', { name: 'Audit checkpoints' });
    const [latest] = await server.running.services.auditCheckpoints.latest(1);
    assert.ok(latest);
    await view.getByRole('cell', { name: latest.headHash }).waitFor();
    const fileLink = await view.getByRole('link', { name: 'Download the checkpoints file' }).getAttribute('href');
    const file = await (await page.request.get(fileLink!)).text();
    assert.ok(file.includes(`"headHash":"${latest.headHash}"`));
    const keyLink = await view.getByRole('link', { name: 'Download the public key' }).getAttribute('href');
    assert.equal(decodeURIComponent(keyLink!.split(',').slice(1).join(',')), server.running.services.auditKey.publicKeyPem);
    await saveScreenshot(page, 'audit-checkpoints');
  });
});
