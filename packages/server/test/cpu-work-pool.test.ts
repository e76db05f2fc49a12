import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { documentWords } from '../src/search/document-words';
import { SearchTermHasher } from '../src/search/search-terms';
import { CpuWorkPool, INLINE_MAX_CHARS } from '../src/worker-pool/cpu-work-pool';

/** Mixed English and Chinese lines, as long as asked: past the inline limit, work goes to a thread. */
function longText(characters: number): string {
  const line = 'the quarterly figures were reviewed 我们已经发送到群组的保密文件 and approved\n';
  return line.repeat(Math.ceil(characters / line.length)).slice(0, characters);
}

describe('the CPU work pool', () => {
  // One thread, so that the second task of a test runs on the thread the first one left behind or replaced.
  const pool = new CpuWorkPool({ timeoutMs: 2_000, threads: 1 });
  after(() => pool.close());
  const searchKey = randomBytes(32);
  /** What inline work makes of a document: its words, hashed with the same key by a hasher of this thread's own. */
  const termsOf = (parts: string[]) => new SearchTermHasher(searchKey).documentTerms(documentWords(parts));

  test('long text is split into exactly the words inline work finds, hashed into the same terms', async () => {
    const parts = [longText(50_000), 'report.pdf', longText(INLINE_MAX_CHARS + 1)];
    assert.deepEqual(await pool.run({ kind: 'document-terms', parts, searchKey }), termsOf(parts));
  });

  test('long text is scanned by a thread with the rule set it is given, each wanted detector in order', async () => {
    const text = `${longText(20_000)} bluebird acct-123456`;
    const spans = await pool.run({
      kind: 'dlp-spans',
      ruleSetId: 'set-1',
      detectors: [{ kind: 'keywords', words: ['bluebird'] }, { kind: 'regex', pattern: 'acct-[0-9]{6}' }, { kind: 'keywords', words: ['nowhere'] }],
      wanted: [2, 0, 1],
      text,
    });
    const at = text.indexOf('bluebird');
    assert.deepEqual(spans, [[], [[at, at + 8]], [[at + 9, at + 20]]]);
  });

  test('a task that fails in its thread answers as not done, and the thread takes the next task', async () => {
    const failed = await pool.run({ kind: 'dlp-spans', ruleSetId: 'set-bad', detectors: [{ kind: 'regex', pattern: '(a' }], wanted: [0], text: longText(5_000) });
    assert.equal(failed, undefined);
    const parts = [longText(5_000)];
    assert.deepEqual(await pool.run({ kind: 'document-terms', parts, searchKey }), termsOf(parts));
  });

  test('a task past its time answers as not done, and the next task gets a fresh thread', async () => {
    // Chinese with no place to cut takes Intl.Segmenter minutes at this length: far past the two seconds allowed.
    const endless = '我们已经发送到群组的保密文件系统错误日志'.repeat(10_000);
    assert.equal(await pool.run({ kind: 'document-terms', parts: [endless], searchKey }), undefined);
    const parts = [longText(5_000)];
    assert.deepEqual(await pool.run({ kind: 'document-terms', parts, searchKey }), termsOf(parts));
  });

  test('input past the size bound is not worked on at all', async () => {
    assert.equal(await pool.run({ kind: 'document-terms', parts: ['a '.repeat(2_000_001)], searchKey }), undefined);
  });
});
