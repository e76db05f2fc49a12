import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { fts5Query, tsQuery, tsVector } from '../src/db/full-text';
import { isIndexTerm, MAX_STEM_LENGTH, SearchTermHasher } from '../src/search/search-terms';
import { highlightRanges, indexWords, isPrefixable, parseQuery, tokenize, type SearchQuery } from '../src/search/search-tokens';

/** What the highlights cover, as text, so a failing assertion shows words rather than offsets. */
function marked(text: string, q: string): string[] {
  return highlightRanges(text, parseQuery(q)!).map(([start, end]) => text.slice(start, end));
}

describe('search words', () => {
  test('Chinese is split into words, so two-character words stand on their own', () => {
    assert.ok(indexWords('系统错误日志').includes('错误'));
    assert.ok(indexWords('上传文件失败').includes('文件'));
    assert.deepEqual(indexWords('我们已经发送到群组的保密文件'), ['我们', '已经', '发送', '到', '群组', '的', '保密', '文件']);
  });

  test('mixed Chinese and English: English is folded to lower case, punctuation and spaces are dropped', () => {
    assert.deepEqual(indexWords('Deploy 失败 at 3pm'), ['deploy', '失败', 'at', '3pm']);
    assert.deepEqual(indexWords('Deploy失败，请检查e-mail'), ['deploy', '失败', '请', '检查', 'e', 'mail']);
    assert.deepEqual(indexWords('ＤＥＰＬＯＹ 👍 !!'), ['deploy'], 'full-width letters fold to ASCII; emoji are no words');
  });

  test('each word keeps its place in the original text, in UTF-16 offsets', () => {
    const text = '👍 Deploy失败';
    assert.deepEqual(
      tokenize(text).map((token) => [token.word, text.slice(token.start, token.end)]),
      [['deploy', 'Deploy'], ['失败', '失败']],
    );
  });

  test('a long text gives the same words, at the same places, as its lines one by one', () => {
    const lines = Array.from({ length: 3_000 }, (_, i) => `第${i}行 Deploy失败，请检查e-mail 系统错误日志 ½ ＤＥＰＬＯＹ 👍🏽 x\u0301 line ${i}.`);
    const text = lines.join('\n');
    const expected: { word: string; start: number; end: number }[] = [];
    let offset = 0;
    for (const line of lines) {
      for (const token of tokenize(line)) expected.push({ word: token.word, start: token.start + offset, end: token.end + offset });
      offset += line.length + 1;
    }
    assert.ok(text.length > 100_000);
    assert.deepEqual(tokenize(text), expected);
  });

  test('a query is a list of phrases, all required; a part that segments into several words is a phrase', () => {
    assert.deepEqual(parseQuery('错误 Deploy'), { phrases: [['错误'], ['deploy']], prefix: true });
    assert.deepEqual(parseQuery('上传'), { phrases: [['上', '传']], prefix: false });
    assert.deepEqual(parseQuery('deploy deploy '), { phrases: [['deploy']], prefix: false }, 'repeats count once; a trailing space ends the last word');
    assert.deepEqual(parseQuery('go'), { phrases: [['go']], prefix: false }, 'short words are not prefixes');
    assert.deepEqual(parseQuery('共和'), { phrases: [['共和']], prefix: true }, 'two Chinese characters are a prefix');
    assert.deepEqual(parseQuery('共'), { phrases: [['共']], prefix: false }, 'one is matched whole');
    assert.equal(parseQuery('?! 👍'), null);
  });

  test('which words may stand for longer ones: Latin letters and digits from 3, Chinese from 2, nothing else', () => {
    assert.deepEqual(['de', 'dep', '3pm', 'café', '共', '共和', 'при', 'ab共'].map(isPrefixable), [false, true, true, true, false, true, false, false]);
  });

  test('highlights mark whole words and phrases in Chinese and English, including a prefix', () => {
    assert.deepEqual(marked('系统错误日志：上传文件失败', '错误 文件'), ['错误', '文件']);
    assert.deepEqual(marked('Deploy 失败 at 3pm; deployment retried', 'deplo'), ['Deploy', 'deployment']);
    assert.deepEqual(marked('上传文件失败', '上传'), ['上传']);
    assert.deepEqual(marked('an error, not a terror', 'error '), ['error'], 'no match inside a longer word');
  });

  test('the dialect forms say the same thing to FTS5 and PostgreSQL', () => {
    const query: SearchQuery = { phrases: [['错误'], ['上', '传'], ['depl']], prefix: true };
    assert.equal(fts5Query(query.phrases, query.prefix), '"错误" "上 传" "depl"*');
    assert.equal(tsQuery(query.phrases, query.prefix), "'错误' & ('上' <-> '传') & 'depl':*");
    assert.equal(tsVector(['上', '传', '文件', '上']), "'上':1,4 '传':2 '文件':3");
  });
});

describe('search terms', () => {
  const key = randomBytes(32);
  const hasher = new SearchTermHasher(key);
  const stemOf = (q: string) => hasher.query(parseQuery(q)!).phrases.at(-1)!.at(-1)!;

  test('a term is the same for the same word and key, and shows neither the word nor anything another key makes', () => {
    const other = new SearchTermHasher(randomBytes(32));
    for (const word of ['deployment', '共和国', 'go', 'при', '3pm']) {
      const term = hasher.term(word);
      assert.ok(isIndexTerm(term), term);
      assert.equal(new SearchTermHasher(key).term(word), term, 'the same key makes the same term');
      assert.notEqual(other.term(word), term);
      assert.ok(!term.includes(word), term);
    }
    assert.notEqual(hasher.term('deploy'), hasher.term('deployment'));
    assert.ok(!isIndexTerm('deployment'), 'a plain word does not pass for a term');
  });

  test('a prefix query asks for the start every longer word of that start shares, in English and Chinese', () => {
    assert.ok(hasher.term('deployment').startsWith(stemOf('deplo')));
    assert.ok(hasher.term('deploy').startsWith(stemOf('deploy')), 'a word is its own prefix');
    assert.ok(!hasher.term('deploy').startsWith(stemOf('deplx')));
    assert.ok(!hasher.term('dep').startsWith(stemOf('deplo')), 'a shorter word is not found by a longer prefix');
    assert.ok(hasher.term('共和国').startsWith(stemOf('共和')));
    assert.ok(!hasher.term('共同').startsWith(stemOf('共和')));
    assert.equal(stemOf('deplo').length, 3 * 4, 'one step of 4 characters for dep, depl and deplo');
    assert.match(hasher.term('go'), /^9[a-z2-7]{13}$/, 'a word too short to be a prefix has no stem');
  });

  test('the stem stops at its cap: a longer prefix matches the words that share its first characters', () => {
    const long = 'x'.repeat(MAX_STEM_LENGTH + 8);
    assert.ok(hasher.term(`${long}tail`).startsWith(stemOf(long)));
    assert.equal(stemOf(long).length, (MAX_STEM_LENGTH - 2) * 4);
  });

  test('phrases keep their whole-word terms, only the last word becomes a stem', () => {
    const query = hasher.query(parseQuery('错误 e-mai')!);
    assert.deepEqual(query.phrases[0], [hasher.term('错误')]);
    assert.equal(query.phrases[1]![0], hasher.term('e'));
    assert.ok(hasher.term('mail').startsWith(query.phrases[1]![1]!));
    assert.equal(query.prefix, true);
  });
});
