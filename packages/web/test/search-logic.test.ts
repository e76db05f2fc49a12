import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Message, SearchResult } from '@enclave/protocol';
import { dayAfter, startOfDay } from '../src/search/day-bounds';
import { excerptOf, markedPieces } from '../src/search/excerpt';
import { hasFilters, NO_CRITERIA, searchQueryOf } from '../src/search/search-criteria';
import { IDLE_SEARCH, searchReducer, type SearchAction, type SearchState } from '../src/search/search-state';

function result(id: string): SearchResult {
  const message: Message = {
    id, roomId: 'r', senderId: 'u', senderGuest: false, text: id, threadRootId: null, clientId: null, position: 1, createdAt: '2026-01-01T00:00:00.000Z', editedAt: null,
    deleted: false, recalled: false, replyCount: 0, lastReplyAt: null, pinned: false, alsoInRoom: false, mentions: [], mentionsAll: false, reactions: [],
    label: 'internal', restrictions: { noForward: false, noCopy: false, noDownload: false }, forwardedFrom: null, files: [],
  };
  return { message, highlights: [] };
}

function run(actions: SearchAction[]): SearchState {
  return actions.reduce(searchReducer, IDLE_SEARCH);
}

describe('search results', () => {
  test('a late answer to an earlier search is dropped, whichever order the answers come in', () => {
    const state = run([
      { type: 'started', generation: 1 },
      { type: 'started', generation: 2 },
      { type: 'page-loaded', generation: 2, more: false, results: [result('new')], nextCursor: null },
      { type: 'page-loaded', generation: 1, more: false, results: [result('stale')], nextCursor: 'c' },
      { type: 'failed', generation: 1, more: false, error: 'late failure' },
    ]);
    assert.deepEqual(state.results.map((r) => r.message.id), ['new']);
    assert.equal(state.status, 'done');
    assert.equal(state.nextCursor, null);
    assert.equal(state.error, undefined);
  });

  test('keeps the previous results while a new search runs, and replaces them when it answers', () => {
    const searching = run([
      { type: 'started', generation: 1 },
      { type: 'page-loaded', generation: 1, more: false, results: [result('a')], nextCursor: null },
      { type: 'started', generation: 2 },
    ]);
    assert.equal(searching.status, 'searching');
    assert.deepEqual(searching.results.map((r) => r.message.id), ['a']);
    const answered = searchReducer(searching, { type: 'page-loaded', generation: 2, more: false, results: [result('b')], nextCursor: null });
    assert.deepEqual(answered.results.map((r) => r.message.id), ['b']);
  });

  test('adds the next page below, and a page of a search since replaced is dropped', () => {
    const more = run([
      { type: 'started', generation: 1 },
      { type: 'page-loaded', generation: 1, more: false, results: [result('a')], nextCursor: 'c1' },
      { type: 'more-started', generation: 1 },
      { type: 'page-loaded', generation: 1, more: true, results: [result('b')], nextCursor: null },
    ]);
    assert.deepEqual(more.results.map((r) => r.message.id), ['a', 'b']);
    assert.equal(more.loadingMore, false);
    const replaced: SearchAction[] = [{ type: 'more-started', generation: 1 }, { type: 'cleared', generation: 2 }, { type: 'page-loaded', generation: 1, more: true, results: [result('c')], nextCursor: null }];
    assert.deepEqual(replaced.reduce(searchReducer, more), { ...IDLE_SEARCH, generation: 2 });
  });

  test('a failed next page keeps the results and says why; a failed search shows only the reason', () => {
    const moreFailed = run([
      { type: 'started', generation: 1 },
      { type: 'page-loaded', generation: 1, more: false, results: [result('a')], nextCursor: 'c1' },
      { type: 'more-started', generation: 1 },
      { type: 'failed', generation: 1, more: true, error: 'offline' },
    ]);
    assert.equal(moreFailed.status, 'done');
    assert.equal(moreFailed.results.length, 1);
    assert.equal(moreFailed.nextCursor, 'c1');
    assert.equal(moreFailed.error, 'offline');
    const failed = run([{ type: 'started', generation: 1 }, { type: 'failed', generation: 1, more: false, error: 'offline' }]);
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.results, []);
  });
});

describe('search requests', () => {
  test('no request without words; the words go as typed, with every filter set', () => {
    assert.equal(searchQueryOf({ ...NO_CRITERIA, text: '   ' }, undefined), undefined);
    assert.deepEqual(searchQueryOf({ ...NO_CRITERIA, text: 'budget ' }, undefined), { q: 'budget ', limit: 20 });
    const query = searchQueryOf({ text: '错误', roomId: 'r1', senderId: 'u1', fromDay: '2026-03-01', untilDay: '2026-03-31', label: 'secret', withFiles: true }, 'UTC');
    assert.deepEqual(query, {
      q: '错误',
      limit: 20,
      roomId: 'r1',
      from: 'u1',
      after: '2026-03-01T00:00:00.000Z',
      before: '2026-04-01T00:00:00.000Z',
      label: 'secret',
      hasFile: true,
    });
  });

  test('dates are whole days in the reader’s time zone, the last day included', () => {
    assert.equal(startOfDay('2026-03-10', 'Asia/Shanghai').toISOString(), '2026-03-09T16:00:00.000Z');
    assert.equal(startOfDay('2026-03-10', 'America/New_York').toISOString(), '2026-03-10T04:00:00.000Z', 'after the spring change, UTC−4');
    assert.equal(startOfDay('2026-03-08', 'America/New_York').toISOString(), '2026-03-08T05:00:00.000Z', 'the change happens at 2:00, after midnight');
    assert.equal(startOfDay('2026-03-10', undefined).getTime(), new Date(2026, 2, 10).getTime(), 'without a zone, the device’s own');
    assert.equal(dayAfter('2026-02-28'), '2026-03-01');
    assert.equal(dayAfter('2026-12-31'), '2027-01-01');
  });

  test('filters are told apart from the words', () => {
    assert.equal(hasFilters({ ...NO_CRITERIA, text: 'anything' }), false);
    assert.equal(hasFilters({ ...NO_CRITERIA, withFiles: true }), true);
    assert.equal(hasFilters({ ...NO_CRITERIA, untilDay: '2026-01-01' }), true);
  });
});

describe('result excerpts', () => {
  test('a short text is shown whole, cut into plain and marked pieces', () => {
    const excerpt = excerptOf('系统错误日志已经发送', [[2, 4]]);
    assert.deepEqual(excerpt, { text: '系统错误日志已经发送', highlights: [[2, 4]], clippedStart: false, clippedEnd: false });
    assert.deepEqual(markedPieces(excerpt.text, excerpt.highlights), [
      { text: '系统', marked: false },
      { text: '错误', marked: true },
      { text: '日志已经发送', marked: false },
    ]);
  });

  test('a long text is cut shortly before its first match, with the ranges moved along', () => {
    const text = `${'a'.repeat(500)} needle ${'b'.repeat(500)}`;
    const excerpt = excerptOf(text, [[501, 507]], 100);
    assert.equal(excerpt.text.length, 100);
    assert.equal(excerpt.clippedStart, true);
    assert.equal(excerpt.clippedEnd, true);
    const [range] = excerpt.highlights;
    assert.ok(range);
    assert.equal(excerpt.text.slice(range[0], range[1]), 'needle');
  });

  test('a cut never splits a character made of two code units', () => {
    const text = `${'😀'.repeat(100)}`;
    const excerpt = excerptOf(text, [[121, 123]], 50);
    assert.ok(!/^[\uDC00-\uDFFF]/.test(excerpt.text) && !/[\uD800-\uDBFF]$/.test(excerpt.text));
  });

  test('ranges beyond the text or overlapping an earlier one are ignored', () => {
    assert.deepEqual(markedPieces('abcdef', [[1, 3], [2, 4], [5, 9]]), [
      { text: 'a', marked: false },
      { text: 'bc', marked: true },
      { text: 'def', marked: false },
    ]);
  });
});
