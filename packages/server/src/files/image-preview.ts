import sharp from 'sharp';

/** A thumbnail fits in this square. */
export const THUMBNAIL_MAX_PX = 320;
/**
 * Images with more pixels than this (about 8,000 × 6,000) are not decoded: a tiny file can claim enormous
 * dimensions and would take gigabytes to decompress.
 */
const MAX_INPUT_PIXELS = 50_000_000;
const TIMEOUT_SECONDS = 10;

export interface ImagePreview {
  /** As shown, after the EXIF orientation is applied; null when the header cannot be read. */
  width: number | null;
  height: number | null;
  /** Whether a thumbnail was written to the target. */
  thumbnail: boolean;
}

/**
 * Reads an uploaded image's size and writes a WebP thumbnail of at most THUMBNAIL_MAX_PX to `target`, turned
 * upright by its EXIF orientation. An image that cannot be decoded (damaged, too large, an unusual variant) simply
 * gets no thumbnail: the file itself is still stored and offered as it is.
 */
export async function makeImagePreview(source: string, target: string): Promise<ImagePreview> {
  const options = { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' } as const;
  let width: number | null = null;
  let height: number | null = null;
  try {
    const metadata = await sharp(source, options).metadata();
    width = metadata.autoOrient.width || null;
    height = metadata.autoOrient.height || null;
  } catch {
    return { width, height, thumbnail: false };
  }
  try {
    await sharp(source, options)
      .rotate()
      .resize(THUMBNAIL_MAX_PX, THUMBNAIL_MAX_PX, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .timeout({ seconds: TIMEOUT_SECONDS })
      .toFile(target);
    return { width, height, thumbnail: true };
  } catch {
    return { width, height, thumbnail: false };
  }
}
