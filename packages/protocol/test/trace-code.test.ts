import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  encodeInvisibleTraceCode,
  findTraceCodeCandidates,
  findTraceCodes,
  formatTraceCode,
  isValidTraceCode,
  parseTraceCode,
  singleSymbolCorrections,
  TRACE_CODE_ALPHABET,
  traceCodeFrom,
} from '../src/index';
/** Codes drawn from a small seeded generator (protocol imports nothing of ours), so a failure names its code. */
function sampleCodes(count: number, seed = 16): string[] {
  let state = seed;
  const nextSymbol = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return TRACE_CODE_ALPHABET[(state >>> 16) % 32]!;
  };
  return Array.from({ length: count }, () => traceCodeFrom(Array.from({ length: 8 }, nextSymbol).join('')));
}

describe('trace codes', () => {
  test('are nine symbols of the alphabet whose check symbol matches, shown as XXXX-XXXX-X', () => {
    for (const code of sampleCodes(200)) {
      assert.ok(isValidTraceCode(code), code);
      assert.match(formatTraceCode(code), /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
      assert.deepEqual(parseTraceCode(formatTraceCode(code)), { code });
    }
  });

  test('every single misread symbol fails the check', () => {
    for (const code of sampleCodes(60)) {
      for (let place = 0; place < code.length; place += 1) {
        for (const symbol of TRACE_CODE_ALPHABET) {
          if (symbol === code[place]) continue;
          const misread = code.slice(0, place) + symbol + code.slice(place + 1);
          assert.equal(isValidTraceCode(misread), false, `${code} read as ${misread}`);
        }
      }
    }
  });

  test('every swap of two neighbouring symbols fails the check, but 0 and Z (equal weight under Luhn mod 32)', () => {
    for (const code of sampleCodes(300)) {
      for (let place = 0; place < code.length - 1; place += 1) {
        const [a, b] = [code[place]!, code[place + 1]!];
        if (a === b) continue;
        const swapped = code.slice(0, place) + b + a + code.slice(place + 2);
        const blindSpot = new Set([a, b]).has('0') && new Set([a, b]).has('Z');
        assert.equal(isValidTraceCode(swapped), blindSpot, `${code} with ${a}${b} swapped`);
      }
    }
  });

  test('are read in any case, with any separators, and with Crockford’s aliases for 0 and 1', () => {
    const code = traceCodeFrom('01AB2C3D');
    assert.deepEqual(parseTraceCode(` ${formatTraceCode(code).toLowerCase()} `), { code });
    assert.deepEqual(parseTraceCode(code.replace('0', 'O').replace('1', 'l')), { code });
    assert.deepEqual(parseTraceCode(code.replace('1', 'I').split('').join(' ')), { code });
    assert.deepEqual(parseTraceCode(`${code.slice(0, 4)}.${code.slice(4)}`), { code });
  });

  test('say why a typed code is not one', () => {
    const code = traceCodeFrom('7K2M9QXD');
    assert.deepEqual(parseTraceCode(code.slice(0, 8)), { problem: 'format' });
    assert.deepEqual(parseTraceCode(`${code}7`), { problem: 'format' });
    assert.deepEqual(parseTraceCode(code.replace(code[2]!, 'U')), { problem: 'format' }, 'U is not a symbol');
    const misread = code.slice(0, 3) + (code[3] === 'M' ? 'N' : 'M') + code.slice(4);
    assert.deepEqual(parseTraceCode(misread), { problem: 'check-symbol' });
  });
});

describe('trace codes in text', () => {
  test('an invisible mark is zero-width characters only and round-trips', () => {
    for (const code of sampleCodes(100, 7)) {
      const mark = encodeInvisibleTraceCode(code);
      assert.match(mark, /^\u2063[\u200b\u200c\u200d\u2060]{23}$/u);
      assert.deepEqual(findTraceCodes(`Quarterly numbers${mark} are final.`), [code]);
    }
  });

  test('finds visible and invisible codes inside Chinese text, each once', () => {
    const [seen, copied] = sampleCodes(2, 3) as [string, string];
    const text = `请勿外传：追踪码${formatTraceCode(seen)}。会议纪要${encodeInvisibleTraceCode(copied)}第三季度预算，另见${formatTraceCode(seen)}`;
    assert.deepEqual(findTraceCodes(text), [copied, seen]);
  });

  test('tolerates what OCR makes of the separators and of 0, 1', () => {
    const code = traceCodeFrom('10ZZ4K7P');
    const printed = formatTraceCode(code);
    for (const ocr of [printed.replace(/-/g, ' '), printed.replace(/-/g, ' — '), printed.replace(/-/g, '.'), printed.replace('0', 'O').replace('1', 'I'), code]) {
      assert.deepEqual(findTraceCodes(`Photo text: ${ocr} 2026-12-08 10:31`), [code], ocr);
    }
  });

  test('a printed code with a misread symbol is a misread, never a code', () => {
    const code = traceCodeFrom('7K2M9QXD');
    const misread = `${code.slice(0, 5)}${code[5] === 'Q' ? 'R' : 'Q'}${code.slice(6)}`;
    assert.deepEqual(findTraceCodeCandidates(`seen on ${formatTraceCode(misread)}`), [{ code: misread, valid: false, source: 'visible' }]);
    assert.deepEqual(findTraceCodes(formatTraceCode(misread)), []);
  });

  test('a code misread in one symbol is among its one-symbol corrections, each of which passes the check', () => {
    for (const code of sampleCodes(50, 11)) {
      const position = code.charCodeAt(0) % 9;
      const wrong = TRACE_CODE_ALPHABET[(TRACE_CODE_ALPHABET.indexOf(code[position]!) + 7) % 32]!;
      const misread = code.slice(0, position) + wrong + code.slice(position + 1);
      const corrections = singleSymbolCorrections(misread);
      assert.ok(corrections.includes(code), `${misread} → ${code}`);
      assert.ok(corrections.every(isValidTraceCode));
      assert.ok(corrections.length < 20, 'a handful, not hundreds: about one in 32 of 279 one-symbol changes');
    }
    assert.ok(singleSymbolCorrections('7K2M-9QXD').length === 0, 'a reading of the wrong length has none');
    const withZero = sampleCodes(200, 3).find((code) => code.indexOf('0') > 0)!;
    const misreadFirst = (withZero[0] === 'A' ? 'B' : 'A') + withZero.slice(1);
    assert.ok(singleSymbolCorrections(formatTraceCode(misreadFirst).replace(/0/g, 'O').toLowerCase()).includes(withZero), 'separators, aliases and case are read as parseTraceCode reads them');
  });

  test('stripped, cut short or altered invisible marks are not decoded', () => {
    const [code] = sampleCodes(1, 5) as [string];
    const mark = encodeInvisibleTraceCode(code);
    assert.deepEqual(findTraceCodeCandidates(`plain${mark.slice(1)}text`), [], 'without its start marker');
    assert.deepEqual(findTraceCodeCandidates(`plain${mark.slice(0, -1)}text`), [], 'one character short');
    assert.deepEqual(findTraceCodeCandidates(`plain${mark.slice(0, 12)}x${mark.slice(12)}text`), [], 'split by a visible character');
    const flipped = [...mark];
    flipped[5] = flipped[5] === '\u200b' ? '\u200c' : '\u200b';
    assert.deepEqual(findTraceCodes(flipped.join('')), [], 'one changed bit fails the check');
  });

  test('ordinary words are not taken for codes', () => {
    const prose = 'Something important happened this week: the knowledge transfer was postponed. Estimated 4 weeks; see it all later.';
    assert.deepEqual(findTraceCodeCandidates(prose), []);
    assert.deepEqual(findTraceCodeCandidates(prose.toLowerCase()), []);
  });
});
