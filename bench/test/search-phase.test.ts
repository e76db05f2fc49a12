import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { prepareSearchDataset } from '../src/search-dataset';
import { runSearchPhase, SEARCH_KINDS } from '../src/search-phase';
import { searchJson, searchRows } from '../src/search-report';

test('the search phase loads its messages through the server, finds them over HTTP, and reports each kind', async () => {
  const result = await runSearchPhase(
    { messages: 5_000, users: 30, rooms: 10, membersPerRoom: 10, requestsPerKind: 5, historyRequests: 10, historyRounds: 3, historyWarmupRequests: 5, pin: false },
    () => {},
  );
  assert.equal(result.errors, 0);
  assert.equal(result.messages, 5_000);
  for (const kind of Object.keys(SEARCH_KINDS) as (keyof typeof SEARCH_KINDS)[]) {
    assert.equal(result.search[kind].requests, 5, kind);
    assert.ok(result.search[kind].p50Ms > 0, kind);
  }
  assert.ok(result.search['english-common'].meanResults > 0 && result.search['chinese-common'].meanResults > 0, 'common words are found: the index was built by the server’s own code');
  assert.equal(result.searchAll.requests, 5 * Object.keys(SEARCH_KINDS).length);
  assert.equal(result.history.requests, 10);
  assert.equal(result.floor.requests, 10, 'a health check is timed after every history page');
  assert.equal(result.historyRounds.length, 3);
  const roundP99s = result.historyRounds.map((round) => round.history.p99Ms).sort((a, b) => a - b);
  assert.equal(result.history.p99Ms, roundP99s[1], 'the verdict reads the median round');
  assert.ok(result.historyRounds.some((round) => round.floor === result.floor), 'the floor shown is that round’s');
  assert.equal(result.sealedBodies.total, 5_000, 'the server counted every stored body for the sealed share');
  const json = searchJson(result);
  assert.equal(json.encryptedAtRest, result.sealedBodies.sealed === 5_000, 'the rows call the data encrypted only when every body is sealed');
  assert.match(searchRows(json).at(-2)![0], json.encryptedAtRest ? / encrypted messages/ : /NOT encrypted messages/);
  assert.equal(json.searchMet, false, 'no verdict passes below the issue’s 1,000,000 messages');
  assert.equal(searchRows(json).length, Object.keys(SEARCH_KINDS).length + 3);
});

test('a cached data set is reused by a later run of the same shape, and a copy is measured, not the cache', async () => {
  const cacheDir = mkdtempSync(path.join(tmpdir(), 'enclave-bench-search-cache-'));
  const shape = { messages: 500, users: 6, rooms: 3, membersPerRoom: 3 };
  try {
    const first = await prepareSearchDataset(shape, { pin: false, cacheDir }, () => {});
    rmSync(first.dataDir, { recursive: true, force: true });
    const second = await prepareSearchDataset(shape, { pin: false, cacheDir }, () => {});
    rmSync(second.dataDir, { recursive: true, force: true });
    const other = await prepareSearchDataset({ ...shape, messages: 600 }, { pin: false, cacheDir }, () => {});
    rmSync(other.dataDir, { recursive: true, force: true });
    assert.deepEqual([first.fromCache, second.fromCache, other.fromCache], [false, true, false]);
    assert.ok(!second.dataDir.startsWith(cacheDir), 'the server runs on a copy');
    assert.deepEqual(second.users, first.users);
    assert.deepEqual(second.rooms, first.rooms);
    assert.deepEqual([...second.anchors], [...first.anchors]);
    assert.equal(second.messages, 500);
    assert.equal(other.messages, 600);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
