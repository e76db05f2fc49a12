import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Room } from '@enclave/protocol';
import { EnclaveClient } from '@enclave/sdk';
import type { Browser, Page } from 'playwright-core';
import { rejectsWith } from '../../server/test/expect-error';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { upload } from '../../server/test/upload-helpers';
import { newContext, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

/** A compliance officer, created by the administrator like anyone else but with their own role. */
async function buildOfficer(server: TestServer, displayName: string) {
  const username = `officer-${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const { user } = await server.admin.client.endpoint('createUser')({ body: { username, password, displayName, role: 'compliance' } });
  const client = new EnclaveClient({ baseUrl: server.url });
  await client.login(username, password);
  return { user, username, password, client };
}

/** Sends a message that a review rule holds back; the sender is told it waits for a compliance officer. */
async function sendHeld(client: EnclaveClient, room: Room, text: string): Promise<void> {
  await rejectsWith(client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text } }), 'DLP_HELD_FOR_REVIEW', 409);
}

async function historyTexts(client: EnclaveClient, room: Room): Promise<string[]> {
  const { messages } = await client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 50 } });
  return messages.map((message) => message.text);
}

function heldMessage(page: Page, text: string) {
  return page.getByRole('article').filter({ hasText: text });
}

describe('the compliance console', () => {
  let server: TestServer;
  let browser: Browser;
  let officer: Awaited<ReturnType<typeof buildOfficer>>;
  let alice: Awaited<ReturnType<typeof buildUser>>;
  let bob: Awaited<ReturnType<typeof buildUser>>;
  let room: Room;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
    officer = await buildOfficer(server, 'Olivia Officer');
    alice = await buildUser(server, { displayName: 'Alice Sender' });
    bob = await buildUser(server, { displayName: 'Bob Reader' });
    room = await buildRoom(server, { owner: alice.client, name: 'Deal room', members: [bob.user] });
    await server.admin.client.endpoint('createDlpRule')({ body: { name: 'Merger talk', detector: { kind: 'keywords', words: ['merger', '并购'] }, action: 'review' } });
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('an officer releases one held message, which the room then receives, and rejects another', async () => {
    await sendHeld(alice.client, room, 'The merger closes on Friday');
    await sendHeld(alice.client, room, 'Merger price: 42 per share');
    assert.deepEqual(await historyTexts(bob.client, room), [], 'nobody receives a held message');

    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    assert.equal(await page.getByRole('link', { name: 'Admin' }).count(), 0, 'a compliance officer has no admin console');
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('heading', { level: 1, name: 'Compliance' }).waitFor();
    const first = heldMessage(page, 'The merger closes on Friday');
    await first.getByRole('heading', { name: 'Alice Sender in Deal room' }).waitFor();
    await first.getByText('Merger talk').waitFor();
    await first.locator('.label-chip').filter({ hasText: 'Internal' }).waitFor();
    await heldMessage(page, 'Merger price: 42 per share').waitFor();
    await saveScreenshot(page, 'review-queue');

    await first.getByLabel('Note (optional; kept with the decision)').fill('Announced publicly this morning');
    await first.getByRole('button', { name: 'Release' }).click();
    await page.getByRole('status').filter({ hasText: 'Released: the message was delivered to the room.' }).waitFor();
    await first.waitFor({ state: 'detached' });
    await waitUntil('the released message reaches the room', async () => (await historyTexts(bob.client, room)).includes('The merger closes on Friday'));

    const second = heldMessage(page, 'Merger price: 42 per share');
    await second.getByRole('button', { name: 'Reject' }).click();
    await page.getByRole('status').filter({ hasText: 'Rejected: the sender has been told.' }).waitFor();
    await page.getByText('Nothing is waiting for review.').waitFor();
    assert.deepEqual(await historyTexts(bob.client, room), ['The merger closes on Friday'], 'the rejected message is never delivered');

    await page.getByRole('tab', { name: 'Released' }).click();
    const released = heldMessage(page, 'The merger closes on Friday');
    await released.getByText('Announced publicly this morning').waitFor();
    await released.getByText('Olivia Officer').waitFor();
    assert.equal(await released.getByRole('button', { name: 'Release' }).count(), 0, 'a decided message cannot be decided again');
    await page.getByRole('tab', { name: 'Rejected' }).click();
    await heldMessage(page, 'Merger price: 42 per share').waitFor();

    const { reviews } = await officer.client.endpoint('listReviews')({ query: { status: 'released' } });
    assert.equal(reviews.find((review) => review.text === 'The merger closes on Friday')?.note, 'Announced publicly this morning');
  });

  test('the audit log lists the data protection entries, newest first, with the chain badge', async () => {
    await server.admin.client.endpoint('createDlpRule')({ body: { name: 'Audited rule', detector: { kind: 'builtin', id: 'email' }, action: 'warn' } });
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('tab', { name: 'Audit log' }).click();
    const log = page.getByRole('region', { name: 'Audit log' });
    await log.getByRole('status').filter({ hasText: 'Chain intact' }).waitFor();
    await log.getByLabel('Action').selectOption({ label: 'Created a data protection rule' });
    await waitUntil('only dlp.rule_created entries are listed', async () => {
      // One read of every cell at once: the list may re-render between separate reads.
      const actions = await log.locator('tbody tr td:nth-child(4)').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('title')));
      return actions.length > 0 && actions.every((action) => action === 'dlp.rule_created');
    });
    const seqs = (await log.locator('tbody tr td:nth-child(1)').allTextContents()).map(Number);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
    await saveScreenshot(page, 'audit-log');

    const { entries, chainIntact } = await officer.client.endpoint('listAudit')({ query: { action: 'dlp.' } });
    assert.equal(chainIntact, true);
    assert.ok(entries.some((entry) => entry.action === 'dlp.review_released'));
  });

  test('administrators and compliance officers each see only their own console', async () => {
    const adminPage = await signIn(await newContext(browser, server.url), server.admin.username, server.admin.password);
    assert.equal(await adminPage.getByRole('link', { name: 'Compliance' }).count(), 0, 'an administrator has no compliance console');
    await adminPage.goto('/compliance');
    await adminPage.getByText('Only compliance officers can open this page.').waitFor();
    assert.equal(await adminPage.getByRole('tab', { name: 'Review queue' }).count(), 0);
    await rejectsWith(server.admin.client.endpoint('listReviews')({ query: {} }), 'COMPLIANCE_REQUIRED', 403);

    const officerPage = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await officerPage.goto('/admin');
    await officerPage.getByText('Only administrators can open this page.').waitFor();
  });

  test('the console in Chinese', async () => {
    await sendHeld(alice.client, room, '并购方案下周公布');
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('link', { name: '合规' }).click();
    await page.getByRole('heading', { level: 1, name: '合规审核' }).waitFor();
    const held = heldMessage(page, '并购方案下周公布');
    await held.getByRole('heading', { name: 'Alice Sender（Deal room）' }).waitFor();
    await held.getByRole('button', { name: '放行' }).waitFor();
    await held.getByRole('button', { name: '驳回' }).waitFor();
    await saveScreenshot(page, 'compliance-zh');
    await page.getByRole('tab', { name: '审计日志' }).click();
    await page.getByRole('status').filter({ hasText: '哈希链完整' }).waitFor();
  });

  test('a held message’s file is listed with its size and opens for the officer in a new tab', async () => {
    const terms = await upload(alice.client, room.id, 'Merger terms: 42 per share, closing Friday', 'terms.txt');
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'Terms attached', fileIds: [terms.id] } }), 'DLP_HELD_FOR_REVIEW', 409);
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await page.getByRole('link', { name: 'Compliance' }).click();
    const held = heldMessage(page, 'Terms attached');
    const files = held.getByRole('list', { name: 'Held files' });
    await files.getByText('terms.txt').waitFor();
    await files.getByText('42 bytes').waitFor();
    const download = files.getByRole('link', { name: 'Download terms.txt' });
    assert.match((await download.getAttribute('href')) ?? '', /disposition=attachment$/);

    const opened = page.waitForEvent('popup');
    await files.getByRole('link', { name: 'View terms.txt' }).click();
    const tab = await opened;
    await tab.getByText('Merger terms: 42 per share, closing Friday').waitFor();
    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'compliance.held_file_opened' } });
    assert.equal(entries[0]?.target?.id, terms.id);
  });
});
