import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ContentDamaged } from '../keys/sealed';
import { hasSealedMagic, openSegment, SEALED_FILE_MAGIC, SEALED_SEGMENT_BYTES, SEGMENT_BYTES, sealedLayout, segmentOffset, type SealedIdentity } from './sealed-file-format';

/**
 * A file's plain bytes as its readers need them (sniffing, thumbnails, text extraction, downloads), opened from
 * the sealed file on disk segment by segment: read at any offset, streamed, or taken whole into memory. Plain
 * bytes exist only in memory, never in a file. Reads throw ContentDamaged when a segment does not open.
 */
export interface FileSource {
  readonly size: number;
  read(position: number, length: number): Promise<Buffer>;
  /** The first `maxBytes` bytes, and whether the file holds more. */
  prefix(maxBytes: number): Promise<{ bytes: Buffer; truncated: boolean }>;
  /**
   * From the start to the end, a segment (64 KiB) at a time; the stream errors with ContentDamaged. It leaves the
   * source open: whoever opened the source closes it (`closeWith` for a stream handed on).
   */
  stream(): Readable;
  close(): Promise<void>;
}

/**
 * Opens a file for reading: sealed under `identity`, or plain when `identity` is null (a file stored before
 * encryption, or with encryption turned off; which one a file is is recorded in its row). The first segment is
 * opened here, so a damaged or swapped file fails before anything is answered.
 */
export async function openFileSource(filePath: string, identity: SealedIdentity | null): Promise<FileSource> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    if (!identity) return new PlainSource(handle, size);
    const source = new SealedSource(handle, size, identity);
    await source.check();
    return source;
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** What every source does the same way once it can `read`: the prefix, the stream, closing its handle. */
abstract class HandleSource implements FileSource {
  abstract readonly size: number;

  constructor(protected readonly handle: FileHandle) {}

  abstract read(position: number, length: number): Promise<Buffer>;

  async prefix(maxBytes: number): Promise<{ bytes: Buffer; truncated: boolean }> {
    return { bytes: await this.read(0, maxBytes), truncated: this.size > maxBytes };
  }

  stream(): Readable {
    return chunksOf(this);
  }

  close(): Promise<void> {
    return this.handle.close().catch(() => undefined);
  }
}

class PlainSource extends HandleSource {
  constructor(
    handle: FileHandle,
    readonly size: number,
  ) {
    super(handle);
  }

  async read(position: number, length: number): Promise<Buffer> {
    const end = Math.min(this.size, position + length);
    return readExactly(this.handle, position, Math.max(0, end - position));
  }
}

class SealedSource extends HandleSource {
  readonly size: number;
  private readonly segments: number;
  private cached: { index: number; plain: Buffer } | undefined;

  constructor(
    handle: FileHandle,
    sealedSize: number,
    private readonly identity: SealedIdentity,
  ) {
    super(handle);
    const layout = sealedLayout(sealedSize, identity.aad);
    this.size = layout.plainSize;
    this.segments = layout.segments;
  }

  async check(): Promise<void> {
    const head = await readExactly(this.handle, 0, SEALED_FILE_MAGIC.length);
    if (!hasSealedMagic(head)) throw new ContentDamaged(this.identity.aad);
    await this.segment(0);
  }

  async read(position: number, length: number): Promise<Buffer> {
    const end = Math.min(this.size, position + length);
    const parts: Buffer[] = [];
    for (let at = position; at < end; ) {
      const index = Math.floor(at / SEGMENT_BYTES);
      const plain = await this.segment(index);
      const from = at - index * SEGMENT_BYTES;
      const to = Math.min(plain.length, end - index * SEGMENT_BYTES);
      parts.push(plain.subarray(from, to));
      at = index * SEGMENT_BYTES + to;
    }
    return Buffer.concat(parts);
  }

  private async segment(index: number): Promise<Buffer> {
    if (this.cached?.index === index) return this.cached.plain;
    const last = index === this.segments - 1;
    const sealed = await readExactly(this.handle, segmentOffset(index), SEALED_SEGMENT_BYTES);
    const plain = openSegment(this.identity, index, last, sealed);
    if (!last && plain.length !== SEGMENT_BYTES) throw new ContentDamaged(this.identity.aad);
    this.cached = { index, plain };
    return plain;
  }
}

/** A stream of the source's bytes that closes the source when it ends or is dropped (an answer of 304). */
export function closeWith(source: FileSource): Readable {
  const stream = source.stream();
  stream.once('close', () => void source.close());
  return stream;
}

/** One segment's worth at a time, so a large download holds 64 KiB of plain bytes. */
function chunksOf(source: FileSource): Readable {
  return Readable.from(
    (async function* chunks() {
      for (let at = 0; at < source.size; at += SEGMENT_BYTES) yield await source.read(at, SEGMENT_BYTES);
    })(),
    { objectMode: false },
  );
}

/** Up to `length` bytes from `position`, fewer only at the end of the file. */
async function readExactly(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.subarray(0, filled);
}
