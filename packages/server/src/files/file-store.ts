import { randomBytes } from 'node:crypto';
import { createReadStream, type ReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ContentDamaged } from '../keys/sealed';
import { openFileSource, type FileSource } from './file-source';
import { openWhole, sealingStream, sealWhole, type SealedIdentity } from './sealed-file-format';

/**
 * The files directory, the only code that knows its layout and the only door to its bytes:
 *
 *     tmp/<random>.part        an upload being received, or a file being sealed in place
 *     <k0k1>/<k2k3>/<key>      a stored file, under its random storage key (64 hex digits)
 *     <k0k1>/<k2k3>/<key>.webp its thumbnail
 *     <k0k1>/<k2k3>/<key>.view-<variant>  a rendered view of it (an image preview, a PDF page), a cache
 *
 * Invariant: no plain content byte is written under the directory, not even in tmp/. Every write takes the file's
 * sealed identity (its data key and name, `sealed-file-format.ts`) and seals as it writes; readers get plain bytes
 * only in memory (`FileSource`). The identity is null only for a file whose row says it is plain: one stored
 * before encryption and not yet sealed in place, or one stored with encryption turned off.
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

  /**
   * Writes `sources` (an upload and the steps it passes through) into a new temp file, sealed as the bytes arrive.
   * The file is created before the first byte arrives, so that whatever happens next, the caller's removal finds it.
   */
  async writeTemp(tempPath: string, identity: SealedIdentity | null, sources: [Readable, ...Transform[]]): Promise<void> {
    const file = await open(tempPath, 'wx', 0o600);
    const sealing = identity ? [sealingStream(identity)] : [];
    await pipeline([...sources, ...sealing, file.createWriteStream()]);
  }

  /** Writes bytes held in memory (a thumbnail) sealed into a new temp file, for `place`. */
  async writeTempWhole(tempPath: string, identity: SealedIdentity | null, bytes: Uint8Array): Promise<void> {
    await writeFile(tempPath, identity ? sealWhole(identity, bytes) : bytes, { mode: 0o600, flag: 'wx' });
  }

  /** A temp file's plain bytes, for judging an upload before it is kept. */
  openTemp(tempPath: string, identity: SealedIdentity | null): Promise<FileSource> {
    if (path.dirname(tempPath) !== this.tempDir) throw new Error('not a temp path');
    return openFileSource(tempPath, identity);
  }

  /** Moves a finished temp file to its final name (the thumbnail's with `thumbnail`). */
  async place(tempPath: string, key: string, options: { thumbnail?: boolean } = {}): Promise<void> {
    const target = this.pathOf(key, options);
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await rename(tempPath, target);
  }

  /** A stored file's (or its thumbnail's) plain bytes; the first segment is opened before this resolves. */
  open(key: string, identity: SealedIdentity | null, options: { thumbnail?: boolean } = {}): Promise<FileSource> {
    return openFileSource(this.pathOf(key, options), identity);
  }

  /**
   * A stored file's (or its thumbnail's) bytes exactly as they are on disk, still sealed: for backups, which copy
   * them without ever opening them. Errors (ENOENT for a file removed meanwhile) surface on the stream.
   */
  openStored(key: string, options: { thumbnail?: boolean } = {}): ReadStream {
    return createReadStream(this.pathOf(key, options));
  }

  /** Removes a stored file, its thumbnail and its rendered views; one already gone is not an error. */
  async remove(key: string): Promise<void> {
    await removeIfPresent(this.pathOf(key));
    await removeIfPresent(this.pathOf(key, { thumbnail: true }));
    await this.removeViews(key);
  }

  /** A rendered view kept earlier, or undefined. `variant` names it (letters, digits, dots and dashes). */
  async readView(key: string, variant: string, identity: SealedIdentity | null): Promise<Buffer | undefined> {
    let stored: Buffer;
    try {
      stored = await readFile(this.viewPathOf(key, variant));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    if (!identity) return stored;
    try {
      return openWhole(identity, stored);
    } catch (error) {
      // A view is a cache: one that does not open is drawn again from the file, which is checked itself.
      if (error instanceof ContentDamaged) return undefined;
      throw error;
    }
  }

  /**
   * Keeps a rendered view, written whole under tmp/ and renamed into place, so a reader (on any node) sees all of
   * it or none. Rendering again gives the same view, so two nodes writing one at once is harmless.
   */
  async writeView(key: string, variant: string, identity: SealedIdentity | null, bytes: Uint8Array): Promise<void> {
    const target = this.viewPathOf(key, variant);
    const temp = this.newTempPath();
    await this.prepare();
    await writeFile(temp, identity ? sealWhole(identity, bytes) : bytes, { mode: 0o600 });
    await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    await rename(temp, target);
  }

  /**
   * Seals a stored file (or its thumbnail) that is still plain, written sealed under tmp/ and renamed over the
   * plain one, so a crash leaves either. A file that already opens under `identity` is left as it is (the step
   * ran before and stopped short of recording it). Returns whether it sealed; false also when there is no file.
   */
  async sealInPlace(key: string, identity: SealedIdentity, options: { thumbnail?: boolean } = {}): Promise<boolean> {
    const target = this.pathOf(key, options);
    try {
      await (await openFileSource(target, identity)).close();
      return false;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      if (!(error instanceof ContentDamaged)) throw error;
    }
    await this.prepare();
    const temp = this.newTempPath();
    try {
      const plain = await openFileSource(target, null);
      try {
        await this.writeTemp(temp, identity, [plain.stream()]);
      } finally {
        await plain.close();
      }
      await rename(temp, target);
    } catch (error) {
      await removeIfPresent(temp);
      throw error;
    }
    return true;
  }

  /** Drops a file's rendered views (a cache, drawn again when next asked for). */
  async removeViews(key: string): Promise<void> {
    const directory = path.dirname(this.pathOf(key));
    for (const name of await readdir(directory).catch(() => [])) {
      if (name.startsWith(`${key}.view-`)) await removeIfPresent(path.join(directory, name));
    }
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
