import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import type { ConfirmationRequiredData, DlpRule, EndpointInput } from '@enclave/protocol';
import { AppError } from '../src/http/app-error';
import { buildApp, loadConfig, openDatabase } from '../src/index';
import { rejectsWith } from './expect-error';
import { describeEachBackend, messagesIn, openStream } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';

/** A valid PRC resident ID (its check digit is right) and a Luhn-valid card number. */
const RESIDENT_ID = '11010519491231002X';
const CARD = '4111 1111 1111 1111';

describeEachBackend('data-loss prevention', (server) => {
  const admin = () => server().admin.client;

  /** Rules are organisation-wide; each test scopes its rules to its own rooms so tests stay independent. */
  async function addRule(rule: EndpointInput<'createDlpRule'>['body']): Promise<DlpRule> {
    return (await admin().endpoint('createDlpRule')({ body: rule })).rule;
  }

  async function setting() {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    return { alice, bob, room };
  }

  test('rules are managed through the admin API; bad patterns and unknown rules get clear codes', async () => {
    const { room } = await setting();
    const rule = await addRule({ name: 'Project names', detector: { kind: 'keywords', words: ['Falcon', '猎鹰计划'] }, scope: { roomIds: [room.id] }, action: 'block' });
    assert.equal(rule.enabled, true);
    assert.ok((await admin().endpoint('listDlpRules')()).rules.some((r) => r.id === rule.id));
    const renamed = await admin().endpoint('updateDlpRule')({ params: { ruleId: rule.id }, body: { name: 'Code names', enabled: false } });
    assert.deepEqual([renamed.rule.name, renamed.rule.enabled], ['Code names', false]);
    const bad = await rejectsWith(admin().endpoint('createDlpRule')({ body: { name: 'look-ahead', detector: { kind: 'regex', pattern: '(?=secret)\\w+' }, action: 'block' } }), 'DLP_PATTERN_INVALID', 400);
    assert.equal(typeof bad.data?.reason, 'string');
    await rejectsWith(admin().endpoint('createDlpRule')({ body: { name: 'x', detector: { kind: 'builtin', id: 'nope' as never }, action: 'block' } }), 'VALIDATION_FAILED', 400);
    await rejectsWith(admin().endpoint('createDlpRule')({ body: { name: 'x', detector: { kind: 'keywords', words: ['a'] }, scope: { ceilings: ['no-such-label'] }, action: 'block' } }), 'LABEL_NOT_FOUND', 404);
    const member = await buildUser(server());
    await rejectsWith(member.client.endpoint('createDlpRule')({ body: { name: 'x', detector: { kind: 'keywords', words: ['a'] }, action: 'block' } }), 'ADMIN_REQUIRED', 403);
    assert.deepEqual(await admin().endpoint('testDlpDetector')({ body: { detector: { kind: 'builtin', id: 'prc-id' }, text: `ID ${RESIDENT_ID} and 110105194912310021` } }), { matches: 1 });
    await admin().endpoint('deleteDlpRule')({ params: { ruleId: rule.id } });
    await rejectsWith(admin().endpoint('deleteDlpRule')({ params: { ruleId: rule.id } }), 'DLP_RULE_NOT_FOUND', 404);
  });

  test('block refuses the send, names the rule, never echoes the secret, and audits the hit without it', async () => {
    const officer = await buildUser(server(), { role: 'compliance' });
    const { alice, bob, room } = await setting();
    const rule = await addRule({ name: 'Resident IDs', detector: { kind: 'builtin', id: 'prc-id' }, scope: { roomIds: [room.id] }, action: 'block' });
    const refused = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `her ID is ${RESIDENT_ID}` } }), 'DLP_BLOCKED', 403);
    assert.deepEqual(refused.data, { rules: [{ id: rule.id, name: 'Resident IDs', action: 'block' }] });
    assert.ok(!JSON.stringify(refused.data).includes(RESIDENT_ID) && !refused.message.includes(RESIDENT_ID));
    assert.equal((await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages.length, 0);
    // A number with a wrong check digit is not an ID.
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'order 110105194912310021' } });
    // Chinese error text for a Chinese client.
    alice.client.setLocale('zh-CN');
    const zh = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: RESIDENT_ID } }), 'DLP_BLOCKED');
    assert.match(zh.message, /数据保护规则/);

    const { entries } = await officer.client.endpoint('listAudit')({ query: { action: 'dlp.hit', limit: 10 } });
    const hit = entries.find((entry) => (entry.data.rule as { id: string }).id === rule.id);
    assert.deepEqual(hit?.data, { rule: { id: rule.id, name: 'Resident IDs', action: 'block' }, outcome: 'blocked', context: 'send', matches: 1 });
    assert.ok(!JSON.stringify(entries).includes(RESIDENT_ID));
  });

  test('redact masks the match before storing and delivering; edits are scanned too', async () => {
    const { alice, bob, room } = await setting();
    await addRule({ name: 'Cards', detector: { kind: 'builtin', id: 'bank-card' }, scope: { roomIds: [room.id] }, action: 'redact' });
    await addRule({ name: 'Mobiles', detector: { kind: 'builtin', id: 'cn-mobile' }, scope: { roomIds: [room.id] }, action: 'block' });
    const live = await openStream(bob.client);
    const sent = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `pay with ${CARD} today` } });
    assert.equal(sent.message.text, 'pay with ████ today');
    await live.waitFor((events) => messagesIn(events, room.id).length === 1, 'the redacted message');
    assert.equal(messagesIn(live.events, room.id)[0]?.text, 'pay with ████ today');
    const history = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
    assert.ok(!JSON.stringify(history).includes('4111'));

    const edited = await alice.client.endpoint('editMessage')({ params: { messageId: sent.message.id }, body: { text: `no, use ${CARD}` } });
    assert.equal(edited.message.text, 'no, use ████');
    await rejectsWith(alice.client.endpoint('editMessage')({ params: { messageId: sent.message.id }, body: { text: 'call 138 0013 8000' } }), 'DLP_BLOCKED');
    assert.equal((await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} })).messages[0]?.text, 'no, use ████');
    live.close();
  });

  test('warn asks for confirmation through the guard token; keywords match English whole words and Chinese anywhere', async () => {
    const { alice, room } = await setting();
    const rule = await addRule({ name: 'Markings', detector: { kind: 'keywords', words: ['secret', '内部资料'] }, scope: { roomIds: [room.id] }, action: 'warn' });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'ask the secretary' } });
    const refused = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '这是内部资料，请勿外传' } }), 'CONFIRMATION_REQUIRED', 428);
    const data = refused.data as ConfirmationRequiredData;
    assert.deepEqual(data.reasons, ['dlp']);
    assert.deepEqual(data.rules, [{ id: rule.id, name: 'Markings' }]);
    const sent = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: '这是内部资料，请勿外传', confirmationToken: data.confirmationToken } });
    assert.equal(sent.message.text, '这是内部资料，请勿外传');
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'a Secret plan' } }), 'CONFIRMATION_REQUIRED');
  });

  test('scope: rooms with guests, ceilings, and rooms outside the scope are untouched', async () => {
    const alice = await buildUser(server(), { clearance: 'confidential' });
    const guest = await buildUser(server(), { role: 'guest' });
    const colleague = await buildUser(server(), { clearance: 'confidential' });
    const withGuest = await buildRoom(server(), { owner: alice.client, members: [guest.user] });
    const internal = await buildRoom(server(), { owner: alice.client, members: [colleague.user] });
    const word = `codeword${Date.now()}`;
    await addRule({ name: 'Nothing to guests', detector: { kind: 'keywords', words: [word] }, scope: { audiences: ['guests'] }, action: 'block' });
    await alice.client.endpoint('sendMessage')({ params: { roomId: internal.id }, body: { text: `the ${word} is ready` } });
    const guarded = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: withGuest.id }, body: { text: `the ${word} is ready` } }), 'DLP_BLOCKED');
    assert.equal((guarded.data?.rules as { name: string }[])[0]?.name, 'Nothing to guests');

    const marking = await addRule({ name: 'Markings in confidential rooms', detector: { kind: 'builtin', id: 'marking' }, scope: { ceilings: ['confidential'] }, action: 'block' });
    // Out of the block rule's scope, the marking still raises the label, which the internal ceiling refuses.
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: internal.id }, body: { text: '本文件为机密' } }), 'LABEL_ABOVE_ROOM_CEILING');
    await alice.client.endpoint('updateRoom')({ params: { roomId: internal.id }, body: { ceiling: 'confidential' } });
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: internal.id }, body: { text: '本文件为机密' } }), 'DLP_BLOCKED');
    await admin().endpoint('deleteDlpRule')({ params: { ruleId: marking.id } });
  });

  test('a regular expression runs on a linear-time engine: a classic catastrophic pattern does not stall a send', async () => {
    const { alice, room } = await setting();
    await addRule({ name: 'Nested', detector: { kind: 'regex', pattern: '(a+)+$' }, scope: { roomIds: [room.id] }, action: 'redact' });
    const text = `${'a'.repeat(5000)}!`;
    const sent = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text } });
    assert.equal(sent.message.text, text);
    const matched = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'ends with aaa' } });
    assert.equal(matched.message.text, 'ends with ████');
  });

  /**
   * A second node on the same storage, whose compiled rules are observed through its sends; the clock is mocked,
   * so that the rule cache's 10 s lifetime passes when the test says.
   */
  async function withOtherNode(work: (sendThere: (userId: string, roomId: string, text: string) => Promise<string>) => Promise<void>): Promise<void> {
    const config = loadConfig({}, { ...server().storageConfig, logLevel: 'silent' });
    const storage = openDatabase(config);
    const { app, services } = await buildApp(config, storage);
    const sendThere = (userId: string, roomId: string, text: string) =>
      services.messages.sendMessage({ userId, ip: null }, roomId, { text }).then(
        () => 'sent',
        (error: unknown) => (error instanceof AppError ? error.code : Promise.reject(error)),
      );
    mock.timers.enable({ apis: ['Date'], now: Date.now() });
    try {
      await work(sendThere);
    } finally {
      mock.timers.reset();
      await app.close();
      await storage.db.destroy();
    }
  }

  test('another node keeps its compiled rules while none changes, and picks up a change at its next check', async () => {
    const { alice, room } = await setting();
    const rule = await addRule({ name: 'Animals', detector: { kind: 'keywords', words: ['zebra'] }, scope: { roomIds: [room.id] }, action: 'block' });
    await withOtherNode(async (sendThere) => {
      assert.equal(await sendThere(alice.user.id, room.id, 'a zebra'), 'DLP_BLOCKED');
      // A write behind the service's back leaves the rules' version as it was: the other node must not notice.
      await server().running.database.db.updateTable('dlp_rules').set({ detector: JSON.stringify({ kind: 'keywords', words: ['giraffe'] }) }).where('id', '=', rule.id).execute();
      mock.timers.tick(10_001);
      assert.deepEqual([await sendThere(alice.user.id, room.id, 'a zebra'), await sendThere(alice.user.id, room.id, 'a giraffe')], ['DLP_BLOCKED', 'sent'], 'the rules were not read again');

      await admin().endpoint('updateDlpRule')({ params: { ruleId: rule.id }, body: { detector: { kind: 'keywords', words: ['okapi'] } } });
      await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'an okapi' } }), 'DLP_BLOCKED');
      assert.equal(await sendThere(alice.user.id, room.id, 'an okapi'), 'sent', 'within its 10 s the other node still has the old rules');
      mock.timers.tick(10_001);
      assert.deepEqual([await sendThere(alice.user.id, room.id, 'an okapi'), await sendThere(alice.user.id, room.id, 'a zebra')], ['DLP_BLOCKED', 'sent']);
    });
  });

  test('another node notices a rule changed twice within one millisecond', async () => {
    const { alice, room } = await setting();
    await withOtherNode(async (sendThere) => {
      const rule = await addRule({ name: 'Whales', detector: { kind: 'keywords', words: ['narwhal'] }, scope: { roomIds: [room.id] }, action: 'block' });
      assert.equal(await sendThere(alice.user.id, room.id, 'a narwhal'), 'DLP_BLOCKED');
      // The clock stands still: the rule's update happens in the millisecond it was created in.
      await admin().endpoint('updateDlpRule')({ params: { ruleId: rule.id }, body: { detector: { kind: 'keywords', words: ['beluga'] } } });
      mock.timers.tick(10_001);
      assert.deepEqual([await sendThere(alice.user.id, room.id, 'a beluga'), await sendThere(alice.user.id, room.id, 'a narwhal')], ['DLP_BLOCKED', 'sent']);
    });
  });
});
