import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileDetector, redactSpans } from '../src/dlp/detectors/index';
import { RECENT_MS, RecentTexts } from '../src/dlp/recent-texts';

const builtin = (id: 'prc-id' | 'bank-card' | 'marking' | 'marking-secret' | 'marking-confidential') => compileDetector({ kind: 'builtin', id });
const found = (id: Parameters<typeof builtin>[0], text: string) => builtin(id).findSpans(text).map(([start, end]) => text.slice(start, end));

describe('matches in normalised text mask the original', () => {
  test('a full-width identity number with zero-width spaces is masked whole, characters the sender typed included', () => {
    const text = '证件：１１０１０５\u200B１９４９１２３１\u200B００２Ｘ，谢谢';
    assert.equal(redactSpans(text, builtin('prc-id').findSpans(text)), '证件：████，谢谢');
  });

  test('HTML references are masked as the references, and a base64 run as the whole run', () => {
    const entities = 'level: &#x673A;&#x5BC6; ok';
    assert.equal(redactSpans(entities, builtin('marking').findSpans(entities)), 'level: ████ ok');
    const encoded = `see ${Buffer.from('绝密文件').toString('base64')} now`;
    assert.equal(redactSpans(encoded, builtin('marking').findSpans(encoded)), 'see ████ now');
  });

  test('a number with separators beside another number is still found on its own', () => {
    assert.deepEqual(found('prc-id', '11010519491231002X 13812345678'), ['11010519491231002X']);
    assert.deepEqual(found('bank-card', '6222021234567894 13812345678'), ['6222021234567894']);
  });
});

describe('markings', () => {
  test('the two levels find only their own markings', () => {
    const text = '【絕密】、【機密】、秘密、TOP SECRET、CONFIDENTIAL';
    assert.deepEqual(found('marking-secret', text), ['絕密', 'TOP SECRET']);
    assert.deepEqual(found('marking-confidential', text), ['機密', '秘密', 'CONFIDENTIAL']);
  });

  test('Chinese markings inside other words are not markings', () => {
    for (const text of ['请重置手机密码', '这台飞机密封性很好', '司机密切关注路况', '手机 密码', '飞机·密封']) assert.deepEqual(found('marking', text), [], text);
    assert.deepEqual(found('marking', '公司机密，这是秘密，手机密码'), ['机密', '秘密']);
  });

  test('English secret and confidential count in capitals or written as markings, not in prose', () => {
    assert.deepEqual(found('marking', 'keep it secret; Secret Santa; confidential information; the secretary'), []);
    assert.deepEqual(found('marking', 'SECRET; [secret]; Confidential: numbers; sEcReT; s-e-c-r-e-t'), ['SECRET', 'secret', 'Confidential', 'sEcReT', 's-e-c-r-e-t']);
  });
});

describe("a sender's recent messages in a room", () => {
  test('keeps the last three, each for two minutes, per sender and room', () => {
    let now = 0;
    const recent = new RecentTexts(() => now);
    for (const text of ['one', 'two', 'three', 'four']) recent.remember('alice', 'room', text);
    recent.remember('bob', 'room', 'other sender');
    recent.remember('alice', 'other room', 'other room');
    assert.equal(recent.earlier('alice', 'room'), 'two three four');
    now = RECENT_MS;
    assert.equal(recent.earlier('alice', 'room'), 'two three four');
    now = RECENT_MS + 1;
    assert.equal(recent.earlier('alice', 'room'), '');
  });

  test('keeps only the end of a long message', () => {
    const recent = new RecentTexts(() => 0);
    recent.remember('alice', 'room', `${'x'.repeat(10_000)} 110105 1949`);
    assert.ok(recent.earlier('alice', 'room').length <= 100);
    assert.ok(recent.earlier('alice', 'room').endsWith('110105 1949'));
  });
});
