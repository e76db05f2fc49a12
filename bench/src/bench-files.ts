import { PDFDocument, StandardFonts } from 'pdf-lib';
import sharp from 'sharp';

/**
 * A photo-like JPEG: grain over soft shapes, which keeps a JPEG of 3000 × 2250 at quality 95 near 5 MB (a smooth
 * picture would compress to a fraction of that, and a large upload or download would not be timed).
 */
export async function photoLikeJpeg(seed: number, width: number, height: number): Promise<Buffer> {
  let state = seed * 7919 + 1;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const discs = Array.from({ length: 30 }, () => `<circle cx="${Math.floor(random() * width)}" cy="${Math.floor(random() * height)}" r="${Math.floor(50 + random() * 600)}" fill="rgb(${Math.floor(random() * 255)},${Math.floor(random() * 255)},${Math.floor(random() * 255)})" fill-opacity="0.6"/>`).join('');
  const shapes = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#456"/>${discs}</svg>`);
  const grain = Buffer.alloc(width * height);
  for (let index = 0; index < grain.length; index += 1) grain[index] = Math.floor(random() * 256);
  const noise = await sharp(grain, { raw: { width, height, channels: 1 } }).png().toBuffer();
  return sharp(shapes).composite([{ input: noise, blend: 'soft-light' }]).jpeg({ quality: 95 }).toBuffer();
}

/** A report-like PDF of A4 pages, each a heading and 40 lines of text in a standard font. */
export async function textPdf(pages: number): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let pageNumber = 1; pageNumber <= pages; pageNumber += 1) {
    const page = pdf.addPage([595, 842]);
    page.drawText(`Quarterly review, page ${pageNumber} of ${pages}`, { x: 50, y: 790, size: 16, font });
    const lines = Array.from({ length: 40 }, (_, line) => `${pageNumber}.${line + 1}  The figures for this line were reviewed and approved by finance before the board met.`);
    page.drawText(lines.join('\n'), { x: 50, y: 760, size: 10, font, lineHeight: 17 });
  }
  return pdf.save();
}
