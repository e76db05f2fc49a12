import { SingleBar } from 'cli-progress';

/**
 * Progress of a long command (encryption on upgrade, key rotation, backup, restore), shown the way its reader
 * can use it: a bar on a terminal, a plain line every few seconds in a log or CI (a bar's carriage returns make
 * a log unreadable), and nothing with --json, whose one JSON document is the command's result.
 */
export interface Progress {
  /** Starts (or restarts) a phase of `total` items, e.g. one upgrade step. */
  start(label: string, total: number): void;
  /** How many items of the phase are done so far. */
  update(done: number): void;
  /** Ends the phase; its line stays on screen. */
  stop(): void;
}

export interface ProgressOptions {
  json: boolean;
  /** Where to draw; stderr by default, so stdout carries only the result. */
  stream?: NodeJS.WriteStream;
  /** How often a plain line is written when the stream is not a terminal. */
  lineIntervalMs?: number;
}

export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.json) return { start() {}, update() {}, stop() {} };
  if (stream.isTTY && !process.env.CI) return barProgress(stream);
  return lineProgress(stream, options.lineIntervalMs ?? 2000);
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  let bar: SingleBar | undefined;
  return {
    start(label, total) {
      bar?.stop();
      bar = new SingleBar({ stream, format: `${label.padEnd(20)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`, hideCursor: true, clearOnComplete: false }, undefined);
      bar.start(Math.max(total, 0), 0);
    },
    update(done) {
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}

function lineProgress(stream: NodeJS.WriteStream, intervalMs: number): Progress {
  let phase: { label: string; total: number; done: number; lastLine: number; startedAt: number } | undefined;
  const write = () => {
    if (!phase) return;
    const percent = phase.total > 0 ? Math.floor((phase.done / phase.total) * 100) : 100;
    stream.write(`${phase.label}: ${phase.done}/${phase.total} (${percent}%)\n`);
    phase.lastLine = Date.now();
  };
  return {
    start(label, total) {
      phase = { label, total, done: 0, lastLine: 0, startedAt: Date.now() };
      write();
    },
    update(done) {
      if (!phase) return;
      phase.done = done;
      if (Date.now() - phase.lastLine >= intervalMs) write();
    },
    stop() {
      if (!phase) return;
      const seconds = ((Date.now() - phase.startedAt) / 1000).toFixed(1);
      stream.write(`${phase.label}: ${phase.done}/${phase.total} done in ${seconds} s\n`);
      phase = undefined;
    },
  };
}
