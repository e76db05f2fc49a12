import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MembershipLine, Message } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream } from './harness';

/** A page's messages and membership lines merged in position order, oldest first, as a client shows them. */
function timelineOf(page: { messages: Message[]; membershipLines: MembershipLine[] }): string[] {
  const entries = [...page.messages.map((m) => ({ position: m.position, text: `message ${m.text}` })), ...page.membershipLines.map((l) => ({ position: l.position, text: describe(l) }))];
  return entries.sort((a, b) => a.position - b.position).map((entry) => entry.text);
}

function describe(line: MembershipLine): string {
  return [line.kind, line.actorId, line.userIds.join(','), line.invitedBy ?? '-', line.approvedBy ?? '-'].join(' ');
}

async function history(client: EnclaveClient, roomId: string, query: { limit?: number; before?: string; around?: string; after?: string; threadRootId?: string } = {}) {
  return client.endpoint('listMessages')({ params: { roomId }, query });
}

/**
 * Who joined, left, was added, removed or let in by whose invite and whose approval, as lines of a room's history:
 * read back from the room's own membership events, in order with the messages, to members only.
 */
describeEachBackend('membership lines in the room timeline', (server) => {
  const admin = () => server().admin.client;

  test('every kind of membership change is a line in history, in order with the messages', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const carol = await buildUser(server());
    const dave = await buildUser(server());
    const erin = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'one' } });
    await alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [carol.user.id] } });
    await carol.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'two' } });
    await carol.client.endpoint('removeMember')({ params: { roomId: room.id, userId: carol.user.id } });
    await alice.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
    // Alice's own link admits at once; the admin's waits for her, the owner; an invite asking for approval waits for an admin.
    const own = await alice.client.endpoint('createInvite')({ body: { roomId: room.id } });
    await dave.client.endpoint('acceptInvite')({ params: { code: own.invite.code }, body: {} });
    const adminInvite = await admin().endpoint('createInvite')({ body: { roomId: room.id } });
    assert.equal((await admin().endpoint('acceptInvite')({ params: { code: adminInvite.invite.code }, body: {} })).outcome, 'pending');
    const approval = (await alice.client.endpoint('listApprovals')({ query: { status: 'pending' } })).approvals.find((a) => a.details.kind === 'room-admission' && a.details.room.id === room.id)!;
    await alice.client.endpoint('approveApproval')({ params: { approvalId: approval.id } });
    const asking = await alice.client.endpoint('createInvite')({ body: { roomId: room.id, requiresApproval: true } });
    assert.equal((await erin.client.endpoint('acceptInvite')({ params: { code: asking.invite.code }, body: {} })).outcome, 'pending');
    const request = (await admin().endpoint('listInviteRequests')({ query: { status: 'pending' } })).requests.find((r) => r.userId === erin.user.id)!;
    await admin().endpoint('approveInviteRequest')({ params: { requestId: request.id } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'three' } });

    const [a, b, c, d, e, admin_] = [alice, bob, carol, dave, erin].map((p) => p.user.id).concat(server().admin.user.id);
    assert.deepEqual(timelineOf(await history(dave.client, room.id)), [
      `created ${a} ${b} - -`,
      'message one',
      `added ${a} ${c} - -`,
      'message two',
      `left ${c} ${c} - -`,
      `removed ${a} ${b} - -`,
      `joined ${d} ${d} ${a} -`,
      `admitted ${a} ${admin_} ${admin_} ${a}`,
      `admitted ${admin_} ${e} ${a} ${admin_}`,
      'message three',
    ]);
  });

  test('a channel join is a line, and pages of any size meet without a gap or a repeat', async () => {
    const alice = await buildUser(server());
    const people = await Promise.all([1, 2, 3, 4].map(() => buildUser(server())));
    const channel = await buildRoom(server(), { owner: alice.client, kind: 'channel' });
    const texts: string[] = [];
    for (const [index, person] of people.entries()) {
      await person.client.endpoint('joinChannel')({ params: { roomId: channel.id } });
      texts.push(`m${index}`);
      await alice.client.endpoint('sendMessage')({ params: { roomId: channel.id }, body: { text: `m${index}` } });
      await person.client.endpoint('joinChannel')({ params: { roomId: channel.id } }); // already in: no second line
    }
    const whole = timelineOf(await history(alice.client, channel.id));
    assert.equal(whole.filter((entry) => entry.startsWith('joined')).length, 4);
    assert.equal(whole.length, 1 + 4 + 4, 'the creation, four joins and four messages');
    for (const limit of [1, 2, 3]) {
      const stitched: string[] = [];
      let page = await history(alice.client, channel.id, { limit });
      stitched.unshift(...timelineOf(page));
      while (page.hasMore) {
        page = await history(alice.client, channel.id, { limit, before: page.messages.at(-1)!.id });
        stitched.unshift(...timelineOf(page));
      }
      assert.deepEqual(stitched, whole, `pages of ${limit}, read backwards`);
    }
    // Reading forwards from a search result: the page around the first message, then the pages after it.
    const first = (await history(alice.client, channel.id)).messages.at(-1)!;
    let page = await history(alice.client, channel.id, { limit: 2, around: first.id });
    const forwards = timelineOf(page);
    while (page.hasNewer) {
      page = await history(alice.client, channel.id, { limit: 1, after: page.messages[0]!.id });
      forwards.push(...timelineOf(page));
    }
    assert.deepEqual(forwards, whole, 'around, then after, reading forwards');
  });

  test('history after a reload and for someone who was away shows the lines; a thread shows none', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const carol = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const root = (await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'root' } })).message;
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'reply', threadRootId: root.id } });
    await alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [carol.user.id] } });
    // Bob was offline all along and reads it now; carol came later and sees the room's past, the lines included.
    for (const reader of [bob, carol]) {
      const kinds = (await history(reader.client, room.id)).membershipLines.map((line) => line.kind);
      assert.deepEqual(kinds, ['added', 'created'], 'newest first');
    }
    assert.deepEqual((await history(carol.client, room.id, { threadRootId: root.id })).membershipLines, []);
  });

  test('the live event carries what the line needs, and a membership line is neither unread nor a mention', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const carol = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const { invite } = await alice.client.endpoint('createInvite')({ body: { roomId: room.id } });
    const live = await openStream(bob.client);
    await carol.client.endpoint('acceptInvite')({ params: { code: invite.code }, body: {} });
    await live.waitFor(
      (events) => events.some((e) => e.type === 'room.member_added' && e.userIds.includes(carol.user.id) && e.actorId === carol.user.id && e.invitedBy === alice.user.id),
      'the room hears that carol joined by alice invite',
    );
    live.close();
    const mine = (await bob.client.endpoint('listRooms')()).rooms.find((r) => r.id === room.id)!;
    assert.equal(mine.unreadCount, 0);
    assert.equal(mine.mentionCount, 0);
    await alice.client.endpoint('removeMember')({ params: { roomId: room.id, userId: carol.user.id } });
    const after = (await bob.client.endpoint('listRooms')()).rooms.find((r) => r.id === room.id)!;
    assert.equal(after.unreadCount, 0, 'a removal does not count as unread either');
  });

  test('no one outside the room gets its lines: not a stranger, not an admin, not someone removed', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const stranger = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    await alice.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
    for (const outsider of [stranger.client, admin(), bob.client]) await rejectsWith(history(outsider, room.id), 'ROOM_NOT_FOUND', 404);
  });
});
