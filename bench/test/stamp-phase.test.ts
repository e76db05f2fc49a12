import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BENCH_STAMP_SETTINGS, runStampPhase } from '../src/stamp-phase';
import { formatStampResult } from '../src/stamp-report';

const SMALL = { ...BENCH_STAMP_SETTINGS, downloads: 3, warmupRounds: 1, photoWidth: 800, photoHeight: 600, pdfPages: 3, loopDelayDownloads: 2, idleMs: 300 };

test('the stamp phase times stamped copies from the marked room against the stored bytes from the unmarked one, and the server’s loop delay', async () => {
  const result = await runStampPhase(SMALL, { pin: false }, () => {});
  assert.equal(result.verified, true, 'the marked room’s downloads were stamped copies and the unmarked room’s the uploads themselves');
  assert.deepEqual(
    result.cases.map((figures) => [figures.kind, figures.marking, figures.downloads]),
    [
      ['photo', 'unstamped', 3],
      ['photo', 'stamped', 3],
      ['pdf', 'unstamped', 3],
      ['pdf', 'stamped', 3],
    ],
  );
  for (const figures of result.cases) assert.ok(figures.p50Ms > 0 && figures.p95Ms >= figures.p50Ms);
  for (const ratio of Object.values(result.ratios)) assert.ok(Number.isFinite(ratio.p50) && Number.isFinite(ratio.p95));
  // The idle stretch alone is 300 ms of 10 ms samples; an empty monitor would mean the server never measured.
  for (const stretch of Object.values(result.loopDelay)) assert.ok(stretch.samples > 0);
  assert.match(formatStampResult(result), /photo 800 × 600 JPEG/);
});
