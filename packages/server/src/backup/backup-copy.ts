import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What a backup, verification or restore has done so far, for a progress display. */
export interface BackupProgress {
  phase: 'database' | 'files' | 'verify' | 'restore';
  doneBytes: number;
  totalBytes: number;
  doneFiles: number;
  totalFiles: number;
}

export type ProgressListener = (progress: BackupProgress) => void;

/** Counts bytes against a total and files against a count, reporting at most every 64 KiB read. */
export class ProgressCounter {
  private doneBytes = 0;
  private doneFiles = 0;
  private lastReported = -Infinity;

  constructor(
    private readonly phase: BackupProgress['phase'],
    private readonly totalBytes: number,
    private readonly totalFiles: number,
    private readonly listener: ProgressListener | undefined,
  ) {
    this.report(true);
  }

  bytes(count: number): void {
    this.doneBytes += count;
    this.report(false);
  }

  fileDone(): void {
    this.doneFiles += 1;
    this.report(true);
  }

  private report(always: boolean): void {
    if (!this.listener || (!always && this.doneBytes - this.lastReported < 65_536)) return;
    this.lastReported = this.doneBytes;
    this.listener({ phase: this.phase, doneBytes: this.doneBytes, totalBytes: this.totalBytes, doneFiles: this.doneFiles, totalFiles: this.totalFiles });
  }
}

/** SHA-256 and size of a file, read as a stream (never whole into memory). */
export async function hashFile(file: string, onBytes: (count: number) => void = () => {}): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  await pipeline(createReadStream(file), async (chunks: AsyncIterable<Buffer>) => {
    for await (const chunk of chunks) {
      hash.update(chunk);
      size += chunk.length;
      onBytes(chunk.length);
    }
  });
  return { size, sha256: hash.digest('hex') };
}

/**
 * Copies a file while hashing what it copies, so the sum in a manifest is of the bytes actually written and a
 * file changing under the copy cannot slip past. The target is created with mode 0600 and must not exist.
 */
export async function copyHashed(from: string | Readable, to: string, onBytes: (count: number) => void = () => {}): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      size += chunk.length;
      onBytes(chunk.length);
      callback(null, chunk);
    },
  });
  await pipeline(typeof from === 'string' ? createReadStream(from) : from, tap, createWriteStream(to, { flags: 'wx', mode: 0o600 }));
  return { size, sha256: hash.digest('hex') };
}
