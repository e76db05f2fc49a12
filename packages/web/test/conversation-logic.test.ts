import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Label, Message, RoomSummary, User } from '@enclave/protocol';
import { createDraftStore } from '../src/chat/draft-store';
import { notificationKind } from '../src/notifications/should-notify';
import { copyForbidden, forwardForbidden, mayRestrict } from '../src/protection/message-policy';
import { createUnsentStore } from '../src/protection/unsent-store';
import { expireTyping, startTyping, stopTyping, TYPING_SHOWN_MS, typingMessage, typingPlace, typistsIn } from '../src/presence/typing-state';
import { insertMention, mentionQueryAt, suggestMentions } from '../src/room/mention-query';
import { readStatusOf } from '../src/room/read-status';
import { filterRooms } from '../src/switcher/filter-rooms';

const me = 'u-me';

function room(overrides: Partial<RoomSummary> = {}): RoomSummary {
  return {
    id: 'r', kind: 'group', name: 'r', createdBy: me, createdAt: '2026-01-01T00:00:00.000Z', memberCount: 3, topic: null, frozen: null,
    lastMessageAt: null, ceiling: 'internal', defaultLabel: 'internal', guestCount: 0, forwarding: 'anywhere', copyAllowed: true, downloadAllowed: true, marking: 'by-label', marked: false, myRole: 'owner', unreadCount: 0, dmPeerId: null, dmMemberIds: [], lastReadPosition: 0, mentionCount: 0, muted: false, ...overrides,
  };
}

function message(overrides: Partial<Message> = {}): Message {
  return {
    id: 'm', roomId: 'r', senderId: me, senderGuest: false, text: 'hi', threadRootId: null, clientId: null, position: 10, createdAt: '2026-01-01T00:00:00.000Z', editedAt: null,
    deleted: false, recalled: false, replyCount: 0, lastReplyAt: null, pinned: false, alsoInRoom: false, mentions: [], mentionsAll: false, reactions: [], label: 'internal',
    restrictions: { noForward: false, noCopy: false, noDownload: false }, forwardedFrom: null, files: [], ...overrides,
  };
}

function user(id: string, username: string, displayName: string): User {
  return { id, username, displayName, role: 'member', createdAt: '2026-01-01T00:00:00.000Z', avatar: null, locale: null, timeZone: null, disabled: false, departmentIds: [], guest: false, clearance: 'internal' };
}

describe('typing indicator', () => {
  test('names one, two, or "several" people', () => {
    assert.equal(typingMessage([]), undefined);
    assert.deepEqual(typingMessage(['Ann']), { key: 'typing.one', values: { name: 'Ann' } });
    assert.deepEqual(typingMessage(['Ann', 'Bo']), { key: 'typing.two', values: { first: 'Ann', second: 'Bo' } });
    assert.deepEqual(typingMessage(['Ann', 'Bo', 'Cy']), { key: 'typing.several', values: {} });
  });

  test('shows a typist until the notice runs out or their message arrives, per room and per thread, never me', () => {
    const room = typingPlace('r', null);
    const thread = typingPlace('r', 't');
    let state = startTyping({}, room, 'ann', 1000);
    state = startTyping(state, room, 'bo', 2000);
    state = startTyping(state, room, me, 2000);
    state = startTyping(state, thread, 'cy', 2000);
    assert.deepEqual(typistsIn(state, room, me, 2500), ['ann', 'bo']);
    assert.deepEqual(typistsIn(state, thread, me, 2500), ['cy']);
    assert.deepEqual(typistsIn(state, room, me, 1000 + TYPING_SHOWN_MS), ['bo'], 'Ann ran out');
    assert.deepEqual(typistsIn(stopTyping(state, room, 'bo'), room, me, 2500), ['ann'], "Bo's message arrived");
    const expired = expireTyping(state, 1000 + TYPING_SHOWN_MS);
    assert.deepEqual(Object.keys(expired[room] ?? {}).sort(), ['bo', me]);
    assert.equal(expireTyping(expired, 1000 + TYPING_SHOWN_MS), expired, 'nothing more to expire: same object');
  });
});

describe('draft store', () => {
  test('keeps drafts per person, room and thread, and forgets blank ones', () => {
    const backing = new Map<string, string>();
    const storage = { getItem: (k: string) => backing.get(k) ?? null, setItem: (k: string, v: string) => void backing.set(k, v), removeItem: (k: string) => void backing.delete(k) };
    const mine = createDraftStore(storage, 'me');
    const theirs = createDraftStore(storage, 'them');
    mine.write('r1', 'half a thought');
    mine.write('r1', 'a reply', 't1');
    mine.write('r2', 'other room');
    assert.equal(mine.read('r1'), 'half a thought');
    assert.equal(mine.read('r1', 't1'), 'a reply');
    assert.equal(theirs.read('r1'), '', "another person's drafts are separate");
    mine.write('r2', '   ');
    assert.equal(mine.read('r2'), '');
    assert.equal(backing.size, 2);
  });

  test('works without storage and when storage throws', () => {
    assert.equal(createDraftStore(undefined, 'me').read('r'), '');
    const broken = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); }, removeItem: () => undefined };
    const store = createDraftStore(broken, 'me');
    store.write('r', 'text');
    assert.equal(store.read('r'), '');
  });
});

describe('read status', () => {
  test('"Read" in a DM once the other person has read it', () => {
    const dm = room({ kind: 'dm', memberCount: 2, dmMemberIds: ['bo'] });
    assert.deepEqual(readStatusOf(message(), dm, { bo: 9 }, me), { kind: 'dm', read: false });
    assert.deepEqual(readStatusOf(message(), dm, { bo: 10 }, me), { kind: 'dm', read: true });
  });

  test('"Read by n of others" in groups, nothing for others\' messages, deleted ones or big channels', () => {
    const positions = { [me]: 12, ann: 10, bo: 4 };
    assert.deepEqual(readStatusOf(message(), room({ memberCount: 3 }), positions, me), { kind: 'group', read: 1, of: 2 });
    assert.deepEqual(readStatusOf(message(), room({ kind: 'dm', memberCount: 3, dmMemberIds: ['ann', 'bo'] }), positions, me), { kind: 'group', read: 1, of: 2 });
    assert.equal(readStatusOf(message({ senderId: 'ann' }), room(), positions, me), undefined);
    assert.equal(readStatusOf(message({ deleted: true }), room(), positions, me), undefined);
    assert.equal(readStatusOf(message(), room({ kind: 'channel', memberCount: 51 }), positions, me), undefined);
    assert.equal(readStatusOf(message(), room(), undefined, me), undefined, 'not before the positions are known');
  });
});

describe('mention autocompletion', () => {
  const people = [user('a', 'anna', 'Anna Li'), user('b', 'bo', 'Bo Chen'), user('c', 'carl', 'Carl Andersen'), user(me, 'me', 'Me')];

  test('finds the @word before the caret, but not inside an email address', () => {
    assert.deepEqual(mentionQueryAt('hello @an', 9), { start: 6, query: 'an' });
    assert.deepEqual(mentionQueryAt('@', 1), { start: 0, query: '' });
    assert.equal(mentionQueryAt('mail bo@example', 15), undefined);
    assert.equal(mentionQueryAt('@anna done', 10), undefined);
  });

  test('suggests names that start with the query first, then word matches, never me', () => {
    assert.deepEqual(suggestMentions(people, 'an', me).map((u) => u.username), ['anna', 'carl']);
    assert.deepEqual(suggestMentions(people, '', me).map((u) => u.username), ['anna', 'bo', 'carl']);
  });

  test('replaces the typed query with the chosen username and a space', () => {
    assert.deepEqual(insertMention('hi @an and', 3, 6, 'anna'), { text: 'hi @anna  and', caret: 9 });
  });
});

describe('room switcher filter', () => {
  test('puts prefix matches first, then word matches, then substrings, unread first within each', () => {
    const rooms = [
      { room: { unreadCount: 0 }, name: 'Design review' },
      { room: { unreadCount: 0 }, name: 'Rev ops' },
      { room: { unreadCount: 3 }, name: 'Reviews' },
      { room: { unreadCount: 0 }, name: 'Apple' },
    ];
    assert.deepEqual(filterRooms(rooms, 'rev').map((r) => r.name), ['Reviews', 'Rev ops', 'Design review']);
    assert.deepEqual(filterRooms(rooms, '').map((r) => r.name)[0], 'Reviews');
    assert.deepEqual(filterRooms(rooms, 'zzz'), []);
  });
});

describe('desktop notifications', () => {
  const dm = room({ kind: 'dm', dmMemberIds: ['bo'] });
  test('notify for DMs and mentions while the page is hidden, except muted rooms and my own messages', () => {
    assert.equal(notificationKind(message({ senderId: 'bo' }), dm, me, true), 'dm');
    assert.equal(notificationKind(message({ senderId: 'bo' }), dm, me, false), undefined, 'the page is in front');
    assert.equal(notificationKind(message({ senderId: 'bo', mentions: [me] }), room(), me, true), 'mention');
    assert.equal(notificationKind(message({ senderId: 'bo', mentionsAll: true }), room({ muted: true }), me, true), undefined);
    assert.equal(notificationKind(message({ senderId: 'bo' }), room(), me, true), undefined, 'a plain group message');
    assert.equal(notificationKind(message(), dm, me, true), undefined, 'my own');
  });
});

describe('message policies', () => {
  const label = (overrides: Partial<Label> = {}): Label => ({
    id: 'internal', rank: 1, names: { en: 'Internal', 'zh-CN': '内部' }, colour: '#2563eb', forwarding: 'anywhere', copyAllowed: true, downloadAllowed: true, marked: false, ...overrides,
  });
  const restricted = (what: Partial<Message['restrictions']>) => message({ restrictions: { noForward: false, noCopy: false, noDownload: false, ...what } });

  test('copying is forbidden by the room, the label or the message itself', () => {
    assert.equal(copyForbidden(message(), room(), label()), false);
    assert.equal(copyForbidden(message(), room({ copyAllowed: false }), label()), true);
    assert.equal(copyForbidden(message(), room(), label({ copyAllowed: false })), true);
    assert.equal(copyForbidden(restricted({ noCopy: true }), room(), label()), true);
  });

  test('forwarding is hidden when the message, the room or the label says never; "internal" is left to the server', () => {
    assert.equal(forwardForbidden(message(), room({ forwarding: 'internal' }), label({ forwarding: 'internal' })), false);
    assert.equal(forwardForbidden(message(), room({ forwarding: 'never' }), label()), true);
    assert.equal(forwardForbidden(message(), room(), label({ forwarding: 'never' })), true);
    assert.equal(forwardForbidden(restricted({ noForward: true }), room(), label()), true);
  });

  test('the sender and the room owners may restrict a message, nobody else', () => {
    assert.equal(mayRestrict(message({ senderId: me }), room({ myRole: 'member' }), me), true);
    assert.equal(mayRestrict(message({ senderId: 'bo' }), room({ myRole: 'owner' }), me), true);
    assert.equal(mayRestrict(message({ senderId: 'bo' }), room({ myRole: 'member' }), me), false);
  });
});

describe('messages held for undo send', () => {
  test('a held message a dead page left behind is handed back once its send time is well past, and only once', () => {
    const values = new Map<string, string>();
    const storage = { getItem: (key: string) => values.get(key) ?? null, setItem: (key: string, value: string) => void values.set(key, value), removeItem: (key: string) => void values.delete(key) };
    const unsent = createUnsentStore(storage, me);
    unsent.remember({ id: 'a', roomId: 'r', text: 'left behind', sendAt: 1_000 });
    unsent.remember({ id: 'b', roomId: 'r', threadRootId: 't', text: 'still waiting', sendAt: 9_000 });
    unsent.remember({ id: 'c', roomId: 'r', text: 'sent in time', sendAt: 1_000 });
    unsent.forget('c');
    assert.deepEqual(unsent.takeAbandoned(3_000), [], 'a page may still be about to send it');
    assert.deepEqual(unsent.takeAbandoned(7_000).map((record) => record.text), ['left behind']);
    assert.deepEqual(unsent.takeAbandoned(7_000), []);
    assert.deepEqual(unsent.takeAbandoned(20_000).map((record) => [record.text, record.threadRootId]), [['still waiting', 't']]);
    assert.equal(values.size, 0, 'nothing is left in storage');
  });
});
