import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Room } from '@enclave/protocol';
import { EnclaveClient } from '@enclave/sdk';
import type { Browser } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { newContext, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

async function buildOfficer(server: TestServer) {
  const username = `officer-${randomBytes(3).toString('hex')}`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  await server.admin.client.endpoint('createUser')({ body: { username, password, displayName: 'Olivia Officer', role: 'compliance' } });
  const client = new EnclaveClient({ baseUrl: server.url });
  await client.login(username, password);
  return { username, password, client };
}

describe('the officer’s legal holds and retention tabs', () => {
  let server: TestServer;
  let browser: Browser;
  let officer: Awaited<ReturnType<typeof buildOfficer>>;
  let alice: Awaited<ReturnType<typeof buildUser>>;
  let room: Room;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
    officer = await buildOfficer(server);
    alice = await buildUser(server, { displayName: 'Alice Custodian' });
    room = await buildRoom(server, { owner: alice.client, name: 'Deal room' });
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('an officer places a hold on a custodian, which then refuses the room’s deletion, and releases it', async () => {
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'the numbers' } });
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('tab', { name: 'Legal holds' }).click();
    await page.getByText('No legal hold is in force.').waitFor();
    const form = page.getByRole('form', { name: 'Place hold' });
    await form.getByLabel('Matter').fill('Acme v. Example');
    await form.getByLabel('Description').fill('Preserve Alice’s messages');
    await form.getByLabel('Custodians').selectOption({ label: `Alice Custodian (@${alice.user.username})` });
    await form.getByRole('button', { name: 'Place hold' }).click();
    const row = page.getByRole('row').filter({ hasText: 'Acme v. Example' });
    await row.getByRole('cell', { name: 'Alice Custodian' }).waitFor();
    await saveScreenshot(page, 'holds-en');

    await server.admin.client.endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'closing' } });
    const refused = await server.admin.client.endpoint('deleteRoom')({ params: { roomId: room.id } }).then(
      () => undefined,
      (error: { code?: string; data?: Record<string, unknown> }) => error,
    );
    assert.equal(refused?.code, 'LEGAL_HOLD');
    assert.equal(refused?.data?.holdName, 'Acme v. Example');
    await server.admin.client.endpoint('unfreezeRoom')({ params: { roomId: room.id } });

    page.once('dialog', (dialog) => void dialog.accept());
    await row.getByRole('button', { name: 'Release' }).click();
    await page.getByText('No legal hold is in force.').waitFor();
    const { holds } = await officer.client.endpoint('listHolds')({ query: { includeReleased: 'true' } });
    assert.ok(holds.find((hold) => hold.name === 'Acme v. Example')?.releasedAt);
  });

  test('an officer sets the organisation default and a room policy, and purges now', async () => {
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'old news' } });
    await server.running.database.db.updateTable('messages').set({ created_at: Date.now() - 400 * 86_400_000 }).where('id', '=', message.id).execute();
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('tab', { name: 'Retention' }).click();
    await page.getByText('No retention policy: everything is kept.').waitFor();
    const form = page.getByRole('form', { name: 'Save policy' });
    await form.getByLabel('Keep at least (days)').fill('3650');
    await form.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('row').filter({ hasText: 'The organisation (default)' }).getByRole('cell', { name: '3650 days' }).waitFor();
    await form.getByLabel('Applies to').selectOption('room');
    await form.getByLabel('Room id').fill(room.id);
    await form.getByLabel('Keep at least (days)').fill('');
    await form.getByLabel('Delete after (days)').fill('365');
    await form.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('row').filter({ hasText: `Room ${room.id}` }).getByRole('cell', { name: '365 days' }).waitFor();
    await page.getByRole('button', { name: 'Purge now' }).click();
    await page.getByRole('status').filter({ hasText: 'Purged. Messages: 0, files: 0' }).waitFor();
    await saveScreenshot(page, 'retention-en');

    await page.getByRole('row').filter({ hasText: 'The organisation (default)' }).getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('row').filter({ hasText: 'The organisation (default)' }).waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Purge now' }).click();
    await page.getByRole('status').filter({ hasText: 'Purged. Messages: 1, files: 0, rooms: 1' }).waitFor();
    await waitUntil('the old message is gone', async () => (await alice.client.endpoint('listMessages')({ params: { roomId: room.id } })).messages.every((m) => m.id !== message.id));
  });

  test('the tabs in Chinese', async () => {
    await officer.client.endpoint('createHold')({ body: { name: '并购调查', covers: { roomIds: [room.id] } } });
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('link', { name: '合规' }).click();
    await page.getByRole('tab', { name: '法律保全' }).click();
    await page.getByRole('row').filter({ hasText: '并购调查' }).getByRole('button', { name: '解除' }).waitFor();
    await page.getByRole('form', { name: '设立保全' }).getByLabel('保管人').waitFor();
    await saveScreenshot(page, 'holds-zh-CN');
    await page.getByRole('tab', { name: '保留策略' }).click();
    await page.getByRole('button', { name: '立即清除' }).waitFor();
  });

  test('an officer picks a hold’s rooms by name, a direct message by its people, and sees nothing said in them', async () => {
    const bob = await buildUser(server, { displayName: 'Bob Picker' });
    const channel = await buildRoom(server, { owner: alice.client, kind: 'channel', name: 'Picker channel' });
    const { room: dm } = await alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [bob.user.id] } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: dm.id }, body: { text: 'only for Bob’s eyes' } });
    const page = await signIn(await newContext(browser, server.url), officer.username, officer.password);
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('tab', { name: 'Legal holds' }).click();
    const form = page.getByRole('form', { name: 'Place hold' });
    await form.getByLabel('Matter').fill('Picker matter');
    const find = form.getByRole('searchbox', { name: 'Find rooms by name or people' });
    await find.fill('picker chan');
    await form.getByRole('button', { name: 'Add #Picker channel' }).click();
    await find.fill('bob picker');
    const dmChoice = form.getByRole('button', { name: /^Add Direct message: .*Bob Picker/ });
    await dmChoice.waitFor();
    assert.match((await dmChoice.innerText()).replace(/\s+/g, ' '), /Direct message · 2 members/);
    await dmChoice.click();
    await form.getByRole('button', { name: 'Remove #Picker channel' }).waitFor();
    assert.equal(await page.getByText('only for Bob’s eyes').count(), 0, 'the picker shows no content');
    await saveScreenshot(page, 'holds-room-picker-en');
    await form.getByRole('button', { name: 'Place hold' }).click();
    await page.getByRole('row').filter({ hasText: 'Picker matter' }).waitFor();
    const { holds } = await officer.client.endpoint('listHolds')({ query: {} });
    const placed = holds.find((hold) => hold.name === 'Picker matter')!;
    assert.deepEqual([...placed.covers.roomIds].sort(), [channel.id, dm.id].sort());
    await officer.client.endpoint('releaseHold')({ params: { holdId: placed.id } });
  });
});
