import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { EndpointInput, Message } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { sql, type Kysely } from 'kysely';
import { up as emptyPlainIndex } from '../src/db/migrations/2026-12-06T2130-search-hashed-terms';
import { indexStoredMessages } from '../src/search/search-index';
import { isIndexTerm } from '../src/search/search-terms';
import { rejectsWith } from './expect-error';
import { describeEachBackend, type TestServer } from './harness';
import { upload } from './upload-helpers';
import { buildRoom, buildUser, exportAsOfficer, sendConfirmed } from '@enclave/testkit';

type SearchQuery = EndpointInput<'search'>['query'];

async function search(client: EnclaveClient, query: SearchQuery) {
  return client.endpoint('search')({ query });
}

/** Texts of the results, newest first. */
async function found(client: EnclaveClient, query: SearchQuery): Promise<string[]> {
  return (await search(client, query)).results.map((result) => result.message.text);
}

/** A word no other test uses, so tests stay independent of each other's messages. */
function unique(stem: string): string {
  return `${stem}${randomBytes(3).toString('hex').replace(/\d/g, 'x')}`;
}

/** Which of these positions the index holds, read straight from the index table of either backend. */
async function indexedPositions(server: TestServer, positions: number[]): Promise<number[]> {
  const { db, dialect } = server.running.database;
  const rows =
    dialect === 'postgres'
      ? await sql<{ position: number }>`SELECT position FROM search_documents WHERE position = ANY(${positions})`.execute(db)
      : await sql<{ position: number }>`SELECT rowid AS position FROM search_fts WHERE rowid IN (${sql.join(positions)})`.execute(db);
  return rows.rows.map((row) => Number(row.position)).sort((a, b) => a - b);
}

/**
 * What the index tables hold, read as an attacker holding the database would: on SQLite every row of FTS5's own
 * tables (`search_fts_data` holds the terms and their postings) as raw bytes, and the terms as FTS5 decodes them
 * (an fts5vocab table over the index); on PostgreSQL the tsvectors as text and their lexemes.
 */
async function rawIndex(server: TestServer): Promise<{ bytes: Buffer; terms: string[] }> {
  const { db, dialect } = server.running.database;
  if (dialect === 'postgres') {
    const vectors = await sql<{ words: string }>`SELECT words::text AS words FROM search_documents`.execute(db);
    const lexemes = await sql<{ term: string }>`SELECT DISTINCT unnest(tsvector_to_array(words)) AS term FROM search_documents`.execute(db);
    return { bytes: Buffer.from(vectors.rows.map((row) => row.words).join('\n')), terms: lexemes.rows.map((row) => row.term) };
  }
  const tables = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'search_fts%'`.execute(db);
  const pieces: Buffer[] = [];
  for (const { name } of tables.rows) {
    for (const row of (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(db)).rows) {
      for (const value of Object.values(row)) pieces.push(Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value) : Buffer.from(String(value)));
    }
  }
  await sql`CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocabulary USING fts5vocab(main, 'search_fts', 'row')`.execute(db);
  const terms = await sql<{ term: string }>`SELECT term FROM temp.search_vocabulary`.execute(db);
  return { bytes: Buffer.concat(pieces), terms: terms.rows.map((row) => row.term) };
}

/** The plain words of `words` that the raw index holds, in its bytes or as a term. */
async function plainWordsIn(server: TestServer, words: readonly string[]): Promise<string[]> {
  const raw = await rawIndex(server);
  const terms = new Set(raw.terms);
  return words.filter((word) => terms.has(word) || raw.bytes.includes(Buffer.from(word)));
}

describeEachBackend('search', (server) => {
  async function setting() {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const say = (client: EnclaveClient, text: string, roomId = room.id, extra: Partial<EndpointInput<'sendMessage'>['body']> = {}) =>
      sendConfirmed(client, roomId, { text, ...extra });
    return { alice, bob, room, say };
  }

  test('finds two-character Chinese words inside unspaced sentences, and marks exactly them', async () => {
    const { alice, bob, say } = await setting();
    await say(alice.client, '系统错误日志已经上传');
    await say(alice.client, '上传文件失败，请重试');
    await say(alice.client, '今天天气很好');
    assert.deepEqual(await found(bob.client, { q: '错误' }), ['系统错误日志已经上传']);
    assert.deepEqual(await found(bob.client, { q: '文件' }), ['上传文件失败，请重试']);
    assert.deepEqual(await found(bob.client, { q: '上传' }), ['上传文件失败，请重试', '系统错误日志已经上传']);
    const [hit] = (await search(bob.client, { q: '文件 失败' })).results;
    assert.deepEqual(hit!.highlights.map(([start, end]) => hit!.message.text.slice(start, end)), ['文件', '失败']);
  });

  test('English ignores case, requires every word, matches the last word as a prefix, and mixes with Chinese', async () => {
    const { alice, bob, say } = await setting();
    const tag = unique('proj');
    await say(alice.client, `Deploy of ${tag} 失败 at 3pm`);
    await say(alice.client, `${tag} deployment finished`);
    await say(alice.client, `${tag} review tomorrow`);
    assert.deepEqual(await found(bob.client, { q: `${tag} DEPLOY` }), [`${tag} deployment finished`, `Deploy of ${tag} 失败 at 3pm`], 'deploy also prefixes deployment');
    assert.deepEqual(await found(bob.client, { q: `${tag} deploy ` }), [`Deploy of ${tag} 失败 at 3pm`], 'a trailing space makes the word whole');
    assert.deepEqual(await found(bob.client, { q: `失败 ${tag}` }), [`Deploy of ${tag} 失败 at 3pm`]);
    assert.deepEqual(await found(bob.client, { q: `${tag} 失败 review` }), [], 'all words must occur');
    const [hit] = (await search(bob.client, { q: `deployment ${tag}` })).results;
    assert.deepEqual(hit!.highlights.map(([start, end]) => hit!.message.text.slice(start, end)), [tag, 'deployment']);
    assert.deepEqual(hit!.message, (await bob.client.endpoint('listMessages')({ params: { roomId: hit!.message.roomId }, query: {} })).messages[1], 'the message as history returns it');
  });

  test('filters by room, sender, label and send time, in any combination', async () => {
    const { alice, bob, room, say } = await setting();
    const other = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const tag = unique('budget');
    const first = await say(alice.client, `${tag} one`, room.id, { label: 'public' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await say(bob.client, `${tag} two`);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await say(alice.client, `${tag} three`, other.id);
    assert.deepEqual(await found(bob.client, { q: tag, roomId: room.id }), [`${tag} two`, `${tag} one`]);
    assert.deepEqual(await found(bob.client, { q: tag, from: alice.user.id }), [`${tag} three`, `${tag} one`]);
    assert.deepEqual(await found(bob.client, { q: tag, from: alice.user.id, roomId: room.id }), [`${tag} one`]);
    assert.deepEqual(await found(bob.client, { q: tag, label: 'public' }), [`${tag} one`]);
    assert.deepEqual(await found(bob.client, { q: tag, after: second.createdAt }), [`${tag} three`, `${tag} two`], 'after is inclusive');
    assert.deepEqual(await found(bob.client, { q: tag, before: second.createdAt }), [`${tag} one`], 'before is exclusive');
    assert.deepEqual(await found(bob.client, { q: tag, after: first.createdAt, before: second.createdAt }), [`${tag} one`]);
    assert.deepEqual(await found(bob.client, { q: tag, hasFile: true }), [], 'none of these messages carries a file');
    assert.equal((await found(bob.client, { q: tag, hasFile: false })).length, 3);
  });

  test('pages newest first with an opaque cursor, each message once', async () => {
    const { alice, bob, say } = await setting();
    const tag = unique('page');
    for (let i = 0; i < 5; i++) await say(alice.client, `${tag} number ${i}`);
    const first = await search(bob.client, { q: tag, limit: 2 });
    assert.deepEqual(first.results.map((r) => r.message.text), [`${tag} number 4`, `${tag} number 3`]);
    assert.ok(first.nextCursor);
    const second = await search(bob.client, { q: tag, limit: 2, cursor: first.nextCursor });
    assert.deepEqual(second.results.map((r) => r.message.text), [`${tag} number 2`, `${tag} number 1`]);
    const last = await search(bob.client, { q: tag, limit: 2, cursor: second.nextCursor! });
    assert.deepEqual(last.results.map((r) => r.message.text), [`${tag} number 0`]);
    assert.equal(last.nextCursor, null);
  });

  test('finds only what the searcher may read now: not a room left, never joined, nor one an admin is not in', async () => {
    const { alice, bob, room, say } = await setting();
    const carol = await buildUser(server());
    const tag = unique('secret');
    await say(alice.client, `${tag} in the shared room`);
    const hidden = await buildRoom(server(), { owner: alice.client, members: [carol.user] });
    await say(alice.client, `${tag} where bob never was`, hidden.id);
    assert.deepEqual(await found(bob.client, { q: tag }), [`${tag} in the shared room`]);
    assert.deepEqual(await found(server().admin.client, { q: tag }), [], 'an admin is not a member of these rooms');
    await bob.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
    assert.deepEqual(await found(bob.client, { q: tag }), [], 'left the room: its messages are gone from his search');
    assert.deepEqual(await found(carol.client, { q: tag }), [`${tag} where bob never was`]);
  });

  test('edits replace the words found; deleted and recalled messages are never found again', async () => {
    const { alice, bob, say } = await setting();
    const before = unique('draft');
    const after = unique('final');
    const edited = await say(alice.client, `the ${before} text`);
    await alice.client.endpoint('editMessage')({ params: { messageId: edited.id }, body: { text: `the ${after} text` } });
    assert.deepEqual(await found(bob.client, { q: before }), []);
    assert.deepEqual(await found(bob.client, { q: after }), [`the ${after} text`]);
    const gone = unique('gone');
    const deleted = await say(alice.client, `${gone} deleted`);
    const recalled = await say(alice.client, `${gone} recalled`);
    await say(alice.client, `${gone} kept`);
    await alice.client.endpoint('deleteMessage')({ params: { messageId: deleted.id } });
    await alice.client.endpoint('recallMessage')({ params: { messageId: recalled.id } });
    assert.deepEqual(await found(bob.client, { q: gone }), [`${gone} kept`]);
    assert.deepEqual(await indexedPositions(server(), [deleted.position, recalled.position]), [], 'the index holds neither');
  });

  test("deleting a room takes every one of its messages out of the index in the deletion's transaction", async () => {
    const { alice, say, room } = await setting();
    const sent: Message[] = [await say(alice.client, '季度文件 one'), await say(alice.client, '季度文件 two')];
    assert.equal((await indexedPositions(server(), sent.map((m) => m.position))).length, 2);
    await server().admin.client.endpoint('freezeRoom')({ params: { roomId: room.id }, body: { reason: 'closing' } });
    await exportAsOfficer(server(), room.id);
    await server().admin.client.endpoint('deleteRoom')({ params: { roomId: room.id } });
    assert.deepEqual(await indexedPositions(server(), sent.map((m) => m.position)), []);
  });

  test('bad input gets VALIDATION_FAILED: empty or too long or wordless query, bad cursor, bad dates', async () => {
    const { bob } = await setting();
    for (const query of [{ q: '' }, { q: '   ' }, { q: 'x'.repeat(201) }, { q: '?! 👍' }, { q: 'a', cursor: 'nonsense' }, { q: 'a', before: 'yesterday' }, { q: 'a', after: '2026-13-45T00:00:00Z' }, { q: 'a', limit: 0 }]) {
      await rejectsWith(search(bob.client, query as SearchQuery), 'VALIDATION_FAILED', 400);
    }
  });

  test('history around a message: the page it sits in, with newer and older messages beside it', async () => {
    const { alice, bob, room, say } = await setting();
    const sent: Message[] = [];
    for (let i = 0; i < 9; i++) sent.push(await say(alice.client, `line ${i}`));
    const page = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { around: sent[4]!.id, limit: 4 } });
    assert.deepEqual(page.messages.map((m) => m.text), ['line 6', 'line 5', 'line 4', 'line 3']);
    assert.deepEqual([page.hasMore, page.hasNewer], [true, true]);
    const newest = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { around: sent[8]!.id, limit: 4 } });
    assert.deepEqual(newest.messages.map((m) => m.text), ['line 8', 'line 7', 'line 6', 'line 5'], 'nothing newer: the page fills with older ones');
    assert.deepEqual([newest.hasMore, newest.hasNewer], [true, false]);
    const elsewhere = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const stranger = await say(alice.client, 'somewhere else', elsewhere.id);
    await rejectsWith(bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { around: stranger.id } }), 'VALIDATION_FAILED', 400);
    await rejectsWith(bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { around: sent[1]!.id, before: sent[2]!.id } }), 'VALIDATION_FAILED', 400);
  });

  test('history after a message: the next newer page, to read on from a jump into the past', async () => {
    const { alice, bob, room, say } = await setting();
    const sent: Message[] = [];
    for (let i = 0; i < 9; i++) sent.push(await say(alice.client, `line ${i}`));
    const page = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { after: sent[2]!.id, limit: 4 } });
    assert.deepEqual(page.messages.map((m) => m.text), ['line 6', 'line 5', 'line 4', 'line 3']);
    assert.deepEqual([page.hasMore, page.hasNewer], [true, true]);
    const last = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { after: sent[5]!.id, limit: 4 } });
    assert.deepEqual(last.messages.map((m) => m.text), ['line 8', 'line 7', 'line 6']);
    assert.deepEqual([last.hasMore, last.hasNewer], [true, false]);
    const none = await bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { after: sent[8]!.id } });
    assert.deepEqual([none.messages, none.hasNewer], [[], false]);
    const elsewhere = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const stranger = await say(alice.client, 'somewhere else', elsewhere.id);
    await rejectsWith(bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { after: stranger.id } }), 'VALIDATION_FAILED', 400);
    await rejectsWith(bob.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { after: sent[1]!.id, around: sent[2]!.id } }), 'VALIDATION_FAILED', 400);
  });

  test('after an upgrade, the messages stored before search existed are indexed, deleted ones left out', async () => {
    const { alice, bob, say } = await setting();
    const tag = unique('legacy');
    await say(alice.client, `${tag} from before`);
    const deleted = await say(alice.client, `${tag} deleted before`);
    await alice.client.endpoint('deleteMessage')({ params: { messageId: deleted.id } });
    // What the migration leaves on an installation with history: an empty index and everything below the head to do.
    const { db, dialect } = server().running.database;
    await sql`DELETE FROM ${sql.table(dialect === 'postgres' ? 'search_documents' : 'search_fts')}`.execute(db);
    await sql`UPDATE search_backfill SET below_position = (SELECT position + 1 FROM log_head)`.execute(db);
    assert.deepEqual(await found(bob.client, { q: tag }), []);
    // What the server runs at start, before it listens.
    await indexStoredMessages(db, server().running.services.keys);
    assert.deepEqual(await found(bob.client, { q: tag }), [`${tag} from before`]);
    assert.deepEqual(await indexedPositions(server(), [deleted.position]), []);
    assert.deepEqual((await sql<{ below_position: number }>`SELECT below_position FROM search_backfill`.execute(db)).rows.map((row) => Number(row.below_position)), [0]);
  });

  test('the index holds no plain word: every term is a keyed hash, in English and Chinese, of text and file names', async () => {
    const { alice, bob, room, say } = await setting();
    const english = [unique('quarterly'), unique('zeppelin'), unique('marzipan')];
    const chinese = ['鲸鱼', '计划', '保密', '中华', '人民', '共和国'];
    const fileWord = unique('blueprint');
    const file = await upload(alice.client, room.id, 'plans', `${fileWord}.txt`, { type: 'text/plain' });
    await say(alice.client, `${english.join(' ')} 鲸鱼计划保密 中华人民共和国`, room.id, { fileIds: [file.id] });
    assert.equal((await found(bob.client, { q: `${english[0]} 鲸鱼 ` })).length, 1);
    assert.equal((await found(bob.client, { q: fileWord })).length, 1, 'found by its file name');
    assert.deepEqual(await plainWordsIn(server(), [...english, ...chinese, fileWord]), []);
    const raw = await rawIndex(server());
    assert.ok(raw.terms.length > 0);
    assert.deepEqual(raw.terms.filter((term) => !isIndexTerm(term)), [], 'nothing but hashed terms');
  });

  test('the last word is a prefix in Chinese too, from two characters, and within a phrase', async () => {
    const { alice, bob, say } = await setting();
    const tag = unique('cn');
    await say(alice.client, `${tag} 中华人民共和国`);
    await say(alice.client, `${tag} 共同努力 send an e-mail`);
    assert.deepEqual(await found(bob.client, { q: `${tag} 共和` }), [`${tag} 中华人民共和国`], '共和 begins 共和国');
    assert.deepEqual(await found(bob.client, { q: `${tag} 中华人民共和` }), [`${tag} 中华人民共和国`], 'a phrase whose last word is a prefix');
    assert.deepEqual(await found(bob.client, { q: `${tag} 共和 ` }), [], 'a trailing space makes the word whole');
    assert.deepEqual(await found(bob.client, { q: `${tag} 共` }), [], 'one character is matched whole');
    assert.deepEqual(await found(bob.client, { q: `${tag} e-mai` }), [`${tag} 共同努力 send an e-mail`], 'e · mai: a phrase ending in a prefix');
    const [hit] = (await search(bob.client, { q: `${tag} 共和` })).results;
    assert.deepEqual(hit!.highlights.map(([start, end]) => hit!.message.text.slice(start, end)), [tag, '共和国']);
  });

  test('an index of plain words from before is emptied on upgrade and rebuilt hashed at the next start, with files', async () => {
    const { alice, bob, room, say } = await setting();
    const tag = unique('legacy');
    const fileWord = unique('ledger');
    const file = await upload(alice.client, room.id, 'figures', `${fileWord}.txt`, { type: 'text/plain' });
    const sent = await say(alice.client, `${tag} 中华人民共和国`, room.id, { fileIds: [file.id] });
    // What an older server's index held for it: the plain words.
    const { db, dialect } = server().running.database;
    const position = sent.position;
    if (dialect === 'postgres') {
      await sql`DELETE FROM search_documents WHERE position = ${position}`.execute(db);
      await sql`INSERT INTO search_documents (position, words) VALUES (${position}, ${`'${tag}':1 '中华':2 '人民':3 '共和国':4 '${fileWord}':5 'txt':6`}::tsvector)`.execute(db);
    } else {
      await sql`DELETE FROM search_fts WHERE rowid = ${position}`.execute(db);
      await sql`INSERT INTO search_fts (rowid, words) VALUES (${position}, ${`${tag} 中华 人民 共和国 ${fileWord} txt`})`.execute(db);
    }
    assert.deepEqual(await plainWordsIn(server(), [tag, '共和国', fileWord]), [tag, '共和国', fileWord], 'this check sees plain words where they are');
    await emptyPlainIndex(db as Kysely<any>);
    assert.deepEqual(await plainWordsIn(server(), [tag, '共和国', fileWord]), [], 'the migration leaves none behind');
    assert.deepEqual(await found(bob.client, { q: tag }), []);
    await server().restart();
    assert.deepEqual(await found(bob.client, { q: `${tag} 共和国` }), [`${tag} 中华人民共和国`]);
    assert.deepEqual(await found(bob.client, { q: `${fileWord} ${tag.slice(0, -1)}` }), [`${tag} 中华人民共和国`], 'by its file name, and the last word as a prefix');
    assert.deepEqual(await plainWordsIn(server(), [tag, '共和国', fileWord]), []);
    assert.deepEqual((await rawIndex(server())).terms.filter((term) => !isIndexTerm(term)), []);
  });
});
