import type { LoopDelayFigures } from './bench-ipc';
import { sizeText, type StampFileKind, type StampResult } from './stamp-phase';

const FILE_NAMES: Record<StampFileKind, (result: StampResult) => string> = {
  photo: ({ settings }) => `photo ${settings.photoWidth} × ${settings.photoHeight} JPEG`,
  pdf: ({ settings }) => `PDF of ${settings.pdfPages} pages`,
};

/** The download times per file, stamped against unstamped, then the server's event-loop delay, as a table. */
export function formatStampResult(result: StampResult): string {
  const { settings } = result;
  const lines = [
    `downloads one at a time, ${settings.downloads} of each case after ${settings.warmupRounds} warm-up rounds, the cases interleaved`,
    row('file', 'size', 'unstamped p50 / p95', 'stamped p50 / p95', 'stamped / unstamped p50 / p95'),
  ];
  for (const kind of ['photo', 'pdf'] as const) {
    const of = (marking: 'stamped' | 'unstamped') => result.cases.find((figures) => figures.kind === kind && figures.marking === marking)!;
    const [unstamped, stamped] = [of('unstamped'), of('stamped')];
    const ratio = result.ratios[kind];
    lines.push(row(FILE_NAMES[kind](result), sizeText(unstamped.uploadedBytes), pair(unstamped.p50Ms, unstamped.p95Ms), pair(stamped.p50Ms, stamped.p95Ms), `×${ratio.p50.toFixed(2)} / ×${ratio.p95.toFixed(2)}`));
  }
  lines.push(
    '',
    `server event-loop delay past its 10 ms sampling interval (p50 / p99 / max)`,
    loopRow(`idle, ${settings.idleMs / 1000} s`, result.loopDelay.idle),
    loopRow(`stamped downloads, ${settings.loopDelayDownloads} of each file back to back`, result.loopDelay.stamped),
    loopRow(`unstamped downloads, the same`, result.loopDelay.unstamped),
    '',
    result.verified ? 'every stamped copy differed from the upload and every unstamped one matched it' : 'NOT VERIFIED: a stamped copy matched the upload or an unstamped one did not',
  );
  return lines.join('\n');
}

function row(...cells: string[]): string {
  const widths = [24, 10, 24, 24, 0];
  return cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ');
}

function pair(p50: number, p95: number): string {
  return `${p50.toFixed(1)} / ${p95.toFixed(1)} ms`;
}

function loopRow(name: string, figures: LoopDelayFigures): string {
  return `  ${name.padEnd(56)} ${figures.p50Ms.toFixed(1)} / ${figures.p99Ms.toFixed(1)} / ${figures.maxMs.toFixed(1)} ms (${figures.samples} samples)`;
}
