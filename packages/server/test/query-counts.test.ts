import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { User } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { describeEachBackend, type TestServer } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';
import { upload } from './upload-helpers';

/**
 * The hot paths (style rule 14) are held to a number of statements that does not grow with what they carry: a
 * send costs the same in a room of two as in a room of thirty, a history page of fifty richly decorated messages
 * the same as a page of three, a search page of many hits the same as one of few. An N+1 query fails here.
 *
 * The count is the database handle's own; the server's background work (file housekeeping, the DLP rule check)
 * also runs statements now and then, so each figure is the least of three runs: background work can only add, and
 * it cannot land in all three.
 */
// Today's figures, the session check included; lower them when a path gets cheaper, raise them only with a reason.
// 9 since sends read their senders' guest flags (one query per batch of sends, stored with each message); 10 since a
// batch sent off work adds to the after-hours counts (one statement per batch, the senders' hours kept in memory).
const SEND_QUERIES = 10;
// 7 since a room's page also reads who came and went over its stretch (one query on events' (room_id, position) index).
const HISTORY_PAGE_QUERIES = 7;
const SEARCH_QUERIES = 5;

async function queriesOf(server: TestServer, action: () => Promise<unknown>): Promise<number> {
  const counts: number[] = [];
  for (let run = 0; run < 3; run++) {
    const before = server.running.database.queries.count;
    await action();
    counts.push(server.running.database.queries.count - before);
  }
  return Math.min(...counts);
}

describeEachBackend('queries per request on the hot paths', (server) => {
  async function roomWith(memberCount: number): Promise<{ owner: EnclaveClient; members: User[]; roomId: string }> {
    const owner = await buildUser(server());
    const members: User[] = [];
    for (let i = 0; i < memberCount - 1; i++) members.push((await buildUser(server())).user);
    const room = await buildRoom(server(), { owner: owner.client, members });
    return { owner: owner.client, members, roomId: room.id };
  }

  const word = () => `w${randomBytes(4).toString('hex').replace(/\d/g, 'q')}`;

  test('a send costs the same number of queries in a room of two as in a room of thirty, and no more than the budget', async () => {
    const small = await roomWith(2);
    const large = await roomWith(30);
    // Off work whatever the hour the test runs at, so every send is counted for the after-hours report.
    for (const room of [small, large]) await room.owner.endpoint('setMyWorkHours')({ body: { doNotDisturbUntil: '2999-01-01T00:00:00.000Z' } });
    const send = (room: { owner: EnclaveClient; roomId: string }) => () =>
      room.owner.endpoint('sendMessage')({ params: { roomId: room.roomId }, body: { text: `hello @${'all'} ${word()}` } });
    const inSmall = await queriesOf(server(), send(small));
    const inLarge = await queriesOf(server(), send(large));
    assert.equal(inLarge, inSmall);
    assert.ok(inSmall <= SEND_QUERIES, `a send ran ${inSmall} queries (budget ${SEND_QUERIES})`);
  });

  test('a history page of fifty messages with reactions, mentions, files and replies costs what a page of three does', async () => {
    const { owner, members, roomId } = await roomWith(4);
    const decorate = async (count: number, target: string) => {
      for (let i = 0; i < count; i++) {
        const file = await upload(owner, target, `notes ${i}\n`, `notes-${i}.txt`);
        const { message } = await owner.endpoint('sendMessage')({
          params: { roomId: target },
          body: { text: `see @${members[i % members.length]!.username} ${word()}`, fileIds: [file.id] },
        });
        await owner.endpoint('addReaction')({ params: { messageId: message.id, emoji: '👍' } });
        await owner.endpoint('sendMessage')({ params: { roomId: target }, body: { text: `reply ${i}`, threadRootId: message.id } });
      }
    };
    const other = await buildRoom(server(), { owner, members });
    await decorate(3, other.id);
    await decorate(50, roomId);
    const page = (target: string) => () => owner.endpoint('listMessages')({ params: { roomId: target }, query: { limit: 50 } });
    const ofThree = await queriesOf(server(), page(other.id));
    const ofFifty = await queriesOf(server(), page(roomId));
    assert.equal((await page(roomId)()).messages.length, 50);
    assert.equal(ofFifty, ofThree);
    assert.ok(ofFifty <= HISTORY_PAGE_QUERIES, `a history page ran ${ofFifty} queries (budget ${HISTORY_PAGE_QUERIES})`);
  });

  test('a search page of many hits costs what a page of one hit does', async () => {
    const { owner, roomId } = await roomWith(3);
    const rare = word();
    const common = word();
    await owner.endpoint('sendMessage')({ params: { roomId }, body: { text: `${rare} once` } });
    for (let i = 0; i < 20; i++) {
      const { message } = await owner.endpoint('sendMessage')({ params: { roomId }, body: { text: `${common} number ${i}` } });
      await owner.endpoint('addReaction')({ params: { messageId: message.id, emoji: '🎉' } });
    }
    const search = (q: string) => () => owner.endpoint('search')({ query: { q } });
    const oneHit = await queriesOf(server(), search(rare));
    const manyHits = await queriesOf(server(), search(common));
    assert.equal((await search(common)()).results.length, 20);
    assert.equal(manyHits, oneHit);
    assert.ok(manyHits <= SEARCH_QUERIES, `a search ran ${manyHits} queries (budget ${SEARCH_QUERIES})`);
  });
});
