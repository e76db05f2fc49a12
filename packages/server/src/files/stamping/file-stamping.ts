import { createHash } from 'node:crypto';
import type { FileMime, TraceMark } from '@enclave/protocol';
import type { Actor } from '../../auth/actor';
import { AppError } from '../../http/app-error';
import type { StampWorkerPool } from './stamp-worker-pool';
import { stampTextOf } from './stamp-text';
import { parseStampedTags, stampedTag, type StampedVariant } from './stamped-tags';

export type { StampedVariant } from './stamped-tags';

type StampKind = 'file-view' | 'file-download';

/**
 * What the files feature needs of leak tracing (tracing/tracing.service.ts provides it; app.ts passes it in, so
 * neither feature imports the other): whether the marking policy puts a mark on a file for a viewer, a code for
 * each copy, the record of the copy it was stamped into, and whose a code is.
 */
export interface TraceMarker {
  markingFor(viewer: Pick<Actor, 'userId'>, kind: StampKind, fileId: string): Promise<{ marked: boolean }>;
  issueMark(viewer: Pick<Actor, 'userId'>, kind: StampKind, fileId: string): Promise<TraceMark | undefined>;
  recordStampedCopy(code: string, copy: { sha256: string; details?: Record<string, unknown> }): Promise<void>;
  issuedTo(viewer: Pick<Actor, 'userId'>, code: string): Promise<{ kind: string; itemId: string } | undefined>;
}

/** A copy stamped for one viewer: its bytes, its type (a GIF's copy is a PNG), its tag and the code it carries. */
export interface StampedCopy {
  bytes: Buffer;
  mime: FileMime;
  etag: string;
  code: string;
}

/** Larger originals are not stamped (and so, under a marking policy, not sent): each copy is made in memory. */
export const MAX_STAMPED_BYTES = 50 * 1024 * 1024;

const imageFormats: Partial<Record<FileMime, string>> = { 'image/jpeg': 'jpeg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif' };
const stampedMimes: Record<string, FileMime> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
/** Text is marked with a header line and an invisible code on every line (text-stamp.ts). */
const textMimes: ReadonlySet<FileMime> = new Set<FileMime>(['text/plain', 'text/csv', 'text/markdown']);

/**
 * Server-stamped copies (issue 16): where the marking policy marks a file, every copy of it that leaves the server
 * (the original, a preview, a page, a thumbnail) is stamped for its viewer with a trace code of its own kind, in a
 * worker thread, and recorded with its SHA-256. What cannot be stamped is refused (DOWNLOAD_REQUIRES_MARKING),
 * never sent unmarked.
 */
export class FileStamping {
  constructor(
    private readonly marker: TraceMarker,
    private readonly pool: StampWorkerPool,
  ) {}

  /** Whether copies of this file are stamped for this viewer. */
  async applies(viewer: Pick<Actor, 'userId'>, fileId: string): Promise<boolean> {
    return (await this.marker.markingFor(viewer, 'file-view', fileId)).marked;
  }

  /** Refuses a file whose type or size cannot be stamped, before anything is read or a code is issued. */
  requireStampable(file: { mime: FileMime; size: number | string }): void {
    if (!canStamp(file.mime) || Number(file.size) > MAX_STAMPED_BYTES) throw new AppError('DOWNLOAD_REQUIRES_MARKING');
  }

  /**
   * The tag of a copy the browser already holds (If-None-Match), when it is this very variant of this file, stamped
   * for this viewer: it may keep it (304) and no new copy is made. Another person's tag, or another file's, is not.
   */
  async heldCopy(viewer: Pick<Actor, 'userId'>, fileId: string, variant: StampedVariant, ifNoneMatch: string | undefined): Promise<string | undefined> {
    for (const tag of parseStampedTags(ifNoneMatch)) {
      if (tag.variant !== variant) continue;
      const issued = await this.marker.issuedTo(viewer, tag.code);
      // The original's copies carry download codes, rendered views view codes: a tag naming the other is not this copy.
      const kind: StampKind = variant === 'content' ? 'file-download' : 'file-view';
      if (issued?.itemId === fileId && issued.kind === kind) return stampedTag(variant, tag.code);
    }
    return undefined;
  }

  /**
   * A copy of `bytes` stamped for the viewer with a fresh code (a download) or their current one (a view), and
   * recorded. DOWNLOAD_REQUIRES_MARKING when it cannot be stamped (a damaged image, an encrypted PDF).
   */
  async stamp(viewer: Pick<Actor, 'userId'>, file: { id: string; mime: FileMime }, variant: StampedVariant, bytes: Uint8Array, kind: StampKind): Promise<StampedCopy> {
    if (!canStamp(file.mime)) throw new AppError('DOWNLOAD_REQUIRES_MARKING');
    const format = imageFormats[file.mime];
    const mark = await this.marker.issueMark(viewer, kind, file.id);
    // The policy changed between the caller's check and now; a copy is stamped only with a code, so none is made.
    if (!mark) throw new AppError('DOWNLOAD_REQUIRES_MARKING');
    const text = stampTextOf(mark);
    const result = await this.pool.stamp(format !== undefined ? { kind: 'image', bytes, format, text } : textMimes.has(file.mime) ? { kind: 'text', bytes, text } : { kind: 'pdf', bytes, text });
    if (!result.ok) throw new AppError('DOWNLOAD_REQUIRES_MARKING');
    const stamped = Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength);
    const mime = result.format === undefined ? file.mime : stampedMimes[result.format]!;
    const sha256 = createHash('sha256').update(stamped).digest('hex');
    await this.marker.recordStampedCopy(mark.code, { sha256, details: { variant, mime, ...(result.pages === undefined ? {} : { pages: result.pages }) } });
    return { bytes: stamped, mime, etag: stampedTag(variant, mark.code), code: mark.code };
  }
}

/** Images, PDFs and text carry a stamp; every other type under a marking policy is view-only or refused. */
export function canStamp(mime: FileMime): boolean {
  return imageFormats[mime] !== undefined || mime === 'application/pdf' || textMimes.has(mime);
}
