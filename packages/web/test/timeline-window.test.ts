import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message } from '@enclave/protocol';
import { chatReducer, initialChatState, type ChatAction, type ChatState } from '../src/chat/chat-state';
import { createHistoryGenerations } from '../src/chat/history-generations';

/** Room r's messages have positions 1…n; ids say the position. */
function message(position: number, overrides: Partial<Message> = {}): Message {
  return {
    id: `m${position}`, roomId: 'r', senderId: 'u-peer', senderGuest: false, text: `text ${position}`, threadRootId: null, clientId: null, position, createdAt: '2026-01-01T00:00:00.000Z',
    editedAt: null, deleted: false, recalled: false, replyCount: 0, lastReplyAt: null, pinned: false, alsoInRoom: false, mentions: [], mentionsAll: false,
    reactions: [], label: 'internal', restrictions: { noForward: false, noCopy: false, noDownload: false }, forwardedFrom: null, files: [], ...overrides,
  };
}

/** Positions from…to, newest first, as history pages come. */
function page(from: number, to: number): Message[] {
  const messages: Message[] = [];
  for (let position = to; position >= from; position -= 1) messages.push(message(position));
  return messages;
}

function live(position: number): ChatAction {
  return { type: 'event', event: { type: 'message.created', position, message: message(position) } };
}

function run(actions: ChatAction[]): ChatState {
  const ready = chatReducer(initialChatState('u-me'), { type: 'rooms.loaded', rooms: [], position: 0 });
  return actions.reduce(chatReducer, ready);
}

function shown(state: ChatState): number[] {
  return (state.timelines.r?.messages ?? []).map((m) => m.position);
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

describe('a room opened at a message', () => {
  test('a page far from the newest replaces the live timeline, and live messages wait behind the gap', () => {
    const state = run([
      { type: 'history.loaded', roomId: 'r', newestFirst: page(71, 120), hasMore: true, lines: [] },
      { type: 'history.window-loaded', roomId: 'r', newestFirst: page(1, 30), hasMore: false, hasNewer: true, lines: [] },
      live(121),
    ]);
    assert.deepEqual(shown(state), range(1, 30));
    assert.equal(state.timelines.r?.hasMore, false);
    assert.deepEqual(state.timelines.r?.heldLive?.map((m) => m.position), [121]);
    assert.equal(state.newestPosition.r, 121);
  });

  test('newer pages join the stretch; the one reaching the newest closes the gap and lets the held messages in', () => {
    const state = run([
      { type: 'history.window-loaded', roomId: 'r', newestFirst: page(1, 30), hasMore: false, hasNewer: true, lines: [] },
      live(121),
      { type: 'history.window-loaded', roomId: 'r', newestFirst: page(1, 80), hasMore: false, hasNewer: true, lines: [] },
    ]);
    assert.deepEqual(shown(state), range(1, 80));
    assert.ok(state.timelines.r?.heldLive);
    const closed = [live(122), { type: 'history.window-loaded', roomId: 'r', newestFirst: page(30, 121), hasMore: true, hasNewer: false, lines: [] } satisfies ChatAction].reduce<ChatState>(chatReducer, state);
    assert.deepEqual(shown(closed), range(1, 122));
    assert.equal(closed.timelines.r?.heldLive, undefined);
    assert.equal(closed.timelines.r?.hasMore, false, 'the older end is still the room’s beginning');
    assert.deepEqual(shown(chatReducer(closed, live(123))), range(1, 123), 'live again');
  });

  test('pages after the newest shown message join the stretch without a message in common; an empty last one ends the gap', () => {
    const state = run([
      { type: 'history.window-loaded', roomId: 'r', newestFirst: page(1, 30), hasMore: false, hasNewer: true, lines: [] },
      live(121),
      { type: 'history.window-loaded', roomId: 'r', newestFirst: page(31, 80), hasMore: true, hasNewer: true, follows: true, lines: [] },
    ]);
    assert.deepEqual(shown(state), range(1, 80));
    assert.equal(state.timelines.r?.hasMore, false, 'the older end is still the room’s beginning');
    assert.ok(state.timelines.r?.heldLive);
    const reached = chatReducer(state, { type: 'history.window-loaded', roomId: 'r', newestFirst: page(81, 121), hasMore: true, hasNewer: false, follows: true, lines: [] });
    assert.deepEqual(shown(reached), range(1, 121));
    assert.equal(reached.timelines.r?.heldLive, undefined);
    const nothingNewer = run([
      { type: 'history.window-loaded', roomId: 'r', newestFirst: page(1, 30), hasMore: false, hasNewer: true, lines: [] },
      live(31),
      { type: 'history.window-loaded', roomId: 'r', newestFirst: [], hasMore: true, hasNewer: false, follows: true, lines: [] },
    ]);
    assert.deepEqual(shown(nothingNewer), range(1, 31), 'the held live message follows on');
    assert.equal(nothingNewer.timelines.r?.heldLive, undefined);
  });

  test('a page overlapping the live timeline joins it and stays live', () => {
    const state = run([
      { type: 'history.loaded', roomId: 'r', newestFirst: page(71, 120), hasMore: true, lines: [] },
      { type: 'history.window-loaded', roomId: 'r', newestFirst: page(46, 95), hasMore: true, hasNewer: true, lines: [] },
      live(121),
    ]);
    assert.deepEqual(shown(state), range(46, 121));
    assert.equal(state.timelines.r?.heldLive, undefined);
    assert.equal(state.timelines.r?.hasMore, true);
  });

  test('going back to the newest page keeps only the held messages that join it', () => {
    const state = run([
      { type: 'history.window-loaded', roomId: 'r', newestFirst: page(1, 30), hasMore: false, hasNewer: true, lines: [] },
      live(100),
      live(171),
      { type: 'history.window-loaded', roomId: 'r', newestFirst: page(121, 170), hasMore: true, hasNewer: false, lines: [] },
    ]);
    assert.deepEqual(shown(state), range(121, 171));
    assert.equal(state.timelines.r?.heldLive, undefined);
    assert.equal(state.timelines.r?.hasMore, true);
  });

  test('messages arriving while a page around the newest is fetched follow on after it', () => {
    const state = run([{ type: 'history.requested', roomId: 'r' }, live(121), { type: 'history.window-loaded', roomId: 'r', newestFirst: page(80, 120), hasMore: true, hasNewer: false, lines: [] }]);
    assert.deepEqual(shown(state), range(80, 121));
  });

  test('an edit reaches a held message, and an older page leaves the stretch as it is', () => {
    const state = run([
      { type: 'history.window-loaded', roomId: 'r', newestFirst: page(51, 80), hasMore: true, hasNewer: true, lines: [] },
      live(121),
      { type: 'message.changed', message: message(121, { text: 'edited' }) },
      { type: 'history.loaded', roomId: 'r', newestFirst: page(1, 50), hasMore: false, lines: [] },
    ]);
    assert.deepEqual(shown(state), range(1, 80));
    assert.equal(state.timelines.r?.heldLive?.[0]?.text, 'edited');
  });
});

describe('history generations', () => {
  test('a new placement makes answers to earlier fetches of the room stop counting, not those of other rooms', () => {
    const generations = createHistoryGenerations();
    const newestPage = generations.place('r');
    const olderPage = generations.extend('r');
    const otherRoom = generations.place('s');
    const jump = generations.place('r');
    const newerPage = generations.extend('r');
    assert.equal(newestPage(), false);
    assert.equal(olderPage(), false);
    assert.equal(jump(), true);
    assert.equal(newerPage(), true);
    assert.equal(otherRoom(), true);
  });
});
