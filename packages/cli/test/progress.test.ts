import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createProgress } from '../src/progress';

/** A stream that records what is written to it, as a terminal or as a log file. */
function recorder(isTTY: boolean) {
  const written: string[] = [];
  const stream = { isTTY, columns: 100, write: (text: string) => written.push(text) !== 0, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, on: () => stream, removeListener: () => stream };
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => written.join('') };
}

test('without a terminal, progress is plain lines and a summary, one per phase', () => {
  const log = recorder(false);
  const progress = createProgress({ json: false, stream: log.stream, lineIntervalMs: 0 });
  progress.start('message text', 3);
  progress.update(2);
  progress.update(3);
  progress.stop();
  const lines = log.text().trim().split('\n');
  assert.deepEqual(lines.slice(0, 3), ['message text: 0/3 (0%)', 'message text: 2/3 (66%)', 'message text: 3/3 (100%)']);
  assert.match(lines[3]!, /^message text: 3\/3 done in \d+\.\d s$/);
  assert.doesNotMatch(log.text(), /\r/, 'no carriage returns in a log');
});

test('with --json, progress writes nothing: the one JSON document is the result', () => {
  const log = recorder(false);
  const progress = createProgress({ json: true, stream: log.stream });
  progress.start('files', 10);
  progress.update(5);
  progress.stop();
  assert.equal(log.text(), '');
});

test('on a terminal, progress is a bar that ends at the total', () => {
  const terminal = recorder(true);
  const ci = process.env.CI;
  delete process.env.CI;
  try {
    const progress = createProgress({ json: false, stream: terminal.stream });
    progress.start('re-wrapping', 4);
    progress.update(4);
    progress.stop();
  } finally {
    if (ci !== undefined) process.env.CI = ci;
  }
  assert.match(terminal.text(), /re-wrapping\s+\[=+\] 100% \| 4\/4/);
});
