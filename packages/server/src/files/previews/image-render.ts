import sharp from 'sharp';

/** The longer side of a rendered view, image or PDF page: enough to read a document, far from a print master. */
export const RENDERED_MAX_SIDE = 1600;
/** As for thumbnails: a tiny file may claim enormous dimensions; more pixels than this are not decoded. */
const MAX_INPUT_PIXELS = 50_000_000;
const TIMEOUT_SECONDS = 20;

/**
 * An image re-drawn for viewing: turned upright, at most RENDERED_MAX_SIDE, re-encoded as WebP with no metadata
 * (sharp writes none unless asked), so neither the original's bytes nor its EXIF, GPS or ICC data leave the server.
 * sharp works on libuv's thread pool, off the event loop. Null for an image that cannot be decoded.
 */
export async function renderImage(source: Buffer): Promise<Buffer | null> {
  try {
    return await sharp(source, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .resize(RENDERED_MAX_SIDE, RENDERED_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 85 })
      .timeout({ seconds: TIMEOUT_SECONDS })
      .toBuffer();
  } catch {
    return null;
  }
}
