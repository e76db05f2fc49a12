import sharp from 'sharp';

/**
 * A 64-bit difference hash (dHash) of an image: shrunk to 9 × 8 grey pixels, each bit says whether a pixel is
 * brighter than its right neighbour. Scaling, re-encoding (JPEG quality, PNG to JPEG) and small colour changes
 * keep nearly all bits, so a copy is found by a small Hamming distance. sharp decodes in libuv's thread pool, off
 * the event loop.
 */

/**
 * Largest Hamming distance at which two images count as the same picture. Measured in provenance-fingerprints.test.ts:
 * a photo-like image scaled to 50 % and re-encoded as JPEG at quality 50 stays within 4 bits, different images
 * of the same kind differ by 20 or more. With 8 bands of 8 bits, any pair within 7 bits shares a band.
 */
export const IMAGE_HASH_MAX_DISTANCE = 7;
const IMAGE_BANDS = 8;
/**
 * A hash with fewer bits set, or fewer clear, than this says almost nothing: a flat colour, a plain gradient or a
 * blank page hash to all zeros or all ones, and every such image would match every other. Those keep only their
 * exact hash.
 */
const MIN_INFORMATIVE_BITS = 8;
/** The same guard against decompression bombs as the thumbnailer. */
const MAX_INPUT_PIXELS = 50_000_000;

/** The image's hash as 16 hex digits, or null when it cannot be decoded or is too plain (the exact hash still applies). */
export async function imageHash(image: Buffer | string): Promise<string | null> {
  try {
    const pixels = await sharp(image, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .rotate()
      .greyscale()
      .resize(9, 8, { fit: 'fill', kernel: 'cubic' })
      .raw()
      .toBuffer();
    let hash = 0n;
    for (let y = 0; y < 8; y += 1) {
      for (let x = 0; x < 8; x += 1) hash = (hash << 1n) | (pixels[y * 9 + x]! < pixels[y * 9 + x + 1]! ? 1n : 0n);
    }
    const set = bitCount(hash);
    return set < MIN_INFORMATIVE_BITS || set > 64 - MIN_INFORMATIVE_BITS ? null : hash.toString(16).padStart(16, '0');
  } catch {
    return null;
  }
}

export function hammingDistance(a: string, b: string): number {
  return bitCount(BigInt(`0x${a}`) ^ BigInt(`0x${b}`));
}

function bitCount(value: bigint): number {
  let count = 0;
  for (let rest = value; rest > 0n; rest >>= 1n) count += Number(rest & 1n);
  return count;
}

/** The band keys of an image hash: `p<band>:<two hex digits>`. */
export function imageBands(hash: string): string[] {
  return Array.from({ length: IMAGE_BANDS }, (_, band) => `p${band}:${hash.slice(band * 2, band * 2 + 2)}`);
}
