import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { encodeInvisibleTraceCode, formatTraceCode, TRACE_CODE_ALPHABET, traceCodeFrom, type TraceMark } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import type { Browser } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';
import { newContext, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

/** The code as a photo would be read with one symbol wrong, which its check symbol catches and the server corrects. */
function misreadOf(code: string): string {
  const wrong = TRACE_CODE_ALPHABET[(TRACE_CODE_ALPHABET.indexOf(code[0]!) + 1) % TRACE_CODE_ALPHABET.length]!;
  return wrong + code.slice(1);
}

/** The code read with two symbols wrong: too far off to correct, so it names nobody. */
function twoWrongOf(code: string): string {
  const once = misreadOf(code);
  const wrong = TRACE_CODE_ALPHABET[(TRACE_CODE_ALPHABET.indexOf(once[4]!) + 3) % TRACE_CODE_ALPHABET.length]!;
  return once.slice(0, 4) + wrong + once.slice(5);
}

async function markOf(client: EnclaveClient, kind: 'room-view' | 'message-copy', itemId: string): Promise<TraceMark> {
  const { mark } = await client.endpoint('issueTraceMark')({ body: { kind, itemId } });
  assert.ok(mark, `${kind} ${itemId} should be marked`);
  return mark;
}

describe('leak tracing in the consoles', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('an officer traces a typed code and a pasted leak to the member and the guest they were issued to, in English and Chinese', async () => {
    const username = `officer-${randomBytes(3).toString('hex')}`;
    const password = `pw-${randomBytes(8).toString('hex')}`;
    await server.admin.client.endpoint('createUser')({ body: { username, password, displayName: 'Olivia Officer', role: 'compliance' } });
    const mia = await buildUser(server, { displayName: 'Mia Member', clearance: 'confidential' });
    const gina = await buildUser(server, { displayName: 'Gina Guest', role: 'guest' });
    const { room: board } = await mia.client.endpoint('createRoom')({ body: { kind: 'group', name: 'Board room', memberIds: [], ceiling: 'confidential' } });
    const minutes = await sendConfirmed(mia.client, board.id, { text: 'The dividend rises to 14 cents', label: 'confidential' });
    const memberMark = await markOf(mia.client, 'message-copy', minutes.id);
    const partners = await buildRoom(server, { owner: mia.client, name: 'Partner desk', members: [gina.user] });
    await server.admin.client.endpoint('setRoomMarking')({ params: { roomId: partners.id }, body: { marking: 'always' } });
    const guestMark = await markOf(gina.client, 'room-view', partners.id);
    const unknownCode = traceCodeFrom(randomBytes(4).toString('hex').toUpperCase());

    const page = await signIn(await newContext(browser, server.url), username, password);
    await page.getByRole('link', { name: 'Compliance' }).click();
    await page.getByRole('tab', { name: 'Trace a leak' }).click();
    const view = page.getByRole('region', { name: 'Trace a leak' });
    const text = view.getByLabel('Code or leaked text');

    // Read off a photo and typed as a person would: lower case, spaces instead of hyphens.
    await text.fill(formatTraceCode(memberMark.code).toLowerCase().replaceAll('-', ' '));
    await view.getByRole('button', { name: 'Resolve' }).click();
    const memberCard = view.getByRole('article', { name: formatTraceCode(memberMark.code) });
    await memberCard.getByText('Resolved', { exact: true }).waitFor();
    await memberCard.getByText('Mia Member').waitFor();
    await memberCard.getByText(`@${mia.username}`).waitFor();
    await memberCard.getByText('A message (copied text)').waitFor();
    await memberCard.getByText('Board room').waitFor();
    assert.equal(await memberCard.getByText('External').count(), 0, 'a member is not marked as a guest');
    assert.equal(await memberCard.locator('time').getAttribute('datetime'), memberMark.issuedAt);

    // A leaked post: copied text carrying the guest's invisible mark, a code misread off a photo in one symbol and
    // another in two, and a made-up one.
    const leak = `Partner desk notes${encodeInvisibleTraceCode(guestMark.code)}: shipping moves to May.\nPhoto caption: ${formatTraceCode(misreadOf(memberMark.code))}\nBlurred photo: ${formatTraceCode(twoWrongOf(memberMark.code))}\nForum post: ${formatTraceCode(unknownCode)}`;
    await text.fill(leak);
    await view.getByRole('button', { name: 'Resolve' }).click();
    const guestCard = view.getByRole('article', { name: formatTraceCode(guestMark.code) });
    await guestCard.getByText('Gina Guest').waitFor();
    await guestCard.getByText('External').waitFor();
    await guestCard.getByText('The room view').waitFor();
    await guestCard.getByText('Partner desk').waitFor();
    await guestCard.getByText('An invisible mark in copied text').waitFor();
    const correctedCard = view.getByRole('article', { name: formatTraceCode(memberMark.code) });
    await correctedCard.getByText('Resolved, one symbol corrected').waitFor();
    await correctedCard.getByText(`Read as ${formatTraceCode(misreadOf(memberMark.code))}`, { exact: false }).waitFor();
    await correctedCard.getByText('Mia Member').waitFor();
    const misreadCard = view.getByRole('article', { name: formatTraceCode(twoWrongOf(memberMark.code)) });
    await misreadCard.getByText('Misread', { exact: true }).waitFor();
    await misreadCard.getByText('Check the symbols against the leak', { exact: false }).waitFor();
    const unknownCard = view.getByRole('article', { name: formatTraceCode(unknownCode) });
    await unknownCard.getByText('Unknown code').waitFor();
    await unknownCard.getByText('Nobody was issued this code', { exact: false }).waitFor();
    assert.equal(await misreadCard.getByText('Mia Member').count(), 0, 'a misread code names nobody');
    assert.equal(await view.getByRole('article').count(), 4);
    await saveScreenshot(page, 'trace-a-leak-en');

    // Nothing code-shaped: the server's error, said as a message.
    await text.fill('no code in this text at all');
    await view.getByRole('button', { name: 'Resolve' }).click();
    await view.getByRole('alert').filter({ hasText: 'No trace code was found.' }).waitFor();
    assert.equal(await view.getByRole('article').count(), 0);

    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('tab', { name: '追查泄露' }).click();
    const zh = page.getByRole('region', { name: '追查泄露' });
    await zh.getByLabel('追踪码或泄露的文字').fill(`${formatTraceCode(memberMark.code)} ${formatTraceCode(misreadOf(guestMark.code))} ${formatTraceCode(twoWrongOf(guestMark.code))}`);
    await zh.getByRole('button', { name: '查询' }).click();
    const zhMember = zh.getByRole('article', { name: formatTraceCode(memberMark.code) });
    await zhMember.getByText('已查明').waitFor();
    await zhMember.getByText('Mia Member').waitFor();
    await zhMember.getByText('一条消息（复制的文字）').waitFor();
    await zhMember.getByText('印出的追踪码').waitFor();
    await zh.getByRole('article', { name: formatTraceCode(guestMark.code) }).getByText('已查明（纠正一个符号）').waitFor();
    await zh.getByRole('article', { name: formatTraceCode(twoWrongOf(guestMark.code)) }).getByText('识读有误').waitFor();
    await saveScreenshot(page, 'trace-a-leak-zh-CN');
  });

  test('an administrator watermarks a room always, and turns a label’s watermark off and on again', async () => {
    const owner = await buildUser(server, { displayName: 'Otto Owner' });
    const room = await buildRoom(server, { owner: owner.client, name: 'Supplier talks' });
    assert.equal(room.marking, 'by-label');
    const page = await signIn(await newContext(browser, server.url), server.admin.username, server.admin.password);
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('tab', { name: 'Rooms' }).click();
    const row = page.getByRole('table', { name: 'Rooms' }).getByRole('row', { name: /Supplier talks/ });
    const marking = row.getByLabel('Watermarks in Supplier talks');
    assert.equal(await marking.inputValue(), 'by-label');
    assert.equal(await row.getByText('The room view is watermarked').count(), 0, 'an internal room is not marked by its label');
    await marking.selectOption({ label: 'Always' });
    await row.getByText('The room view is watermarked').waitFor();
    const { rooms } = await server.admin.client.endpoint('adminListRooms')({ query: { q: 'Supplier talks' } });
    assert.deepEqual(
      rooms.map((stored) => ({ id: stored.id, marking: stored.marking, marked: stored.marked })),
      [{ id: room.id, marking: 'always', marked: true }],
    );

    await page.getByRole('tab', { name: 'Classification labels' }).click();
    const confidential = page.getByRole('form', { name: 'confidential' });
    const flag = confidential.getByRole('checkbox', { name: 'Watermark what is labelled confidential' });
    const confidentialMarked = async () => (await server.admin.client.endpoint('listLabels')()).labels.find((label) => label.id === 'confidential')?.marked;
    assert.equal(await flag.isChecked(), true, 'a fresh install watermarks Confidential');
    await flag.uncheck();
    await confidential.getByRole('button', { name: 'Save' }).click();
    await waitUntil('the label is no longer watermarked', async () => (await confidentialMarked()) === false);
    await flag.check();
    await confidential.getByRole('button', { name: 'Save' }).click();
    await waitUntil('the label is watermarked again', async () => (await confidentialMarked()) === true);
  });
});
