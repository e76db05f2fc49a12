import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Message } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { sql } from 'kysely';
import { buildRoom, buildUser, createApprovedDlpRule } from '@enclave/testkit';
import { SEALED_PREFIX } from '../src/keys/sealed';
import { messageUpgradeSteps } from '../src/messages/message-upgrade';
import { rejectsWith } from './expect-error';
import { describeEachBackend, messagesIn, openStream } from './harness';
import { rawStorage, rowsOf, storedVersions } from './stored-text';

/** Message text at rest: sealed under its room's key in every place it is stored, and read back only by the server. */
describeEachBackend('message text at rest', (server) => {
  const admin = () => server().admin.client;
  const marker = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;
  // One call site per endpoint: each typed endpoint call costs the type check, and these are called many times.
  const post = (client: EnclaveClient, roomId: string, body: { text: string; threadRootId?: string }) => client.endpoint('sendMessage')({ params: { roomId }, body });
  const history = async (client: EnclaveClient, roomId: string, threadRootId?: string) =>
    (await client.endpoint('listMessages')({ params: { roomId }, query: threadRootId === undefined ? {} : { threadRootId } })).messages;
  const reviews = async (officer: EnclaveClient) => (await officer.endpoint('listReviews')({ query: {} })).reviews;
  // A review rule on one small group waits for a second approver: an officer of its own approves it.
  const reviewRule = async (roomId: string, word: string) =>
    createApprovedDlpRule(admin(), (await buildUser(server(), { role: 'compliance' })).client, { name: `Review ${word}`, detector: { kind: 'keywords', words: [word] }, scope: { roomIds: [roomId] }, action: 'review' });

  async function people() {
    const officer = await buildUser(server(), { role: 'compliance' });
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const other = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    return { officer, alice, bob, room, other };
  }

  /** Every stored text of these rooms, read past the server with a connection of its own. */
  async function rawTexts(roomIds: string[]): Promise<{ messages: string[]; versions: string[]; held: string[] }> {
    const raw = rawStorage(server());
    try {
      const rooms = sql.join(roomIds);
      const messages = await rowsOf<{ body: string }>(raw, sql`select body from messages where room_id in (${rooms})`);
      const versions = await rowsOf<{ body: string }>(raw, sql`select v.body from message_versions v join messages m on m.id = v.message_id where m.room_id in (${rooms})`);
      const held = await rowsOf<{ body: string; details: string }>(raw, sql`select body, details from held_messages where room_id in (${rooms})`);
      return { messages: messages.map((row) => row.body), versions: versions.map((row) => row.body), held: held.flatMap((row) => [row.body, row.details]) };
    } finally {
      await raw.db.destroy();
    }
  }

  /** Runs raw statements on the storage, as an attacker with write access to the database would. */
  async function tamper(change: (raw: ReturnType<typeof rawStorage>) => Promise<void>): Promise<void> {
    const raw = rawStorage(server());
    try {
      await change(raw);
    } finally {
      await raw.db.destroy();
    }
  }

  async function damagedAudits(targetIds: string[]) {
    const rows = await rowsOf<{ target_id: string; target_type: string }>(server().running.database, sql`select target_id, target_type from audit_log where action = 'content.damaged' and target_id in (${sql.join(targetIds)})`);
    return rows.map((row) => `${row.target_type}/${row.target_id}`).sort();
  }

  test('sends, edits, replies, forwards, held, deleted and recalled messages leave no plain text in the database; the API reads them all', async () => {
    const { officer, alice, bob, room, other } = await people();
    const words = {
      sent: marker('sent'),
      chinese: `季度预算${marker('会议纪要')}`,
      draft: marker('draft'),
      second: marker('second'),
      third: marker('third'),
      final: marker('final'),
      reply: marker('reply'),
      held: marker('held'),
      deleted: marker('deleted'),
      recalled: marker('recalled'),
    };
    const heldWord = `tender${randomBytes(4).toString('hex')}`;
    await reviewRule(room.id, heldWord);
    const send = async (text: string, extra: { threadRootId?: string } = {}) => (await post(alice.client, room.id, { text, ...extra })).message;

    const sent = await send(`the plan: ${words.sent}`);
    const chinese = await send(words.chinese);
    const edited = await send(words.draft);
    for (const text of [words.second, words.third, words.final]) await alice.client.endpoint('editMessage')({ params: { messageId: edited.id }, body: { text } });
    const reply = await send(words.reply, { threadRootId: sent.id });
    const { message: forwarded } = await bob.client.endpoint('forwardMessage')({ params: { messageId: chinese.id }, body: { roomId: other.id } });
    const held = await rejectsWith(post(alice.client, room.id, { text: `${heldWord} ${words.held}` }), 'DLP_HELD_FOR_REVIEW');
    const deleted = await send(words.deleted);
    await alice.client.endpoint('deleteMessage')({ params: { messageId: deleted.id } });
    const recalled = await send(words.recalled);
    await alice.client.endpoint('recallMessage')({ params: { messageId: recalled.id } });

    const stored = await rawTexts([room.id, other.id]);
    assert.equal(stored.messages.length, 7, 'six messages in the room and the forward');
    assert.equal(stored.versions.length, 3, 'one version per edit');
    assert.equal(stored.held.length, 2);
    for (const body of [...stored.messages, ...stored.versions, stored.held[0]!]) assert.ok(body.startsWith(SEALED_PREFIX), `stored sealed: ${body.slice(0, 20)}`);
    const everything = JSON.stringify(stored);
    for (const word of [...Object.values(words), heldWord]) assert.ok(!everything.includes(word), `no plain "${word}" at rest`);
    assert.ok(!everything.includes('季度预算'), 'no plain Chinese at rest');

    // The server reads every one of them back.
    const page = await history(bob.client, room.id);
    assert.deepEqual(
      page.map((m) => [m.text, m.unreadable]),
      [
        ['', undefined],
        ['', undefined],
        [words.final, undefined],
        [words.chinese, undefined],
        [`the plan: ${words.sent}`, undefined],
      ],
    );
    const thread = await history(bob.client, room.id, sent.id);
    assert.deepEqual(thread.map((m) => m.text), [words.reply]);
    assert.equal(reply.text, words.reply);
    assert.deepEqual((await history(bob.client, other.id)).map((m) => [m.id, m.text]), [[forwarded.id, words.chinese]]);
    assert.deepEqual(
      (await storedVersions(server(), edited.id)).map((v) => [v.version, v.sealed, v.text]),
      [
        [1, true, words.draft],
        [2, true, words.second],
        [3, true, words.third],
      ],
    );
    const found = await bob.client.endpoint('search')({ query: { q: words.sent } });
    assert.deepEqual(found.results.map((r) => r.message.id), [sent.id]);
    const reviewId = held.data?.reviewId as string;
    const review = (await reviews(officer.client)).find((r) => r.id === reviewId);
    assert.equal(review?.text, `${heldWord} ${words.held}`);
    const released = await officer.client.endpoint('releaseReview')({ params: { reviewId }, body: {} });
    const delivered = (await history(bob.client, room.id)).find((m) => m.id === released.review.messageId);
    assert.equal(delivered?.text, `${heldWord} ${words.held}`);
  });

  test('two messages whose ciphertexts are swapped in the database answer unreadable and CONTENT_DAMAGED, audited once; a third reads fine', async () => {
    const { alice, bob, room, other } = await people();
    const send = async (text: string) => (await post(alice.client, room.id, { text })).message;
    const first = await send(marker('first'));
    const second = await send(marker('second'));
    const third = await send(marker('third'));
    await tamper(async (raw) => {
      const rows = await rowsOf<{ id: string; body: string }>(raw, sql`select id, body from messages where id in (${first.id}, ${second.id})`);
      const body = new Map(rows.map((row) => [row.id, row.body]));
      await sql`update messages set body = ${body.get(second.id)} where id = ${first.id}`.execute(raw.db);
      await sql`update messages set body = ${body.get(first.id)} where id = ${second.id}`.execute(raw.db);
    });

    for (let read = 0; read < 2; read++) {
      const page = await history(bob.client, room.id);
      assert.deepEqual(
        page.map((m) => [m.id, m.text, m.unreadable]),
        [
          [third.id, third.text, undefined],
          [second.id, '', true],
          [first.id, '', true],
        ],
      );
    }
    const replay = await openStream(bob.client, { after: first.position - 1 });
    await replay.waitFor((events) => messagesIn(events, room.id).length === 3, 'the three messages replayed');
    assert.deepEqual(
      messagesIn(replay.events, room.id).map((m) => [m.id, m.text, m.unreadable]),
      [
        [first.id, '', true],
        [second.id, '', true],
        [third.id, third.text, undefined],
      ],
    );
    replay.close();

    await rejectsWith(alice.client.endpoint('editMessage')({ params: { messageId: first.id }, body: { text: 'over it' } }), 'CONTENT_DAMAGED', 500);
    await rejectsWith(bob.client.endpoint('forwardMessage')({ params: { messageId: second.id }, body: { roomId: other.id } }), 'CONTENT_DAMAGED', 500);
    await rejectsWith(bob.client.endpoint('addReaction')({ params: { messageId: first.id, emoji: '👍' } }), 'CONTENT_DAMAGED', 500);
    await rejectsWith(bob.client.endpoint('pinMessage')({ params: { messageId: second.id } }), 'CONTENT_DAMAGED', 500);
    assert.deepEqual(await damagedAudits([first.id, second.id, third.id]), [`message/${first.id}`, `message/${second.id}`].sort(), 'each damaged message audited once');

    // Everything else goes on: the third message, new sends, and the author may still delete a damaged one.
    const { message: edited } = await alice.client.endpoint('editMessage')({ params: { messageId: third.id }, body: { text: 'third, edited' } });
    assert.equal(edited.text, 'third, edited');
    await alice.client.endpoint('deleteMessage')({ params: { messageId: first.id } });
    const after = await history(bob.client, room.id);
    assert.deepEqual(after.map((m) => [m.text, m.deleted, m.unreadable]), [
      ['third, edited', false, undefined],
      ['', false, true],
      ['', true, undefined],
    ]);
  });

  test('a version’s ciphertext copied over its message’s current text does not open there', async () => {
    const { alice, bob, room } = await people();
    const original = marker('original');
    const { message } = await post(alice.client, room.id, { text: original });
    await alice.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: 'corrected' } });
    await tamper(async (raw) => {
      const [version] = await rowsOf<{ body: string }>(raw, sql`select body from message_versions where message_id = ${message.id} and version = 1`);
      await sql`update messages set body = ${version!.body} where id = ${message.id}`.execute(raw.db);
    });
    const [seen] = await history(bob.client, room.id);
    assert.deepEqual([seen?.id, seen?.text, seen?.unreadable], [message.id, '', true]);
    assert.deepEqual(await damagedAudits([message.id]), [`message/${message.id}`]);
  });

  test('a held message whose ciphertext was swapped shows unreadable to the officer and cannot be released', async () => {
    const { officer, alice, room } = await people();
    const word = `bid${randomBytes(4).toString('hex')}`;
    await reviewRule(room.id, word);
    const hold = async (text: string) => (await rejectsWith(post(alice.client, room.id, { text }), 'DLP_HELD_FOR_REVIEW')).data?.reviewId as string;
    const first = await hold(`${word} one`);
    const second = await hold(`${word} two`);
    await tamper(async (raw) => {
      const [secondBody] = await rowsOf<{ body: string }>(raw, sql`select body from held_messages where id = ${second}`);
      await sql`update held_messages set body = ${secondBody!.body} where id = ${first}`.execute(raw.db);
    });
    const listed = await reviews(officer.client);
    assert.deepEqual(listed.filter((r) => r.id === first || r.id === second).map((r) => [r.id, r.text, r.unreadable]), [
      [first, '', true],
      [second, `${word} two`, undefined],
    ]);
    await rejectsWith(officer.client.endpoint('releaseReview')({ params: { reviewId: first }, body: {} }), 'CONTENT_DAMAGED', 500);
    assert.equal((await reviews(officer.client)).find((r) => r.id === first)?.status, 'pending', 'still waiting for a decision');
    assert.deepEqual(await damagedAudits([first, second]), [`held_message/${first}`]);
  });

  test('the upgrade steps seal plain rows written before encryption, in batches, and a second run finds nothing', async () => {
    const { officer, alice, bob, room } = await people();
    const word = `legacy${randomBytes(4).toString('hex')}`;
    await reviewRule(room.id, word);
    const texts = [marker('old one'), marker('old two'), marker('old three')];
    const messages: Message[] = [];
    for (let sent = 0; sent < texts.length; sent++) messages.push((await post(alice.client, room.id, { text: 'placeholder' })).message);
    const reviewId = (await rejectsWith(post(alice.client, room.id, { text: `${word} held` }), 'DLP_HELD_FOR_REVIEW')).data?.reviewId as string;
    const oldVersion = marker('old version');
    const damaged = (await post(alice.client, room.id, { text: 'to be damaged' })).message;
    // What an installation from before encryption holds: plain text in each place (and one damaged row).
    await tamper(async (raw) => {
      for (const [index, message] of messages.entries()) await sql`update messages set body = ${texts[index]} where id = ${message.id}`.execute(raw.db);
      await sql`insert into message_versions (message_id, version, body, replaced_at) values (${messages[0]!.id}, 1, ${oldVersion}, ${Date.now()})`.execute(raw.db);
      await sql`update held_messages set body = ${`${word} held`} where id = ${reviewId}`.execute(raw.db);
      await sql`update messages set body = ${`${SEALED_PREFIX}AAAA`} where id = ${damaged.id}`.execute(raw.db);
    });
    const listed = await history(bob.client, room.id);
    // This installation finished its upgrade when it started, so plain text now is text written behind the server's
    // back: it is not read (keys.acceptsPlain). The steps still seal it, as `enclave keys encrypt` would.
    assert.deepEqual(listed.slice(1).map((m) => [m.text, m.unreadable]), texts.map(() => ['', true]), 'plain text after the upgrade is not read');

    const { db } = server().running.database;
    const keys = server().running.services.keys;
    const [bodies, versions, held] = messageUpgradeSteps;
    assert.deepEqual(await Promise.all(messageUpgradeSteps.map((step) => step.remaining(db))), [3, 1, 1]);
    const sealed: number[] = [];
    for (let batch = await bodies!.sealBatch(db, keys, 2); batch > 0; batch = await bodies!.sealBatch(db, keys, 2)) sealed.push(batch);
    assert.deepEqual(sealed, [2, 1], 'in batches of two');
    assert.equal(await versions!.sealBatch(db, keys, 10), 1);
    assert.equal(await held!.sealBatch(db, keys, 10), 1);
    assert.deepEqual(await Promise.all(messageUpgradeSteps.map((step) => step.remaining(db))), [0, 0, 0]);
    assert.deepEqual(await Promise.all(messageUpgradeSteps.map((step) => step.sealBatch(db, keys, 10))), [0, 0, 0], 'a second run seals nothing');

    const stored = await rawTexts([room.id]);
    for (const body of [...stored.messages, ...stored.versions, stored.held[0]!]) assert.ok(body.startsWith(SEALED_PREFIX));
    for (const text of [...texts, oldVersion, word]) assert.ok(!JSON.stringify(stored).includes(text), `no plain "${text}" left`);
    const after = await history(bob.client, room.id);
    assert.deepEqual(after.map((m) => [m.text, m.unreadable]).reverse(), [...texts.map((text) => [text, undefined]), ['', true]], 'the damaged row stays damaged, not sealed as text');
    assert.deepEqual(await storedVersions(server(), messages[0]!.id), [{ version: 1, sealed: true, text: oldVersion }]);
    assert.equal((await reviews(officer.client)).find((r) => r.id === reviewId)?.text, `${word} held`);
  });

  test('with a room key destroyed, its messages answer unreadable while other rooms read fine', async () => {
    const { alice, bob, room, other } = await people();
    await post(alice.client, room.id, { text: marker('gone') });
    const { message: kept } = await post(alice.client, other.id, { text: marker('kept') });
    const keys = server().running.services.keys;
    await server().running.database.db.transaction().execute((trx) => keys.destroy(trx, [`room:${room.id}`]));
    const [gone] = await history(bob.client, room.id);
    assert.deepEqual([gone?.text, gone?.unreadable], ['', true]);
    const [seen] = await history(bob.client, other.id);
    assert.deepEqual([seen?.id, seen?.text], [kept.id, kept.text]);
    assert.deepEqual(await rowsOf(server().running.database, sql`select owner from data_keys where owner = ${`room:${room.id}`}`), []);
  });
});
