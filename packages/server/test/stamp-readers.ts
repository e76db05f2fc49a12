import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';

const run = promisify(execFile);

/**
 * What OCR reads in an image, as an investigator would try it: Debian's tesseract (installed by .ci/run), English,
 * on the image as it is and at half its size, each read as one block of text and as sparse text. tesseract takes
 * the code's Q for an O now and then at one size or another; the readings together are what "Trace a leak" gets,
 * where a code read wrong in one symbol is `corrected` when exactly one code one symbol away was issued, and
 * `misread` otherwise, never a wrong person. The image goes through PNGs in a
 * temporary directory, which is removed afterwards.
 */
export async function ocrText(image: Uint8Array): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'enclave-ocr-'));
  try {
    const { width = 0 } = await sharp(image).metadata();
    const readings: string[] = [];
    for (const [index, scale] of [1, 0.5].entries()) {
      const file = path.join(dir, `in-${index}.png`);
      await writeFile(file, await sharp(image).resize(Math.max(1, Math.round(width * scale))).png().toBuffer());
      for (const layout of ['6', '11']) readings.push((await run('tesseract', [file, 'stdout', '--psm', layout, '-l', 'eng'], { timeout: 60_000 })).stdout);
    }
    return readings.join('\n');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The text of every page of a PDF, as pdf.js extracts it (the stamp's footer is real text in the page content). */
export async function pdfPageTexts(bytes: Uint8Array): Promise<string[]> {
  const pdfjs = (await import('pdfjs-dist/legacy/build/pdf.mjs')) as unknown as {
    getDocument(options: { data: Uint8Array; verbosity: number }): { promise: Promise<{ numPages: number; getPage(n: number): Promise<{ getTextContent(): Promise<{ items: Array<{ str?: string }> }> }> }>; destroy(): Promise<void> };
  };
  const loading = pdfjs.getDocument({ data: new Uint8Array(bytes), verbosity: 0 });
  try {
    const pdf = await loading.promise;
    const texts: string[] = [];
    for (let page = 1; page <= pdf.numPages; page += 1) {
      const content = await (await pdf.getPage(page)).getTextContent();
      texts.push(content.items.map((item) => item.str ?? '').join(' '));
    }
    return texts;
  } finally {
    await loading.destroy();
  }
}
