import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildUser, sendConfirmed } from '@enclave/testkit';
import { messagesOf, newContext, openRoom, signIn, startBrowserSuiteWithPlainGuard, stopBrowserSuite } from './browser';
import { photographScreen, traceCodesInPhoto } from './photo-of-screen';

describe('a photo of a screen still names the leaker', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuiteWithPlainGuard());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('OCR of a degraded photo of a watermarked confidential room reads a code that resolves to the viewer', async () => {
    const alice = await buildUser(server, { clearance: 'confidential', displayName: 'Alice Board' });
    const bob = await buildUser(server, { clearance: 'confidential', displayName: 'Bob Leaker' });
    const officer = await buildUser(server, { role: 'compliance' });
    const roomName = `Board ${randomBytes(2).toString('hex')}`;
    const { room } = await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: roomName, memberIds: [bob.user.id], ceiling: 'confidential' } });
    await sendConfirmed(alice.client, room.id, { text: 'Q3 acquisition target: Northwind, offer at 41 per share', label: 'confidential' });
    await sendConfirmed(alice.client, room.id, { text: 'Do not share outside the board until the announcement.', label: 'confidential' });
    const page = await signIn(await newContext(browser, server.url), bob.username, bob.password);
    await openRoom(page, roomName);
    await messagesOf(page).filter({ hasText: 'Northwind' }).waitFor();
    await page.getByRole('note', { name: /trace code/ }).waitFor();

    // The same in Chinese: the tiles' dates change script, the code does not.
    for (const locale of ['en', 'zh-CN'] as const) {
      if (locale === 'zh-CN') {
        await page.getByLabel('Language').selectOption('zh-CN');
        await page.getByRole('note', { name: /追踪码/ }).waitFor();
      }
      const photo = await photographScreen(await page.screenshot(), `watermark-photo-${locale}`);
      const codes = await traceCodesInPhoto(photo);
      assert.ok(codes.length > 0, `OCR read no valid code from the ${locale} photo`);
      const { results } = await officer.client.endpoint('resolveTrace')({ body: { text: codes.join(' ') } });
      const resolved = results.filter((result) => result.status === 'resolved');
      assert.ok(resolved.length > 0, `none of ${codes.join(', ')} resolved`);
      // A misread that passes the check resolves to no one ("unknown"); whatever does resolve names Bob.
      for (const result of resolved) {
        assert.deepEqual({ viewer: result.issue?.viewer.id, kind: result.issue?.kind, itemId: result.issue?.itemId }, { viewer: bob.user.id, kind: 'room-view', itemId: room.id });
      }
    }
  });
});
