import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { Message } from '@enclave/protocol';
import { buildRoom, buildUser } from '@enclave/testkit';
import { SEALED_PREFIX } from '../src/keys/sealed';
import { messageUpgradeSteps } from '../src/messages/message-upgrade';
import { rejectsWith } from './expect-error';
import { describeEachBackend, messagesIn, openStream } from './harness';
import { rawStorage, storedVersions } from './stored-text';

/** Message text at rest: sealed under its room's key in every place it is stored, and read back only by the server. */
describeEachBackend('message text at rest', (server) => {
  const admin = () => server().admin.client;
  const marker = (what: string) => `${what}-${randomBytes(6).toString('hex')}`;

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
      const messages = await raw.db.selectFrom('messages').select('body').where('room_id', 'in', roomIds).execute();
      const versions = await raw.db
        .selectFrom('message_versions')
        .innerJoin('messages', 'messages.id', 'message_versions.message_id')
        .select('message_versions.body')
        .where('messages.room_id', 'in', roomIds)
        .execute();
      const held = await raw.db.selectFrom('held_messages').select(['body', 'details']).where('room_id', 'in', roomIds).execute();
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
    const rows = await server().running.database.db.selectFrom('audit_log').select(['target_id', 'target_type']).where('action', '=', 'content.damaged').where('target_id', 'in', targetIds).execute();
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
    await admin().endpoint('createDlpRule')({ body: { name: 'Tender talk', detector: { kind: 'keywords', words: [heldWord] }, scope: { roomIds: [room.id] }, action: 'review' } });
    const send = async (text: string, extra: { threadRootId?: string } = {}) => (await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text, ...extra } })).message;

    const sent = await send(`the plan: ${words.sent}`);
    const chinese = await send(words.chinese);
    const edited = await send(words.draft);
    for (const text of [words.second, words.third, words.final]) await alice.client.endpoint('editMessage')({ params: { messageId: edited.id }, body: { text } });
    const reply = await send(words.reply, { threadRootId: sent.id });
    const { message: forwarded } = await bob.client.endpoint('forwardMessage')({ params: { messageId: chinese.id }, body: { roomId: other.id } });
    const held = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `${heldWord} ${words.held}` } }), 'DLP_HELD_FOR_REVIEW');
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
    const history = await bob.client.endpoint('listMessages')({ params: { roomId: room.id } });
    assert.deepEqual(
      history.messages.map((m) => [m.text, m.unreadable]),
      [
        ['', undefined],
        ['', undefined],
        [words.final, undefined],
        [words.chinese, undefined],
        [`the plan: ${words.sent}`, undefined],
      ],
    );
    const thread = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { threadRootId: sent.id } });
    assert.deepEqual(thread.messages.map((m) => m.text), [words.reply]);
    assert.equal(reply.text, words.reply);
    assert.deepEqual((await bob.client.endpoint('listMessages')({ params: { roomId: other.id } })).messages.map((m) => [m.id, m.text]), [[forwarded.id, words.chinese]]);
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
    const review = (await officer.client.endpoint('listReviews')({ query: {} })).reviews.find((r) => r.id === reviewId);
    assert.equal(review?.text, `${heldWord} ${words.held}`);
    const released = await officer.client.endpoint('releaseReview')({ params: { reviewId }, body: {} });
    const delivered = (await bob.client.endpoint('listMessages')({ params: { roomId: room.id } })).messages.find((m) => m.id === released.review.messageId);
    assert.equal(delivered?.text, `${heldWord} ${words.held}`);
  });

  test('two messages whose ciphertexts are swapped in the database answer unreadable and CONTENT_DAMAGED, audited once; a third reads fine', async () => {
    const { alice, bob, room, other } = await people();
    const send = async (text: string) => (await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text } })).message;
    const first = await send(marker('first'));
    const second = await send(marker('second'));
    const third = await send(marker('third'));
    await tamper(async (raw) => {
      const rows = await raw.db.selectFrom('messages').select(['id', 'body']).where('id', 'in', [first.id, second.id]).execute();
      const body = new Map(rows.map((row) => [row.id, row.body]));
      await raw.db.updateTable('messages').set({ body: body.get(second.id)! }).where('id', '=', first.id).execute();
      await raw.db.updateTable('messages').set({ body: body.get(first.id)! }).where('id', '=', second.id).execute();
    });

    for (let read = 0; read < 2; read++) {
      const history = await bob.client.endpoint('listMessages')({ params: { roomId: room.id } });
      assert.deepEqual(
        history.messages.map((m) => [m.id, m.text, m.unreadable]),
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
    const after = await bob.client.endpoint('listMessages')({ params: { roomId: room.id } });
    assert.deepEqual(after.messages.map((m) => [m.text, m.deleted, m.unreadable]), [
      ['third, edited', false, undefined],
      ['', false, true],
      ['', true, undefined],
    ]);
  });

  test('a version’s ciphertext copied over its message’s current text does not open there', async () => {
    const { alice, bob, room } = await people();
    const original = marker('original');
    const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: original } });
    await alice.client.endpoint('editMessage')({ params: { messageId: message.id }, body: { text: 'corrected' } });
    await tamper(async (raw) => {
      const version = await raw.db.selectFrom('message_versions').select('body').where('message_id', '=', message.id).where('version', '=', 1).executeTakeFirstOrThrow();
      await raw.db.updateTable('messages').set({ body: version.body }).where('id', '=', message.id).execute();
    });
    const [seen] = (await bob.client.endpoint('listMessages')({ params: { roomId: room.id } })).messages;
    assert.deepEqual([seen?.id, seen?.text, seen?.unreadable], [message.id, '', true]);
    assert.deepEqual(await damagedAudits([message.id]), [`message/${message.id}`]);
  });

  test('a held message whose ciphertext was swapped shows unreadable to the officer and cannot be released', async () => {
    const { officer, alice, room } = await people();
    const word = `bid${randomBytes(4).toString('hex')}`;
    await admin().endpoint('createDlpRule')({ body: { name: 'Bids', detector: { kind: 'keywords', words: [word] }, scope: { roomIds: [room.id] }, action: 'review' } });
    const hold = async (text: string) => (await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text } }), 'DLP_HELD_FOR_REVIEW')).data?.reviewId as string;
    const first = await hold(`${word} one`);
    const second = await hold(`${word} two`);
    await tamper(async (raw) => {
      const rows = await raw.db.selectFrom('held_messages').select(['id', 'body']).where('id', 'in', [first, second]).execute();
      const body = new Map(rows.map((row) => [row.id, row.body]));
      await raw.db.updateTable('held_messages').set({ body: body.get(second)! }).where('id', '=', first).execute();
    });
    const { reviews } = await officer.client.endpoint('listReviews')({ query: {} });
    assert.deepEqual(reviews.filter((r) => r.id === first || r.id === second).map((r) => [r.id, r.text, r.unreadable]), [
      [first, '', true],
      [second, `${word} two`, undefined],
    ]);
    await rejectsWith(officer.client.endpoint('releaseReview')({ params: { reviewId: first }, body: {} }), 'CONTENT_DAMAGED', 500);
    assert.equal((await officer.client.endpoint('listReviews')({ query: {} })).reviews.find((r) => r.id === first)?.status, 'pending', 'still waiting for a decision');
    assert.deepEqual(await damagedAudits([first, second]), [`held_message/${first}`]);
  });

  test('the upgrade steps seal plain rows written before encryption, in batches, and a second run finds nothing', async () => {
    const { officer, alice, bob, room } = await people();
    const word = `legacy${randomBytes(4).toString('hex')}`;
    await admin().endpoint('createDlpRule')({ body: { name: 'Legacy', detector: { kind: 'keywords', words: [word] }, scope: { roomIds: [room.id] }, action: 'review' } });
    const texts = [marker('old one'), marker('old two'), marker('old three')];
    const messages: Message[] = [];
    for (let sent = 0; sent < texts.length; sent++) messages.push((await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'placeholder' } })).message);
    const reviewId = (await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `${word} held` } }), 'DLP_HELD_FOR_REVIEW')).data?.reviewId as string;
    const oldVersion = marker('old version');
    const damaged = (await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'to be damaged' } })).message;
    // What an installation from before encryption holds: plain text in each place (and one damaged row).
    await tamper(async (raw) => {
      for (const [index, message] of messages.entries()) await raw.db.updateTable('messages').set({ body: texts[index]! }).where('id', '=', message.id).execute();
      await raw.db.insertInto('message_versions').values({ message_id: messages[0]!.id, version: 1, body: oldVersion, replaced_at: Date.now() }).execute();
      await raw.db.updateTable('held_messages').set({ body: `${word} held` }).where('id', '=', reviewId).execute();
      await raw.db.updateTable('messages').set({ body: `${SEALED_PREFIX}AAAA` }).where('id', '=', damaged.id).execute();
    });
    const listed = await bob.client.endpoint('listMessages')({ params: { roomId: room.id } });
    assert.deepEqual(listed.messages.slice(1).map((m) => m.text).reverse(), texts, 'plain text is read while the upgrade runs');

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
    const after = await bob.client.endpoint('listMessages')({ params: { roomId: room.id } });
    assert.deepEqual(after.messages.map((m) => [m.text, m.unreadable]).reverse(), [...texts.map((text) => [text, undefined]), ['', true]], 'the damaged row stays damaged, not sealed as text');
    assert.deepEqual(await storedVersions(server(), messages[0]!.id), [{ version: 1, sealed: true, text: oldVersion }]);
    assert.equal((await officer.client.endpoint('listReviews')({ query: {} })).reviews.find((r) => r.id === reviewId)?.text, `${word} held`);
  });

  test('with a room key destroyed, its messages answer unreadable while other rooms read fine', async () => {
    const { alice, bob, room, other } = await people();
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: marker('gone') } });
    const { message: kept } = await alice.client.endpoint('sendMessage')({ params: { roomId: other.id }, body: { text: marker('kept') } });
    const keys = server().running.services.keys;
    await server().running.database.db.transaction().execute((trx) => keys.destroy(trx, [`room:${room.id}`]));
    const [gone] = (await bob.client.endpoint('listMessages')({ params: { roomId: room.id } })).messages;
    assert.deepEqual([gone?.text, gone?.unreadable], ['', true]);
    const [seen] = (await bob.client.endpoint('listMessages')({ params: { roomId: other.id } })).messages;
    assert.deepEqual([seen?.id, seen?.text], [kept.id, kept.text]);
    assert.deepEqual(await server().running.database.db.selectFrom('data_keys').select('owner').where('owner', '=', `room:${room.id}`).execute(), []);
  });
});
