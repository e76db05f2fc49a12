import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import { ContentDamaged } from '../keys/sealed';

/**
 * The format of every sealed file under the files directory (stored files, thumbnails, rendered views, uploads
 * being received):
 *
 *     MAGIC (8 bytes)  segment 0  segment 1  …  segment n−1
 *     segment i = IV (12 bytes) ‖ AES-256-GCM ciphertext of up to SEGMENT_BYTES plain bytes ‖ tag (16 bytes)
 *
 * Every segment but the last holds exactly SEGMENT_BYTES plain bytes; the last holds 0 to SEGMENT_BYTES (an empty
 * file is one empty last segment). Each segment's associated data is `<identity>/<index>/<end|more>`, where the
 * identity names the file and the part of it (`file/<fileId>/bytes`, `…/thumbnail`, `…/view-<variant>`). So a
 * segment moved to another place, another part or another file does not open, a file cut at a segment's edge
 * fails on its new last segment (sealed as `more`), and one with segments appended fails on the old last one.
 * Segments make files readable as streams and at any offset without holding them whole.
 */
export const SEALED_FILE_MAGIC = Buffer.from('ENCLF\u0000\u0001\u0000', 'latin1');
export const SEGMENT_BYTES = 64 * 1024;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const OVERHEAD = IV_BYTES + TAG_BYTES;
export const SEALED_SEGMENT_BYTES = SEGMENT_BYTES + OVERHEAD;

/** What a sealed file is bound to: its data key and the identity its segments' associated data starts with. */
export interface SealedIdentity {
  key: Buffer;
  /** `file/<fileId>/<part>`. */
  aad: string;
}

export type FilePart = 'bytes' | 'thumbnail' | `view-${string}`;

export function fileIdentity(key: Buffer, fileId: string, part: FilePart): SealedIdentity {
  return { key, aad: `file/${fileId}/${part}` };
}

/** The layout of a sealed file of `sealedSize` bytes: how many segments and plain bytes; throws ContentDamaged if none fits. */
export function sealedLayout(sealedSize: number, aad: string): { segments: number; plainSize: number } {
  const body = sealedSize - SEALED_FILE_MAGIC.length;
  if (body < OVERHEAD) throw new ContentDamaged(aad);
  const full = Math.floor(body / SEALED_SEGMENT_BYTES);
  const rest = body % SEALED_SEGMENT_BYTES;
  if (rest === 0) return { segments: full, plainSize: full * SEGMENT_BYTES };
  if (rest < OVERHEAD) throw new ContentDamaged(aad);
  return { segments: full + 1, plainSize: full * SEGMENT_BYTES + rest - OVERHEAD };
}

export function segmentOffset(index: number): number {
  return SEALED_FILE_MAGIC.length + index * SEALED_SEGMENT_BYTES;
}

export function sealSegment(identity: SealedIdentity, index: number, last: boolean, plain: Uint8Array): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', identity.key, iv);
  cipher.setAAD(segmentAad(identity, index, last));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]);
}

/** Throws ContentDamaged when the segment was changed, moved, or sealed with another key or identity. */
export function openSegment(identity: SealedIdentity, index: number, last: boolean, sealed: Buffer): Buffer {
  if (sealed.length < OVERHEAD) throw new ContentDamaged(identity.aad);
  try {
    const decipher = createDecipheriv('aes-256-gcm', identity.key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(segmentAad(identity, index, last));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
  } catch {
    throw new ContentDamaged(identity.aad);
  }
}

/**
 * Seals a stream as it passes: plain bytes in, the sealed file out, never more than two segments held. The last
 * segment is known only when the input ends, so the segment being filled is sealed once the next byte arrives.
 */
export function sealingStream(identity: SealedIdentity): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  return new Transform({
    construct(done) {
      this.push(SEALED_FILE_MAGIC);
      done();
    },
    transform(chunk: Buffer, _encoding, done) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes > SEGMENT_BYTES) {
        const all = Buffer.concat(pending, pendingBytes);
        let at = 0;
        // Full segments are sealed while more bytes follow them; what is left waits for the next chunk or the end.
        while (all.length - at > SEGMENT_BYTES) {
          this.push(sealSegment(identity, index++, false, all.subarray(at, at + SEGMENT_BYTES)));
          at += SEGMENT_BYTES;
        }
        pending = [all.subarray(at)];
        pendingBytes = all.length - at;
      }
      done();
    },
    flush(done) {
      this.push(sealSegment(identity, index, true, Buffer.concat(pending, pendingBytes)));
      done();
    },
  });
}

/** Seals bytes held in memory whole (a thumbnail, a rendered view). */
export function sealWhole(identity: SealedIdentity, plain: Uint8Array): Buffer {
  const parts: Buffer[] = [SEALED_FILE_MAGIC];
  let index = 0;
  for (let at = 0; ; at += SEGMENT_BYTES, index += 1) {
    const last = plain.length - at <= SEGMENT_BYTES;
    parts.push(sealSegment(identity, index, last, plain.subarray(at, Math.min(plain.length, at + SEGMENT_BYTES))));
    if (last) return Buffer.concat(parts);
  }
}

/** Opens a whole sealed file held in memory; throws ContentDamaged. */
export function openWhole(identity: SealedIdentity, sealed: Buffer): Buffer {
  if (!hasSealedMagic(sealed)) throw new ContentDamaged(identity.aad);
  const { segments } = sealedLayout(sealed.length, identity.aad);
  const parts: Buffer[] = [];
  for (let index = 0; index < segments; index += 1) {
    const start = segmentOffset(index);
    parts.push(openSegment(identity, index, index === segments - 1, sealed.subarray(start, Math.min(sealed.length, start + SEALED_SEGMENT_BYTES))));
  }
  return Buffer.concat(parts);
}

export function hasSealedMagic(head: Uint8Array): boolean {
  return head.length >= SEALED_FILE_MAGIC.length && SEALED_FILE_MAGIC.equals(head.subarray(0, SEALED_FILE_MAGIC.length));
}

function segmentAad(identity: SealedIdentity, index: number, last: boolean): Buffer {
  return Buffer.from(`${identity.aad}/${index}/${last ? 'end' : 'more'}`, 'utf8');
}
