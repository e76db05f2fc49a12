import { createHash } from 'node:crypto';
import type { Actor } from '../../auth/actor';
import type { FileStamping, StampedVariant } from '../stamping/file-stamping';

/** A rendered view on its way to one viewer. */
export interface PreviewDelivery {
  viewer: Pick<Actor, 'userId'>;
  fileId: string;
  variant: Extract<StampedVariant, 'preview' | `page-${number}`>;
  mime: 'image/webp' | 'image/png';
  rendered: Buffer;
  /** The browser's If-None-Match: a stamped copy of this view it already holds is not made again. */
  ifNoneMatch: string | undefined;
}

/**
 * The one place every rendered view (image preview, PDF page) passes on its way to a viewer, after the cache: the
 * cache holds the unstamped rendering, and under a marking policy each viewer's copy is stamped here with their
 * code (FileStamping), tagged by that code. An unmarked view goes out as rendered, tagged by its own content.
 * `code` is the stamped copy's, for the audit entry; empty bytes mean the browser's copy is current (304).
 */
export async function stampPreview(stamping: FileStamping, delivery: PreviewDelivery): Promise<{ bytes: Buffer; etag: string; code?: string }> {
  const { viewer, fileId, variant, mime, rendered } = delivery;
  if (!(await stamping.applies(viewer, fileId))) return { bytes: rendered, etag: `"${createHash('sha256').update(rendered).digest('base64url')}"` };
  const held = await stamping.heldCopy(viewer, fileId, variant, delivery.ifNoneMatch);
  if (held) return { bytes: Buffer.alloc(0), etag: held };
  const stamped = await stamping.stamp(viewer, { id: fileId, mime }, variant, rendered, 'file-view');
  return { bytes: stamped.bytes, etag: stamped.etag, code: stamped.code };
}
