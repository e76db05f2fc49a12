import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The files directory, the only code that knows its layout:
 *
 *     tmp/<random>.part        an upload being received, or a thumbnail being made
 *     <k0k1>/<k2k3>/<key>      a stored file, under its random storage key (64 hex digits)
 *     <k0k1>/<k2k3>/<key>.webp its thumbnail
 *     <k0k1>/<k2k3>/<key>.view-<variant>  a rendered view of it (an image preview, a PDF page), a cache
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

  /** Where a stored file's bytes are, for readers that need a path (sharp, the page-rendering worker). */
  pathOfFile(key: string): string {
    return this.pathOf(key);
  }

  open(key: string, options: { thumbnail?: boolean } = {}): ReadStream {
    return createReadStream(this.pathOf(key, options));
  }

  /** Removes a stored file, its thumbnail and its rendered views; one already gone is not an error. */
  async remove(key: string): Promise<void> {
    await removeIfPresent(this.pathOf(key));
    await removeIfPresent(this.pathOf(key, { thumbnail: true }));
    const directory = path.dirname(this.pathOf(key));
    for (const name of await readdir(directory).catch(() => [])) {
      if (name.startsWith(`${key}.view-`)) await removeIfPresent(path.join(directory, name));
    }
  }

  /** A rendered view kept earlier, or undefined. `variant` names it (letters, digits, dots and dashes). */
  async readView(key: string, variant: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.viewPathOf(key, variant));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  /**
   * Keeps a rendered view, written whole under tmp/ and renamed into place, so a reader (on any node) sees all of
   * it or none. Rendering again gives the same view, so two nodes writing one at once is harmless.
   */
  async writeView(key: string, variant: string, bytes: Uint8Array): Promise<void> {
    const target = this.viewPathOf(key, variant);
    const temp = this.newTempPath();
    await this.prepare();
    await writeFile(temp, bytes, { mode: 0o600 });
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await rename(temp, target);
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

  private viewPathOf(key: string, variant: string): string {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(variant)) throw new Error('not a view variant');
    return `${this.pathOf(key)}.view-${variant}`;
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
