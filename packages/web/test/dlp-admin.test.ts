import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { rejectsWith } from '../../server/test/expect-error';
import { type TestServer } from '../../server/test/harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { newContext, openRoom, saveScreenshot, signIn, startBrowserSuite, stopBrowserSuite, waitUntil } from './browser';

/** Signs the administrator in and opens one tab of the admin console. */
async function openConsole(server: TestServer, browser: Browser, tab: string): Promise<Page> {
  const page = await signIn(await newContext(browser, server.url), server.admin.username, server.admin.password);
  await page.getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('tab', { name: tab }).click();
  return page;
}

async function ruleNamed(server: TestServer, name: string) {
  const { rules } = await server.admin.client.endpoint('listDlpRules')();
  return rules.find((rule) => rule.name === name);
}

describe('data protection in the admin console', () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    ({ server, browser } = await startBrowserSuite());
  });

  after(() => stopBrowserSuite({ server, browser }));

  test('an administrator adds a keyword rule that blocks, and a member’s message with the word is then refused until the rule is off', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Keyword' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Launch planning' });
    await server.admin.client.endpoint('createDlpRule')({ body: { name: 'Resident ID numbers', detector: { kind: 'builtin', id: 'prc-id' }, action: 'redact' } });
    await server.admin.client.endpoint('createDlpRule')({
      body: { name: 'Addresses to guests', detector: { kind: 'builtin', id: 'email' }, scope: { audiences: ['guests'] }, action: 'warn' },
    });
    const page = await openConsole(server, browser, 'Data protection');
    await page.getByRole('row', { name: /Resident ID numbers/ }).waitFor();

    await page.getByRole('button', { name: 'Add a rule' }).click();
    const form = page.getByRole('region', { name: 'New data protection rule' });
    await form.getByLabel('Name', { exact: true }).fill('Project codenames');
    await form.getByRole('radio', { name: 'Keywords' }).check();
    await form.getByLabel('Keywords, one per line').fill('kestrel\n猎鹰');
    await form.getByText('English matches whole words, Chinese matches anywhere.').waitFor();
    await form.getByLabel('Try it on sample text').fill('Kestrel ships on Monday; 猎鹰计划 follows. Kestrels do not count.');
    await form.getByRole('button', { name: 'Test' }).click();
    await form.getByRole('status').filter({ hasText: '2 matches' }).waitFor();
    await form.getByRole('radio', { name: /^Block/ }).check();
    // Tall enough for the whole form in one picture.
    await page.setViewportSize({ width: 1280, height: 1500 });
    await form.getByRole('heading', { name: 'New data protection rule' }).scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'dlp-rule-form');
    await page.setViewportSize({ width: 1280, height: 800 });
    await form.getByRole('button', { name: 'Add rule' }).click();
    await form.waitFor({ state: 'detached' });

    const row = page.getByRole('row', { name: /Project codenames/ });
    await row.getByText('Keywords: kestrel, 猎鹰').waitFor();
    await row.getByText('Block').waitFor();
    await saveScreenshot(page, 'dlp-rules');
    const rule = await ruleNamed(server, 'Project codenames');
    assert.deepEqual(rule?.detector, { kind: 'keywords', words: ['kestrel', '猎鹰'] });
    assert.deepEqual(rule?.scope, {});
    assert.equal(rule?.action, 'block');

    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'The Kestrel plan is ready' } }), 'DLP_BLOCKED', 403);
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '猎鹰计划已就绪' } }), 'DLP_BLOCKED', 403);
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'Kestrels are birds of prey' } });

    await row.getByRole('checkbox', { name: 'Enable Project codenames' }).uncheck();
    await waitUntil('the rule is switched off', async () => (await ruleNamed(server, 'Project codenames'))?.enabled === false);
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'The Kestrel plan is ready' } });
  });

  test('a rule limited to a chosen room and a ceiling keeps that scope, and deleting it asks first', async () => {
    const owner = await buildUser(server, { displayName: 'Olga Scope' });
    await buildRoom(server, { owner: owner.client, name: 'Treasury desk' });
    // A channel: a review rule watching one small private group would wait for a second approver (separation of duties).
    const chosen = await buildRoom(server, { owner: owner.client, name: 'Treasury payments', kind: 'channel' });
    const page = await openConsole(server, browser, 'Data protection');
    await page.getByRole('button', { name: 'Add a rule' }).click();
    const form = page.getByRole('region', { name: 'New data protection rule' });
    await form.getByLabel('Name', { exact: true }).fill('Card numbers in treasury');
    await form.getByRole('radio', { name: 'Built-in detector' }).check();
    await form.getByRole('combobox', { name: 'Detector' }).selectOption('bank-card');
    await form.getByRole('radio', { name: 'Only in some rooms' }).check();
    await form.getByRole('searchbox', { name: 'Find rooms' }).fill('Treasury pay');
    await form.getByRole('checkbox', { name: 'Treasury payments' }).check();
    await form.getByRole('list', { name: 'Chosen rooms' }).getByText('Treasury payments').waitFor();
    await form.getByRole('checkbox', { name: 'Ceiling Internal' }).check();
    await form.getByRole('radio', { name: /^Hold for review/ }).check();
    await form.getByRole('button', { name: 'Add rule' }).click();
    await form.waitFor({ state: 'detached' });

    const row = page.getByRole('row', { name: /Card numbers in treasury/ });
    await row.getByText('1 chosen room; ceiling Internal').waitFor();
    const rule = await ruleNamed(server, 'Card numbers in treasury');
    assert.deepEqual(rule?.detector, { kind: 'builtin', id: 'bank-card' });
    assert.deepEqual(rule?.scope, { roomIds: [chosen.id], ceilings: ['internal'] });
    assert.equal(rule?.action, 'review');

    // Editing shows the saved room by name, and changing only the name keeps the scope.
    await row.getByRole('button', { name: 'Edit Card numbers in treasury' }).click();
    const edit = page.getByRole('region', { name: 'Edit the rule “Card numbers in treasury”' });
    await edit.getByRole('list', { name: 'Chosen rooms' }).getByText('Treasury payments').waitFor();
    await edit.getByLabel('Name', { exact: true }).fill('Treasury card numbers');
    await edit.getByRole('button', { name: 'Save rule' }).click();
    await edit.waitFor({ state: 'detached' });
    assert.deepEqual((await ruleNamed(server, 'Treasury card numbers'))?.scope, { roomIds: [chosen.id], ceilings: ['internal'] });

    await page.getByRole('button', { name: 'Delete Treasury card numbers' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete the rule “Treasury card numbers”?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'detached' });
    assert.ok(await ruleNamed(server, 'Treasury card numbers'), 'cancelling keeps the rule');
    await page.getByRole('button', { name: 'Delete Treasury card numbers' }).click();
    await confirm.getByRole('button', { name: 'Delete rule' }).click();
    await page.getByRole('row', { name: /Treasury card numbers/ }).waitFor({ state: 'detached' });
    assert.equal(await ruleNamed(server, 'Treasury card numbers'), undefined);
  });

  test('a fresh install lists the marking rules; a rule that only raises the label needs its label, and a message it matches is labelled by it', async () => {
    const alice = await buildUser(server, { displayName: 'Alice Falcon', clearance: 'confidential' });
    const room = await buildRoom(server, { owner: alice.client, name: 'Falcon desk' });
    const page = await openConsole(server, browser, 'Data protection');
    await page.getByRole('row', { name: /Marked confidential/ }).getByText('raises to').waitFor();

    await page.getByRole('button', { name: 'Add a rule' }).click();
    const form = page.getByRole('region', { name: 'New data protection rule' });
    await form.getByLabel('Name', { exact: true }).fill('Falcon is confidential');
    await form.getByRole('radio', { name: 'Keywords' }).check();
    await form.getByLabel('Keywords, one per line').fill('Project Falcon');
    await form.getByRole('radio', { name: /^Raise the label only/ }).check();
    await form.getByText('A rule that only raises labels needs a label to raise to.').waitFor();
    assert.equal(await form.getByRole('button', { name: 'Add rule' }).isDisabled(), true);
    await form.getByRole('combobox', { name: 'Raise the label of what matches to at least' }).selectOption('confidential');
    // The sample text disguises the keyword as evaders do: hyphenated, spaced out, split by a zero-width space.
    await form.getByLabel('Try it on sample text').fill('PROJECT-FALCON, P r o j e c t  F a l c o n and Project Fal\u200bcon slip a week');
    await form.getByRole('button', { name: 'Test' }).click();
    await form.getByRole('status').filter({ hasText: '3 matches' }).waitFor();
    await saveScreenshot(page, 'dlp-label-rule');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await form.waitFor({ state: 'detached' });

    await page.getByRole('row', { name: /Falcon is confidential/ }).getByText('raises to').waitFor();
    const rule = await ruleNamed(server, 'Falcon is confidential');
    assert.deepEqual([rule?.action, rule?.raisesLabelTo], ['label', 'confidential']);
    const refused = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'Project Falcon slips a week' } }), 'LABEL_ABOVE_ROOM_CEILING', 403);
    assert.equal(refused.data?.raisedBy, 'content');
    await server.admin.client.endpoint('deleteDlpRule')({ params: { ruleId: rule!.id } });
  });

  test('a regular expression with a lookahead is refused, and the reason is shown at the pattern', async () => {
    const page = await openConsole(server, browser, 'Data protection');
    await page.getByRole('button', { name: 'Add a rule' }).click();
    const form = page.getByRole('region', { name: 'New data protection rule' });
    await form.getByLabel('Name', { exact: true }).fill('Plans before launch');
    await form.getByRole('radio', { name: 'Regular expression' }).check();
    const pattern = form.getByRole('textbox', { name: 'Pattern' });
    await pattern.fill('plan(?=\\s+launch)');
    await form.getByLabel('Try it on sample text').fill('plan launch');
    await form.getByRole('button', { name: 'Test' }).click();
    const invalid = 'That pattern is not a valid regular expression for the rule engine.';
    await form.getByRole('alert').filter({ hasText: invalid }).waitFor();
    assert.equal(await pattern.getAttribute('aria-invalid'), 'true');

    await pattern.fill('plan\\s+launch');
    assert.equal(await form.getByRole('alert').count(), 0, 'editing the pattern clears the complaint');
    await pattern.fill('plan(?=\\s+launch)');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await form.getByRole('alert').filter({ hasText: invalid }).waitFor();
    assert.equal(await form.getByRole('alert').count(), 1, 'the reason is shown once, at the field');
    assert.equal(await ruleNamed(server, 'Plans before launch'), undefined);

    await pattern.fill('plan\\s+launch');
    await form.getByRole('button', { name: 'Test' }).click();
    await form.getByRole('status').filter({ hasText: '1 match' }).waitFor();
    await form.getByRole('button', { name: 'Add rule' }).click();
    await form.waitFor({ state: 'detached' });
    assert.deepEqual((await ruleNamed(server, 'Plans before launch'))?.detector, { kind: 'regex', pattern: 'plan\\s+launch' });
  });

  test('label policies for forwarding, copying and downloading are saved per label', async () => {
    const page = await openConsole(server, browser, 'Classification labels');
    const confidential = page.getByRole('form', { name: 'confidential' });
    await confidential.getByLabel('Forwarding of confidential').selectOption('never');
    await confidential.getByRole('checkbox', { name: 'Copying allowed for confidential' }).uncheck();
    await confidential.getByRole('button', { name: 'Save' }).click();
    await waitUntil('the label policy is saved', async () => {
      const { labels } = await server.admin.client.endpoint('listLabels')();
      const label = labels.find((l) => l.id === 'confidential');
      return label?.forwarding === 'never' && !label.copyAllowed && label.downloadAllowed;
    });
    await page.reload();
    await page.getByRole('tab', { name: 'Classification labels' }).click();
    assert.equal(await confidential.getByLabel('Forwarding of confidential').inputValue(), 'never');
    assert.equal(await confidential.getByRole('checkbox', { name: 'Copying allowed for confidential' }).isChecked(), false);
  });

  test('roles include compliance officers and guests; guests are marked external and their clearance is capped', async () => {
    const gina = await buildUser(server, { displayName: 'Gina Guest' });
    const carl = await buildUser(server, { displayName: 'Carl Cleared' });
    await server.admin.client.endpoint('updateUser')({ params: { userId: carl.user.id }, body: { clearance: 'confidential' } });
    const page = await openConsole(server, browser, 'Users');
    const roleOptions = await page.getByRole('region', { name: 'Create a user' }).getByLabel('Role').locator('option').allTextContents();
    assert.deepEqual(roleOptions, ['Administrator', 'Compliance officer', 'Member', 'Guest (external)']);

    await page.getByRole('searchbox', { name: 'Search people' }).fill('Gina Guest');
    await page.getByLabel('Role of Gina Guest').selectOption('guest');
    await page.getByRole('row', { name: /Gina Guest/ }).getByText('External', { exact: true }).waitFor();
    assert.equal((await server.admin.client.endpoint('getUser')({ params: { userId: gina.user.id } })).user.role, 'guest');

    await page.getByLabel('Clearance of Gina Guest').selectOption('confidential');
    await page
      .getByRole('row', { name: /Gina Guest/ })
      .getByRole('alert')
      .filter({ hasText: 'A guest cannot be given a clearance that high. Guests can be cleared up to Internal' })
      .waitFor();

    await page.getByRole('searchbox', { name: 'Search people' }).fill('Carl Cleared');
    await page.getByLabel('Role of Carl Cleared').selectOption('guest');
    await page.getByRole('row', { name: /Carl Cleared/ }).getByRole('alert').filter({ hasText: 'Guests can be cleared up to Internal' }).waitFor();
    assert.equal((await server.admin.client.endpoint('getUser')({ params: { userId: carl.user.id } })).user.role, 'member');
  });

  test('a room owner limits forwarding, copying and downloading in the classification dialog', async () => {
    const owner = await buildUser(server, { displayName: 'Rita Owner' });
    const room = await buildRoom(server, { owner: owner.client, name: 'Board papers' });
    const page = await signIn(await newContext(browser, server.url), owner.username, owner.password);
    await openRoom(page, 'Board papers');
    await page.getByRole('button', { name: 'Classification' }).click();
    const dialog = page.getByRole('dialog', { name: 'Room classification' });
    await dialog.getByLabel('Forwarding').selectOption('internal');
    await dialog.getByRole('checkbox', { name: 'Downloads allowed' }).uncheck();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const saved = (await owner.client.endpoint('getRoom')({ params: { roomId: room.id } })).room;
    assert.equal(saved.forwarding, 'internal');
    assert.equal(saved.copyAllowed, true);
    assert.equal(saved.downloadAllowed, false);
    assert.equal(saved.ceiling, 'internal', 'the ceiling was left alone');
  });

  // Last: a stricter guard would ask the other tests' senders to confirm.
  test('the settings change the send guard, the recall window and the guests’ clearance limit', async () => {
    const page = await openConsole(server, browser, 'Settings');
    const guard = page.getByRole('region', { name: 'Wrong-recipient guard' });
    await guard.getByText('A fresh installation asks only when the room has guests or the message is labelled Confidential or above.').waitFor();
    assert.equal(await guard.getByRole('checkbox', { name: 'the room has guests' }).isChecked(), true);
    assert.equal(await guard.getByLabel('the message is labelled at or above').inputValue(), 'confidential');

    await guard.getByRole('checkbox', { name: 'the room has people outside the sender’s departments' }).check();
    await guard.getByRole('checkbox', { name: 'the room has more than' }).check();
    await guard.getByLabel('Number of members').fill('25');
    await guard.getByLabel('the message is labelled at or above').selectOption('secret');
    await guard.getByRole('checkbox', { name: 'the message carries files' }).check();
    await saveScreenshot(page, 'guard-settings');
    await guard.getByRole('button', { name: 'Save' }).click();
    await waitUntil('the guard policy is saved', async () => (await server.admin.client.endpoint('getAdminSettings')()).settings.sendGuard.membersAbove === 25);
    assert.deepEqual((await server.admin.client.endpoint('getAdminSettings')()).settings.sendGuard, {
      guests: true,
      otherDepartments: true,
      membersAbove: 25,
      labelAtOrAbove: 'secret',
      files: true,
    });

    await guard.getByLabel('the message is labelled at or above').selectOption('');
    await guard.getByRole('checkbox', { name: 'the room has more than' }).uncheck();
    await guard.getByRole('button', { name: 'Save' }).click();
    await waitUntil('labels and size no longer ask', async () => {
      const { sendGuard } = (await server.admin.client.endpoint('getAdminSettings')()).settings;
      return sendGuard.labelAtOrAbove === null && sendGuard.membersAbove === null;
    });

    const recall = page.getByRole('region', { name: 'Recalling messages' });
    await recall.getByLabel('Recall window (seconds)').fill('0');
    await recall.getByRole('button', { name: 'Save' }).click();
    await waitUntil('recall is off', async () => (await server.admin.client.endpoint('getAdminSettings')()).settings.recallWindowSeconds === 0);

    const guests = page.getByRole('region', { name: 'Guests' });
    await guests.getByLabel('Highest clearance a guest may have').selectOption('public');
    await guests.getByRole('button', { name: 'Save' }).click();
    await waitUntil('the guest limit is saved', async () => (await server.admin.client.endpoint('getAdminSettings')()).settings.guestMaxClearance === 'public');
  });
});
