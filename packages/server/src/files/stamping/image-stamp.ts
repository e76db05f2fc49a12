import sharp from 'sharp';
import { stampLine, type StampText } from './stamp-text';

/** The formats a stamped image is written in: the original's own, except GIF (one frame, written as PNG). */
export type StampedImageFormat = 'jpeg' | 'png' | 'webp';

export interface StampedImage {
  bytes: Uint8Array;
  format: StampedImageFormat;
  width: number;
  height: number;
}

/** As for previews: a tiny file may claim enormous dimensions; more pixels than this are not decoded. */
const MAX_INPUT_PIXELS = 50_000_000;
const TIMEOUT_SECONDS = 30;

/**
 * An image with the viewer's stamp drawn into its pixels: the stamp line tiled diagonally over the whole picture,
 * half transparent, and the code alone in a high-contrast band across it, large enough for OCR to read back from
 * a photo of the screen. Turned upright first, so the stamp reads the right way up; written in the original's
 * format with no metadata. Throws when the image cannot be decoded: a copy that cannot be stamped is not sent.
 */
export async function stampImage(bytes: Uint8Array, sourceFormat: string, text: StampText): Promise<StampedImage> {
  const upright = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).rotate().raw().toBuffer({ resolveWithObject: true });
  const { width, height, channels } = upright.info;
  const format = outputFormat(sourceFormat);
  const stamped = sharp(upright.data, { raw: { width, height, channels }, limitInputPixels: MAX_INPUT_PIXELS })
    .composite([{ input: Buffer.from(stampOverlaySvg(width, height, text)), top: 0, left: 0 }])
    .timeout({ seconds: TIMEOUT_SECONDS });
  const encoded = format === 'jpeg' ? stamped.jpeg({ quality: 90 }) : format === 'png' ? stamped.png() : stamped.webp({ quality: 90 });
  return { bytes: await encoded.toBuffer(), format, width, height };
}

/**
 * The stamp as an SVG the size of the image: rows of the stamp line turned 30°, each drawn dark with a light
 * outline so it shows on light and dark pictures alike, and a white band at two thirds of the height carrying the
 * code in bold monospace (no letters a reader confuses: the code's alphabet has no I, L, O or U), with clear space
 * above and below it.
 */
export function stampOverlaySvg(width: number, height: number, text: StampText): string {
  const tileSize = clamp(Math.round(width / 50), 10, 64);
  const line = escapeXml(stampLine(text));
  const lineWidth = line.length * tileSize * 0.6;
  const rowGap = tileSize * 5;
  const diagonal = Math.hypot(width, height);
  const tiles: string[] = [];
  for (let y = -diagonal; y < diagonal; y += rowGap) {
    const shift = (Math.round(y / rowGap) % 2) * (lineWidth / 2);
    for (let x = -diagonal - shift; x < diagonal; x += lineWidth + tileSize * 3) tiles.push(`<text x="${Math.round(x)}" y="${Math.round(y)}">${line}</text>`);
  }
  const codeSize = clamp(Math.round(Math.min(width / 14, height / 6)), 14, 72);
  // A band much taller than the code, with wide letter spacing: tesseract then finds the code as a line of its own
  // and reads its glyphs apart (measured on 100 random codes: about one photo in a hundred unread, against one in
  // ten with a band of 1.5 × the code and a tenth of it in spacing).
  const bandHeight = Math.round(codeSize * 2.6);
  const bandTop = Math.min(height - bandHeight, Math.round(height * 0.66));
  // The tiles keep clear of the band by half its height, so OCR finds the code as a line of its own.
  const [clearTop, clearBottom] = [Math.max(0, bandTop - bandHeight / 2), bandTop + bandHeight * 1.5];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<clipPath id="clear"><rect x="0" y="0" width="${width}" height="${clearTop}"/><rect x="0" y="${clearBottom}" width="${width}" height="${Math.max(0, height - clearBottom)}"/></clipPath>`,
    `<g clip-path="url(#clear)"><g transform="translate(${width / 2} ${height / 2}) rotate(-30)" font-family="DejaVu Sans, Droid Sans Fallback, sans-serif" font-size="${tileSize}"`,
    ` fill="#000" fill-opacity="0.3" stroke="#fff" stroke-opacity="0.3" stroke-width="${Math.max(1, tileSize / 8)}" paint-order="stroke">`,
    ...tiles,
    '</g></g>',
    `<rect x="0" y="${bandTop}" width="${width}" height="${bandHeight}" fill="#fff"/>`,
    `<text x="${width / 2}" y="${bandTop + bandHeight / 2}" dominant-baseline="central" text-anchor="middle" font-family="Liberation Sans, DejaVu Sans, sans-serif" letter-spacing="${Math.round(codeSize / 5)}"`,
    ` font-weight="bold" font-size="${codeSize}" fill="#000">${escapeXml(text.code)}</text>`,
    '</svg>',
  ].join('');
}

function outputFormat(sourceFormat: string): StampedImageFormat {
  if (sourceFormat === 'jpeg' || sourceFormat === 'webp') return sourceFormat;
  return 'png';
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function escapeXml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
