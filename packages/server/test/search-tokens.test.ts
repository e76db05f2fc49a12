import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fts5Query, tsQuery, tsVector } from '../src/db/full-text';
import { highlightRanges, indexWords, parseQuery, tokenize, type SearchQuery } from '../src/search/search-tokens';

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
    assert.equal(parseQuery('?! 👍'), null);
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
