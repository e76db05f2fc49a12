import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { findTraceCodeCandidates, TRACE_CODE_ALPHABET } from '@enclave/protocol';
import sharp from 'sharp';

const run = promisify(execFile);
const screenshotsDir = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));

/**
 * A screenshot as a phone's photo of the screen would have it: half the size, turned 3°, with sensor noise, saved
 * as a JPEG of quality 40. Kept in docs/screenshots as `name`.jpg; answers its bytes.
 */
export async function photographScreen(screenshot: Buffer, name: string): Promise<Buffer> {
  const { width, height } = await sharp(screenshot).metadata();
  const halfWidth = Math.round((width ?? 0) / 2);
  const halfHeight = Math.round((height ?? 0) / 2);
  const turned = await sharp(screenshot).resize(halfWidth, halfHeight).rotate(3, { background: '#808080' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const pixels = turned.data;
  // Seeded noise, so the kept image and the test's result are the same on every run: ±24 per channel.
  let seed = 16;
  for (let i = 0; i < pixels.length; i += 1) {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    pixels[i] = Math.max(0, Math.min(255, pixels[i]! + ((seed >> 16) % 49) - 24));
  }
  const photo = await sharp(pixels, { raw: turned.info }).jpeg({ quality: 40 }).toBuffer();
  writeFileSync(`${screenshotsDir}${name}.jpg`, photo);
  return photo;
}

/** What an investigator tells Tesseract a code may hold: the code's own symbols and the spaces between its groups. */
const CODE_SYMBOLS = `tessedit_char_whitelist=${TRACE_CODE_ALPHABET} `;

/**
 * Every trace code OCR finds in a photo, as an investigator would look for it: Tesseract over the photo straightened,
 * enlarged and with its light grey ink (a watermark's) darkened, as it is and with the noise smoothed; once reading
 * everything (English and Simplified Chinese) and then told to look for code symbols only, as sparse text and as a
 * block. A photo's codes are read many times over, and rarely the same way each time (S or 5, B or 8, Q or 0), so
 * every reading counts: answers each code whose check symbol holds, once. The check symbol rejects nearly every
 * misread, and one that slips through (one in 32) names no one, as the server resolves it to "unknown".
 */
export async function traceCodesInPhoto(photo: Buffer): Promise<string[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'enclave-ocr-'));
  try {
    const { width } = await sharp(photo).metadata();
    const straightened = () => sharp(photo).rotate(-3, { background: '#ffffff' }).greyscale();
    const darkened = path.join(dir, 'darkened.png');
    const smoothed = path.join(dir, 'smoothed.png');
    await straightened().resize((width ?? 0) * 3).linear(3, -3 * 170).png().toFile(darkened);
    await straightened().median(3).resize((width ?? 0) * 3).linear(3, -3 * 170).png().toFile(smoothed);
    const readings = [
      [darkened, '-l', 'eng+chi_sim', '--psm', '11'],
      [darkened, '-l', 'eng', '--psm', '11', '-c', CODE_SYMBOLS],
      [smoothed, '-l', 'eng', '--psm', '11', '-c', CODE_SYMBOLS],
      [smoothed, '-l', 'eng', '--psm', '6', '-c', CODE_SYMBOLS],
    ];
    const found = new Set<string>();
    for (const [image, ...options] of readings) {
      const { stdout } = await run('tesseract', [image!, 'stdout', ...options], { maxBuffer: 16 * 1024 * 1024 });
      for (const candidate of findTraceCodeCandidates(stdout)) if (candidate.valid) found.add(candidate.code);
    }
    return [...found];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
