import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';
import { messagesOf, newContext, openRoom, signIn, startBrowserSuite, stopBrowserSuite } from './browser';

describe('need-to-know in the web client', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('a guest is marked External on the author line and in the Members panel, from the server\'s flags', async () => {
    const owner = await buildUser(server, { displayName: 'Olga Owner' });
    const colleague = await buildUser(server, { displayName: 'Chen Colleague' });
    const guest = await buildUser(server, { displayName: 'Gabe Partner', role: 'guest' });
    const room = await buildRoom(server, { owner: owner.client, name: 'Supplier talks', members: [colleague.user, guest.user] });
    await sendConfirmed(guest.client, room.id, { text: 'Our offer stands until Friday' });
    await sendConfirmed(colleague.client, room.id, { text: 'Thanks, we will reply soon' });

    const page = await signIn(await newContext(browser, server.url), owner.username, owner.password);
    await openRoom(page, 'Supplier talks');
    const fromGuest = messagesOf(page).filter({ hasText: 'Our offer stands until Friday' });
    await fromGuest.getByText('External', { exact: true }).waitFor();
    const fromColleague = messagesOf(page).filter({ hasText: 'Thanks, we will reply soon' });
    await fromColleague.waitFor();
    assert.equal(await fromColleague.getByText('External', { exact: true }).count(), 0, 'a colleague is not marked');

    await page.getByRole('button', { name: 'Members', exact: true }).click();
    const list = page.getByRole('list', { name: 'Members of this room' });
    await list.getByRole('listitem').filter({ hasText: 'Gabe Partner' }).getByText('External', { exact: true }).waitFor();
    assert.equal(await list.getByRole('listitem').count(), 3);
    assert.equal(await list.getByRole('listitem').filter({ hasText: 'Chen Colleague' }).getByText('External', { exact: true }).count(), 0);
    await list.getByRole('listitem').filter({ hasText: 'Olga Owner' }).getByText('Owner', { exact: true }).waitFor();
  });

  test('the invite page of a confidential room says "a private room", signed out in English and Chinese, and signed in with its label', async () => {
    const owner = await buildUser(server, { clearance: 'confidential' });
    const { room } = await owner.client.endpoint('createRoom')({ body: { kind: 'group', name: 'Project Nightjar', memberIds: [], ceiling: 'confidential' } });
    const { invite } = await owner.client.endpoint('createInvite')({ body: { roomId: room.id } });

    const english = await (await newContext(browser, server.url)).newPage();
    await english.goto(invite.url);
    await english.getByText('Sign in to join a private room.').waitFor();
    assert.ok(!(await english.content()).includes('Nightjar'));

    const chinese = await (await newContext(browser, server.url, 'zh-CN')).newPage();
    await chinese.goto(invite.url);
    await chinese.getByText('一个私密房间').waitFor();
    assert.ok(!(await chinese.content()).includes('Nightjar'));

    const member = await buildUser(server);
    const signedIn = await signIn(await newContext(browser, server.url), member.username, member.password);
    await signedIn.goto(invite.url);
    await signedIn.getByRole('heading', { level: 1, name: 'You are invited to a private room' }).waitFor();
    await signedIn.getByText('Classified Confidential.').waitFor();
    assert.ok(!(await signedIn.content()).includes('Nightjar'));
  });
});
