import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Room } from '@enclave/protocol';
import { EnclaveClient } from '@enclave/sdk';
import type { Browser, Page } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';
import { newContext, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

/** A compliance officer, created by the administrator with their own role. */
async function buildOfficer(server: TestServer, displayName: string) {
  const username = `officer-${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const { user } = await server.admin.client.endpoint('createUser')({ body: { username, password, displayName, role: 'compliance' } });
  const client = new EnclaveClient({ baseUrl: server.url });
  await client.login(username, password);
  return { user, username, password, client };
}

function foundRecord(page: Page, kind: string) {
  return page.getByRole('list', { name: /Records found|检索到的记录/ }).getByRole('article').filter({ has: page.locator('.record__kind', { hasText: kind }) });
}

describe('the officer’s records search', () => {
  let server: TestServer;
  let browser: Browser;
  let officer: Awaited<ReturnType<typeof buildOfficer>>;
  let room: Room;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
    officer = await buildOfficer(server, 'Olivia Officer');
    const alice = await buildUser(server, { displayName: 'Alice Sender' });
    const bob = await buildUser(server, { displayName: 'Bob Reader' });
    room = await buildRoom(server, { owner: alice.client, name: 'Deal room', members: [bob.user] });
    const edited = await sendConfirmed(alice.client, room.id, { text: 'The acquisition price is 42 per share' });
    await alice.client.endpoint('editMessage')({ params: { messageId: edited.id }, body: { text: 'The price is not settled yet' } });
    const deleted = await sendConfirmed(bob.client, room.id, { text: '收购计划已经批准' });
    await bob.client.endpoint('deleteMessage')({ params: { messageId: deleted.id } });
    await sendConfirmed(bob.client, room.id, { text: 'Acquisition call at noon' });
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('finds an earlier version by its words and a custodian, and opens it in full', async () => {
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('tab', { name: 'Search records' }).click();
    await page.getByRole('searchbox', { name: 'Words' }).fill('acquisition');
    await page.getByRole('group', { name: 'Custodians (senders)' }).getByRole('checkbox', { name: /Alice Sender/ }).check();
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const version = foundRecord(page, 'Version 1');
    await version.getByText('Alice Sender in Deal room').waitFor();
    assert.equal(await foundRecord(page, 'Current').count(), 0, 'Bob’s message is not Alice’s, and her current text lacks the word');

    await version.getByRole('button', { name: /Open the record of Alice Sender/ }).click();
    const detail = page.getByRole('region', { name: 'Record', exact: true });
    await detail.getByText('Opening this record was written to the audit log.').waitFor();
    await detail.getByLabel('Text').filter({ hasText: 'The price is not settled yet' }).waitFor();
    await detail.getByRole('list', { name: 'Earlier versions' }).getByText('The acquisition price is 42 per share').waitFor();
    await detail.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'records-search-en');

    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'compliance.', limit: 5 } });
    assert.deepEqual(entries.slice(0, 2).map((entry) => entry.action), ['compliance.record_opened', 'compliance.records_searched']);
  });

  test('in Chinese, finds a deleted message by a Chinese word and narrows to its room', async () => {
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('link', { name: '合规' }).click();
    await page.getByRole('tab', { name: '检索记录' }).click();
    await page.getByRole('searchbox', { name: '关键词' }).fill('收购');
    await page.getByRole('button', { name: '检索', exact: true }).click();
    const deleted = foundRecord(page, '已删除');
    await deleted.getByText('Bob Reader（Deal room）').waitFor();
    await deleted.getByRole('button', { name: '仅此房间' }).click();
    await page.getByRole('button', { name: '移除 Deal room' }).waitFor();
    await page.getByRole('button', { name: '检索', exact: true }).click();
    await foundRecord(page, '已删除').waitFor();
    await foundRecord(page, '已删除').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'records-search-zh-CN');
    const { records } = await officer.client.endpoint('searchRecords')({ body: { words: '收购', roomIds: [room.id] } });
    assert.deepEqual(records.map((record) => record.kind), ['deleted']);
  });
});
