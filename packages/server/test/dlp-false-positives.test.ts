import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { BuiltinDetectorId } from '@enclave/protocol';
import { compileDetector, type Detector } from '../src/dlp/detectors/index';
import { RecentTexts } from '../src/dlp/recent-texts';
import { KEYWORDS } from './dlp-corpus/evasions';

/** Over a thousand ordinary work messages; lines starting with # describe the file. */
const MESSAGES = readFileSync(new URL('./dlp-corpus/ordinary-messages.txt', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim().length > 0 && !line.startsWith('#'));

/** The messages a detector matches, each with what it found. */
function hits(detector: Detector, messages: readonly string[]): string[] {
  return messages.flatMap((message) => {
    const spans = detector.findSpans(message);
    return spans.length > 0 ? [`${message}  →  ${spans.map(([start, end]) => message.slice(start, end)).join(', ')}`] : [];
  });
}

test('the corpus of ordinary messages has over a thousand distinct lines', () => {
  assert.ok(MESSAGES.length >= 1000, `${MESSAGES.length} lines`);
  assert.equal(new Set(MESSAGES).size, MESSAGES.length);
});

test('no built-in detector, markings, identity, card or mobile numbers, matches an ordinary work message', () => {
  const counts: string[] = [];
  const found: string[] = [];
  for (const id of BuiltinDetectorId.options) {
    const matched = hits(compileDetector({ kind: 'builtin', id }), MESSAGES);
    counts.push(`${id} ${matched.length}`);
    found.push(...matched.map((hit) => `${id}: ${hit}`));
  }
  console.log(`DLP false positives on ${MESSAGES.length} ordinary messages: ${counts.join(', ')}`);
  assert.deepEqual(found, []);
});

test('the evasion corpus keyword list matches no ordinary message', () => {
  assert.deepEqual(hits(compileDetector({ kind: 'keywords', words: KEYWORDS }), MESSAGES), []);
});

test('read as one person sending them in turn, consecutive ordinary messages complete no number', () => {
  const numberDetectors = (['prc-id', 'bank-card', 'cn-mobile'] as const).map((id) => compileDetector({ kind: 'builtin', id }));
  const recent = new RecentTexts();
  const found: string[] = [];
  for (const message of MESSAGES) {
    const earlier = recent.earlier('sender', 'room');
    const joined = `${earlier} ${message}`;
    for (const detector of numberDetectors) {
      for (const [start, end] of detector.findSpans(joined)) {
        if (earlier.length > 0 && start < earlier.length && end > earlier.length + 1) found.push(joined.slice(start, end));
      }
    }
    recent.remember('sender', 'room', message);
  }
  console.log(`DLP false positives across consecutive messages: ${found.length}`);
  assert.deepEqual(found, []);
});
