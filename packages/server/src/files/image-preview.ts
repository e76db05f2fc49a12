import sharp from 'sharp';

/** A thumbnail fits in this square. */
export const THUMBNAIL_MAX_PX = 320;
/**
 * Images with more pixels than this (about 8,000 × 6,000) are not decoded: a tiny file can claim enormous
 * dimensions and would take gigabytes to decompress.
 */
const MAX_INPUT_PIXELS = 50_000_000;
const TIMEOUT_SECONDS = 10;
/**
 * Images larger than this are not decoded (no thumbnail, no preview, no perceptual hash): files are sealed on disk,
 * so sharp reads an image from memory, and a file the policy allows up to 1 GB must not be held whole to find out.
 */
export const MAX_DECODED_IMAGE_BYTES = 50 * 1024 * 1024;

export interface ImagePreview {
  /** As shown, after the EXIF orientation is applied; null when the header cannot be read. */
  width: number | null;
  height: number | null;
  /** The WebP thumbnail, or null when the image could not be decoded. */
  thumbnail: Buffer | null;
}

/**
 * Reads an uploaded image's size and makes a WebP thumbnail of at most THUMBNAIL_MAX_PX, turned upright by its
 * EXIF orientation, in memory (the caller stores it sealed). An image that cannot be decoded (damaged, too large, an
 * unusual variant) simply gets no thumbnail: the file itself is still stored and offered as it is. sharp decodes
 * on libuv's thread pool, off the event loop.
 */
export async function makeImagePreview(source: Buffer): Promise<ImagePreview> {
  const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' } as const;
  let width: number | null = null;
  let height: number | null = null;
  try {
    const metadata = await sharp(source, options).metadata();
    width = metadata.autoOrient.width || null;
    height = metadata.autoOrient.height || null;
  } catch {
    return { width, height, thumbnail: null };
  }
  try {
    const thumbnail = await sharp(source, options)
      .rotate()
      .resize(THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .timeout({ seconds: TIMEOUT_SECONDS })
      .toBuffer();
    return { width, height, thumbnail };
  } catch {
    return { width, height, thumbnail: null };
  }
}
