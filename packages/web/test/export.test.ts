import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Room } from '@enclave/protocol';
import type { Browser } from 'playwright-core';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';
import { readZip } from '../../server/test/export-zip-reader';
import { type TestServer } from '../../server/test/harness';
import { newContext, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

describe('the officer’s export tab', () => {
  let server: TestServer;
  let browser: Browser;
  let officer: Awaited<ReturnType<typeof buildUser>>;
  let alice: Awaited<ReturnType<typeof buildUser>>;
  let room: Room;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
    officer = await buildUser(server, { role: 'compliance', displayName: 'Olivia Officer', username: `officer-${randomBytes(3).toString('hex')}` });
    alice = await buildUser(server, { displayName: 'Alice Archer' });
    room = await buildRoom(server, { owner: alice.client, name: 'Deal room' });
    await sendConfirmed(alice.client, room.id, { text: 'The closing is on Friday' });
    await sendConfirmed(alice.client, room.id, { text: '周五交割' });
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('an officer exports a custodian’s messages in a room and saves the zip', async () => {
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('tab', { name: 'Export' }).click();
    await page.getByRole('heading', { name: 'eDiscovery export' }).waitFor();
    await page.getByLabel('Custodians (senders)').selectOption([alice.user.id]);
    await page.getByRole('searchbox', { name: 'Find rooms by name or people' }).fill('Deal');
    await page.getByRole('button', { name: 'Add Deal room' }).click();
    await page.getByRole('button', { name: 'Remove Deal room' }).waitFor();
    await page.getByLabel('Files').selectOption('without');
    await saveScreenshot(page, 'export-en');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
    await page.getByRole('status').filter({ hasText: /^Saved ediscovery-.*\.zip/ }).waitFor();
    assert.match(download.suggestedFilename(), /^ediscovery-.*\.zip$/);
    const entries = await readZip(readFileSync((await download.path())!));
    const texts = entries.get('messages.jsonl')!.toString('utf8').trim().split('\n').map((line) => (JSON.parse(line) as { text: string }).text);
    assert.deepEqual(texts, ['The closing is on Friday', '周五交割']);
    assert.ok(entries.has('manifest.sig'));
  });

  test('the export tab in Chinese, and an export by a member is refused', async () => {
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('link', { name: '合规' }).click();
    await page.getByRole('tab', { name: '导出' }).click();
    await page.getByRole('heading', { name: '电子取证导出' }).waitFor();
    await page.getByLabel('保管人（发送者）').waitFor();
    await page.getByRole('searchbox', { name: '按名称或成员查找房间' }).fill('Deal');
    await page.getByRole('button', { name: '添加 Deal room' }).click();
    await page.getByRole('button', { name: '移除 Deal room' }).waitFor();
    await saveScreenshot(page, 'export-zh-CN');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出', exact: true }).click()]);
    await page.getByRole('status').filter({ hasText: /^已保存 ediscovery-/ }).waitFor();
    assert.ok((await readZip(readFileSync((await download.path())!))).has('manifest.json'));
    await assert.rejects(alice.client.endpoint('createExport')({ body: { query: { roomIds: [room.id] } } }), { code: 'COMPLIANCE_REQUIRED' });
  });
});
