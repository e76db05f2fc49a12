import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * The files directory, the only code that knows its layout:
 *
 *     tmp/<random>.part        an upload being received, or a thumbnail being made
 *     <k0k1>/<k2k3>/<key>      a stored file, under its random storage key (64 hex digits)
 *     <k0k1>/<k2k3>/<key>.webp its thumbnail
 *
 * Keys are random, never derived from the name or the content, so a path reveals nothing and cannot be guessed.
 * A file gets its final name only by a rename once it is complete and accepted, so no reader (and no other node
 * sharing the directory) ever sees half of one.
 */
export class FileStore {
  private readonly tempDir: string;

  constructor(readonly root: string) {
    this.tempDir = path.join(root, 'tmp');
  }

  /** Creates the directory on first use; the temp directory sits inside it so a rename never crosses devices. */
  async prepare(): Promise<void> {
    await mkdir(this.tempDir, { recursive: true, mode: 0o700 });
  }

  newTempPath(): string {
    return path.join(this.tempDir, `${randomBytes(32).toString('hex')}.part`);
  }

  newKey(): string {
    return randomBytes(32).toString('hex');
  }

  /** Moves a finished temp file to its final name (the thumbnail's with `thumbnail`). */
  async place(tempPath: string, key: string, options: { thumbnail?: boolean } = {}): Promise<void> {
    const target = this.pathOf(key, options);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await rename(tempPath, target);
  }

  open(key: string, options: { thumbnail?: boolean } = {}): ReadStream {
    return createReadStream(this.pathOf(key, options));
  }

  /** Removes a stored file and its thumbnail; one already gone is not an error. */
  async remove(key: string): Promise<void> {
    await removeIfPresent(this.pathOf(key));
    await removeIfPresent(this.pathOf(key, { thumbnail: true }));
  }

  async removeTemp(tempPath: string): Promise<void> {
    await removeIfPresent(tempPath);
  }

  /**
   * Removes temp files nobody has written to for `idleMs`: uploads cut off by a crash. Several nodes may share the
   * directory, so a file still being written (by another node) is left alone.
   */
  async removeStaleTemp(idleMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    for (const name of await readdir(this.tempDir).catch(() => [])) {
      const file = path.join(this.tempDir, name);
      const info = await stat(file).catch(() => undefined);
      if (info?.isFile() && now - info.mtimeMs > idleMs) {
        await removeIfPresent(file);
        removed += 1;
      }
    }
    return removed;
  }

  private pathOf(key: string, options: { thumbnail?: boolean } = {}): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error('not a storage key');
    return path.join(this.root, key.slice(0, 2), key.slice(2, 4), options.thumbnail ? `${key}.webp` : key);
  }
}

async function removeIfPresent(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
