import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message, RoomSummary } from '@enclave/protocol';
import { chatReducer, initialChatState, type ChatAction, type ChatState } from '../src/chat/chat-state';
import { linesShown } from '../src/chat/membership-lines';

const me = 'u-me';
const peer = 'u-peer';

function room(id: string, overrides: Partial<RoomSummary> = {}): RoomSummary {
  return {
    id,
    kind: 'group',
    name: id,
    createdBy: me,
    createdAt: '2026-01-01T00:00:00.000Z',
    memberCount: 2,
    topic: null,
    frozen: null,
    lastMessageAt: null,
    ceiling: 'internal',
    defaultLabel: 'internal',
    guestCount: 0,
    forwarding: 'anywhere',
    copyAllowed: true,
    downloadAllowed: true,
    marking: 'by-label',
    marked: false,
    myRole: 'owner',
    unreadCount: 0,
    dmPeerId: null,
    dmMemberIds: [],
    lastReadPosition: 0,
    mentionCount: 0,
    muted: false,
    ...overrides,
  };
}

function message(id: string, roomId: string, position: number, senderId = peer, clientId: string | null = null, overrides: Partial<Message> = {}): Message {
  return {
    id,
    roomId,
    senderId,
    senderGuest: false,
    text: id,
    threadRootId: null,
    clientId,
    position,
    createdAt: '2026-01-01T00:00:00.000Z',
    editedAt: null,
    deleted: false,
    recalled: false,
    replyCount: 0,
    lastReplyAt: null,
    pinned: false,
    alsoInRoom: false,
    mentions: [],
    mentionsAll: false,
    reactions: [],
    label: 'internal',
    restrictions: { noForward: false, noCopy: false, noDownload: false },
    forwardedFrom: null,
    files: [],
    ...overrides,
  };
}

function run(...actions: ChatAction[]): ChatState {
  return actions.reduce(chatReducer, initialChatState(me));
}

const created = (m: Message): ChatAction => ({ type: 'event', event: { type: 'message.created', position: m.position, message: m } });

describe('chat state', () => {
  test('counts a message as unread only when someone else sends it to a room that is not open', () => {
    const state = run(
      { type: 'rooms.loaded', rooms: [room('open'), room('other')], position: 0 },
      { type: 'room.opened', roomId: 'open' },
      created(message('m1', 'open', 1)),
      created(message('m2', 'other', 2)),
      created(message('m3', 'other', 3, me)),
    );
    assert.deepEqual(
      state.rooms?.map((r) => [r.id, r.unreadCount]),
      [
        ['open', 0],
        ['other', 1],
      ],
    );
  });

  test('keeps one copy of each message in position order whether it came from history, the stream or an ack', () => {
    const state = run(
      { type: 'rooms.loaded', rooms: [room('r')], position: 0 },
      { type: 'history.requested', roomId: 'r' },
      { type: 'send.started', message: { clientId: 'c1', roomId: 'r', text: 'mine', createdAt: '2026-01-01T00:00:00.000Z' } },
      created(message('m3', 'r', 3, me, 'c1')),
      { type: 'send.confirmed', message: message('m3', 'r', 3, me, 'c1') },
      { type: 'history.loaded', roomId: 'r', newestFirst: [message('m3', 'r', 3, me, 'c1'), message('m1', 'r', 1)], hasMore: false, lines: [] },
    );
    assert.deepEqual(state.timelines.r?.messages.map((m) => m.id), ['m1', 'm3']);
    assert.deepEqual(state.pending.r, [], 'the pending echo is replaced by the stored message');
  });

  test('a read mark from another device clears the count when it covers the newest message and otherwise asks the server', () => {
    const base: ChatAction[] = [{ type: 'rooms.loaded', rooms: [room('r', { unreadCount: 2 })], position: 4 }, created(message('m5', 'r', 5))];
    const covered = run(...base, { type: 'event', event: { type: 'room.read', position: 6, roomId: 'r', lastReadPosition: 5 } });
    assert.equal(covered.rooms?.[0]?.unreadCount, 0);
    assert.deepEqual(covered.staleRoomIds, []);

    const partial = run(...base, { type: 'event', event: { type: 'room.read', position: 6, roomId: 'r', lastReadPosition: 4 } });
    assert.equal(partial.rooms?.[0]?.unreadCount, 3);
    assert.deepEqual(partial.staleRoomIds, ['r']);
    const refreshed = chatReducer(partial, { type: 'room.upserted', room: room('r', { unreadCount: 1, lastReadPosition: 4 }) });
    assert.equal(refreshed.rooms?.[0]?.unreadCount, 1);
    assert.deepEqual(refreshed.staleRoomIds, []);
  });

  test('being added to a room asks for its summary, being removed drops it', () => {
    const groupRoom = { id: 'g', kind: 'group' as const, name: 'g', createdBy: peer, createdAt: '2026-01-01T00:00:00.000Z', memberCount: 3, topic: null, frozen: null, lastMessageAt: null, ceiling: 'internal', defaultLabel: 'internal', guestCount: 0, forwarding: 'anywhere' as const, copyAllowed: true, downloadAllowed: true, marking: 'by-label' as const, marked: false };
    const added = run(
      { type: 'rooms.loaded', rooms: [room('r')], position: 0 },
      { type: 'event', event: { type: 'room.member_added', position: 1, room: groupRoom, userIds: [me], members: [{ userId: me, guest: false }], actorId: peer } },
    );
    assert.deepEqual(added.staleRoomIds, ['g']);
    const removed = chatReducer(added, { type: 'event', event: { type: 'room.member_removed', position: 2, roomId: 'r', userIds: [me], members: [{ userId: me, guest: false }], actorId: peer, memberCount: 1, guestCount: 0 } });
    assert.deepEqual(removed.rooms?.map((r) => r.id), []);
  });

  test('events that beat the room list are applied to it once it arrives, counting only those after its position', () => {
    const groupRoom = { id: 'g', kind: 'group' as const, name: 'g', createdBy: peer, createdAt: '2026-01-01T00:00:00.000Z', memberCount: 3, topic: null, frozen: null, lastMessageAt: null, ceiling: 'internal', defaultLabel: 'internal', guestCount: 0, forwarding: 'anywhere' as const, copyAllowed: true, downloadAllowed: true, marking: 'by-label' as const, marked: false };
    const early = run(
      created(message('m7', 'r', 7)),
      { type: 'event', event: { type: 'room.member_added', position: 8, room: groupRoom, userIds: [me], members: [{ userId: me, guest: false }], actorId: peer } },
      created(message('m9', 'r', 9)),
    );
    assert.equal(early.rooms, undefined);
    assert.deepEqual(early.staleRoomIds, []);
    const loaded = chatReducer(early, { type: 'rooms.loaded', rooms: [room('r', { unreadCount: 1 })], position: 8 });
    assert.equal(loaded.rooms?.[0]?.unreadCount, 2, 'the snapshot counts m7; m9 came after it');
    assert.deepEqual(loaded.staleRoomIds, ['g']);
    assert.deepEqual(loaded.earlyEvents, []);
  });

  test('an edit or delete replaces the message in place, in the room and in an open thread', () => {
    const root = message('m1', 'r', 1);
    const state = run(
      { type: 'rooms.loaded', rooms: [room('r')], position: 0 },
      { type: 'history.requested', roomId: 'r' },
      { type: 'history.loaded', roomId: 'r', newestFirst: [message('m2', 'r', 2), root], hasMore: false, lines: [] },
      { type: 'thread.requested', rootId: 'm1' },
      { type: 'thread.loaded', rootId: 'm1', newestFirst: [message('t1', 'r', 3, peer, null, { threadRootId: 'm1' })], hasMore: false },
      { type: 'event', event: { type: 'message.updated', position: 4, message: { ...root, text: 'better', editedAt: '2026-01-01T00:01:00.000Z' } } },
      { type: 'event', event: { type: 'message.updated', position: 5, message: message('t1', 'r', 3, peer, null, { threadRootId: 'm1', deleted: true, text: '' }) } },
    );
    assert.deepEqual(state.timelines.r?.messages.map((m) => [m.id, m.text, m.editedAt !== null]), [
      ['m1', 'better', true],
      ['m2', 'm2', false],
    ]);
    assert.deepEqual(state.threads.m1?.messages.map((m) => [m.id, m.deleted]), [['t1', true]]);
  });

  test('purged messages leave the room and every open thread; other rooms keep theirs', () => {
    const state = run(
      { type: 'rooms.loaded', rooms: [room('r'), room('other')], position: 0 },
      { type: 'history.requested', roomId: 'r' },
      { type: 'history.loaded', roomId: 'r', newestFirst: [message('m2', 'r', 2), message('m1', 'r', 1)], hasMore: false, lines: [] },
      { type: 'history.requested', roomId: 'other' },
      { type: 'history.loaded', roomId: 'other', newestFirst: [message('o1', 'other', 3)], hasMore: false, lines: [] },
      { type: 'thread.requested', rootId: 'm2' },
      { type: 'thread.loaded', rootId: 'm2', newestFirst: [message('t2', 'r', 5, peer, null, { threadRootId: 'm2' }), message('t1', 'r', 4, peer, null, { threadRootId: 'm2' })], hasMore: false },
      { type: 'event', event: { type: 'messages.purged', position: 6, roomId: 'r', messageIds: ['m1', 't1', 'o1'] } },
    );
    assert.deepEqual(state.timelines.r?.messages.map((m) => m.id), ['m2']);
    assert.deepEqual(state.threads.m2?.messages.map((m) => m.id), ['t2']);
    assert.deepEqual(state.timelines.other?.messages.map((m) => m.id), ['o1'], 'an id of another room in the event changes nothing there');
  });

  test('a reply stays in its thread unless also sent to the room, and only then counts as unread there', () => {
    const state = run(
      { type: 'rooms.loaded', rooms: [room('r'), room('other')], position: 0 },
      { type: 'history.requested', roomId: 'r' },
      { type: 'history.loaded', roomId: 'r', newestFirst: [message('m1', 'r', 1)], hasMore: false, lines: [] },
      { type: 'thread.requested', rootId: 'm1' },
      { type: 'thread.loaded', rootId: 'm1', newestFirst: [], hasMore: false },
      created(message('t1', 'r', 2, peer, null, { threadRootId: 'm1' })),
      created(message('t2', 'r', 3, peer, null, { threadRootId: 'm1', alsoInRoom: true })),
    );
    assert.deepEqual(state.timelines.r?.messages.map((m) => m.id), ['m1', 't2']);
    assert.deepEqual(state.threads.m1?.messages.map((m) => m.id), ['t1', 't2']);
    assert.equal(state.rooms?.[0]?.unreadCount, 1, 'only the reply also sent to the room counts');
  });

  test('reactions replace the summary of one message', () => {
    const state = run(
      { type: 'rooms.loaded', rooms: [room('r')], position: 0 },
      { type: 'history.requested', roomId: 'r' },
      { type: 'history.loaded', roomId: 'r', newestFirst: [message('m1', 'r', 1)], hasMore: false, lines: [] },
      { type: 'event', event: { type: 'reactions.changed', position: 2, roomId: 'r', messageId: 'm1', reactions: [{ emoji: '👍', count: 2, userIds: [me, peer] }] } },
    );
    assert.deepEqual(state.timelines.r?.messages[0]?.reactions, [{ emoji: '👍', count: 2, userIds: [me, peer] }]);
  });

  test('a mention of me (or of everyone) in a room I am not reading adds to its mention count; reading clears it', () => {
    const state = run(
      { type: 'rooms.loaded', rooms: [room('r')], position: 0 },
      created(message('m1', 'r', 1, peer, null, { mentions: [me] })),
      created(message('m2', 'r', 2, peer, null, { mentionsAll: true })),
      created(message('m3', 'r', 3, peer, null, { mentions: ['someone-else'] })),
    );
    assert.deepEqual([state.rooms?.[0]?.unreadCount, state.rooms?.[0]?.mentionCount], [3, 2]);
    const read = chatReducer(state, { type: 'event', event: { type: 'room.read', position: 4, roomId: 'r', lastReadPosition: 3 } });
    assert.deepEqual([read.rooms?.[0]?.unreadCount, read.rooms?.[0]?.mentionCount], [0, 0]);
  });

  test('read positions come from the snapshot and move forward with read_by events, never back', () => {
    const state = run(
      { type: 'rooms.loaded', rooms: [room('r')], position: 0 },
      { type: 'event', event: { type: 'room.read_by', position: 1, roomId: 'r', userId: peer, lastReadPosition: 9 } },
      { type: 'read-positions.loaded', roomId: 'r', positions: [{ userId: peer, lastReadPosition: 5 }, { userId: me, lastReadPosition: 7 }] },
      { type: 'event', event: { type: 'room.read_by', position: 10, roomId: 'r', userId: me, lastReadPosition: 8 } },
      { type: 'event', event: { type: 'room.read_by', position: 11, roomId: 'r', userId: peer, lastReadPosition: 3 } },
    );
    assert.deepEqual(state.readPositions.r, { [peer]: 5, [me]: 8 });
  });

  test('a deleted room leaves the list and is remembered as deleted; room updates merge into the summary', () => {
    const frozen = { at: '2026-01-02T00:00:00.000Z', by: 'admin', reason: 'Project closed' };
    const updated = run(
      { type: 'rooms.loaded', rooms: [room('r', { unreadCount: 2 }), room('s')], position: 0 },
      { type: 'event', event: { type: 'room.updated', position: 1, room: { ...room('r'), frozen, topic: 'Wrap-up', ceiling: 'confidential', defaultLabel: 'confidential' } } },
    );
    assert.deepEqual(updated.rooms?.[0]?.frozen, frozen);
    assert.deepEqual([updated.rooms?.[0]?.ceiling, updated.rooms?.[0]?.defaultLabel], ['confidential', 'confidential'], 'a new classification applies at once');
    assert.equal(updated.rooms?.[0]?.unreadCount, 2, 'my own view of the room is kept');
    const deleted = chatReducer(updated, { type: 'event', event: { type: 'room.deleted', position: 2, roomId: 'r' } });
    assert.deepEqual(deleted.rooms?.map((r) => r.id), ['s']);
    assert.deepEqual(deleted.deletedRoomIds, ['r']);
  });

  test('a refused send leaves the timeline; a held one is announced, and the review decision takes its place', () => {
    const state = run(
      { type: 'rooms.loaded', rooms: [room('r')], position: 0 },
      { type: 'send.started', message: { clientId: 'c1', roomId: 'r', text: 'the card number', createdAt: '2026-01-01T00:00:00.000Z' } },
      { type: 'send.withdrawn', roomId: 'r', clientId: 'c1' },
      { type: 'notice.added', notice: { kind: 'held', id: 'review-1', roomId: 'r', threadRootId: 'm1', rules: ['Cards'] } },
      { type: 'notice.added', notice: { kind: 'blocked', id: 'c2', roomId: 'r', rules: ['IDs'], unreadFiles: [] } },
    );
    assert.deepEqual(state.pending.r, []);
    const released = chatReducer(state, { type: 'event', event: { type: 'review.decided', position: 1, reviewId: 'review-1', roomId: 'r', outcome: 'released', messageId: 'm9' } });
    assert.deepEqual(released.sendNotices, [
      { kind: 'released', id: 'review-1', roomId: 'r', threadRootId: 'm1' },
      { kind: 'blocked', id: 'c2', roomId: 'r', rules: ['IDs'], unreadFiles: [] },
    ]);
    const unknown = chatReducer(released, { type: 'event', event: { type: 'review.decided', position: 2, reviewId: 'review-2', roomId: 'r', outcome: 'rejected', messageId: null } });
    assert.deepEqual(unknown.sendNotices.at(-1), { kind: 'rejected', id: 'review-2', roomId: 'r' }, 'a message held before this page loaded is still answered');
    assert.deepEqual(chatReducer(unknown, { type: 'notice.dismissed', id: 'c2' }).sendNotices.map((notice) => notice.id), ['review-1', 'review-2']);
  });

  test('a changed ceiling lets go of the room’s loaded messages, which may since be relabelled or hidden; other updates keep them', () => {
    const loaded = run(
      { type: 'rooms.loaded', rooms: [room('r', { ceiling: 'secret' })], position: 0 },
      { type: 'history.loaded', roomId: 'r', newestFirst: [message('m1', 'r', 1, peer, null, { label: 'secret' })], hasMore: false, lines: [] },
    );
    const renamed = chatReducer(loaded, { type: 'event', event: { type: 'room.updated', position: 2, room: { ...room('r', { ceiling: 'secret' }), topic: 'Plans' } } });
    assert.ok(renamed.timelines.r, 'a new topic keeps the messages');
    const lowered = chatReducer(renamed, { type: 'event', event: { type: 'room.updated', position: 3, room: room('r') } });
    assert.equal(lowered.timelines.r, undefined);
    assert.equal(lowered.rooms?.[0]?.ceiling, 'internal');
    const byMe = chatReducer(renamed, { type: 'room.changed', room: room('r') });
    assert.equal(byMe.timelines.r, undefined, 'the owner’s own change does the same');
  });

  test('room updates bring guests and the copy and forwarding policies', () => {
    const updated = run(
      { type: 'rooms.loaded', rooms: [room('r')], position: 0 },
      { type: 'event', event: { type: 'room.updated', position: 1, room: { ...room('r'), guestCount: 2, copyAllowed: false, forwarding: 'never' } } },
    );
    assert.deepEqual([updated.rooms?.[0]?.guestCount, updated.rooms?.[0]?.copyAllowed, updated.rooms?.[0]?.forwarding], [2, false, 'never']);
  });
  test('membership lines from history and the stream join once each, count as nothing unread, and never show across a gap', () => {
    const carol = 'u-carol';
    const joined = { type: 'room.member_added' as const, position: 4, room: room('r'), userIds: [carol], members: [{ userId: carol, guest: false }], actorId: carol, invitedBy: peer };
    const state = run(
      { type: 'rooms.loaded', rooms: [room('r'), room('elsewhere')], position: 0 },
      { type: 'room.opened', roomId: 'elsewhere' },
      { type: 'history.requested', roomId: 'r' },
      { type: 'history.loaded', roomId: 'r', newestFirst: [message('m3', 'r', 3), message('m1', 'r', 1)], hasMore: true, lines: [{ position: 2, kind: 'added', actorId: peer, userIds: [me] }] },
      { type: 'event', event: joined },
      { type: 'event', event: { type: 'room.member_removed', position: 5, roomId: 'r', userIds: [carol], members: [{ userId: carol, guest: false }], actorId: carol, memberCount: 2, guestCount: 0 } },
      { type: 'history.loaded', roomId: 'r', newestFirst: [message('m3', 'r', 3)], hasMore: true, lines: [{ position: 4, kind: 'joined', actorId: carol, userIds: [carol], invitedBy: peer }] },
    );
    assert.deepEqual(state.membershipLines.r?.map((line) => [line.position, line.kind]), [[2, 'added'], [4, 'joined'], [5, 'left']]);
    assert.equal(state.rooms?.find((r) => r.id === 'r')?.unreadCount, 0);
    assert.deepEqual(linesShown(state.membershipLines.r, state.timelines.r).map((line) => line.position), [2, 4, 5]);
    const pastStretch = { ...state.timelines.r!, messages: [message('m3', 'r', 3)], heldLive: [] };
    assert.deepEqual(linesShown(state.membershipLines.r, pastStretch).map((line) => line.position), [], 'older pages and newer ones are still to load');
  });
});
