import { degrees, PDFDocument, rgb, StandardFonts, type PDFEmbeddedPage, type PDFFont, type PDFPage } from 'pdf-lib';
import { outlinesOf, type Outlines } from './cjk-outlines';
import { stampLine, type StampText } from './stamp-text';

export interface StampedPdf {
  bytes: Uint8Array;
  pages: number;
}

/** A stretch of the stamp line: text in Helvetica, or the outlines of characters Helvetica cannot write. */
type Run = { text: string; font: PDFFont } | { outlines: Outlines };

const TILE_ANGLE = 30;

/**
 * A PDF with the viewer's stamp on every page: the stamp line tiled diagonally over the page, faint, and once more
 * as a footer in the page's content stream, as real text, so a leaked copy gives its code to text extraction as well
 * as to the eye. The tiles are drawn once per page size and placed on each page as one shared form, so a long
 * document costs little more than a short one. Throws when the document cannot be opened (encrypted, damaged): a
 * copy that cannot be stamped is not sent.
 */
export async function stampPdf(bytes: Uint8Array, text: StampText): Promise<StampedPdf> {
  const document = await PDFDocument.load(bytes, { updateMetadata: false });
  const runs = await runsOf(document, stampLine(text));
  const tiles = new Map<string, PDFEmbeddedPage>();
  for (const page of document.getPages()) {
    const { width, height } = page.getSize();
    const size = `${Math.round(width)}x${Math.round(height)}`;
    let tiled = tiles.get(size);
    if (!tiled) {
      tiled = await tilesFor(document, runs, width, height);
      tiles.set(size, tiled);
    }
    page.drawPage(tiled, { x: 0, y: 0 });
    drawFooter(page, runs, width);
  }
  return { bytes: await document.save(), pages: document.getPageCount() };
}

/** The stamp line tiled over a page of this size, as a form every page of that size shares. */
async function tilesFor(document: PDFDocument, runs: Run[], width: number, height: number): Promise<PDFEmbeddedPage> {
  const sheet = document.addPage([width, height]);
  const size = Math.max(8, Math.min(width, height) / 40);
  const lineWidth = widthOf(runs, size);
  const radians = (TILE_ANGLE * Math.PI) / 180;
  const [cos, sin] = [Math.cos(radians), Math.sin(radians)];
  const reach = Math.hypot(width, height);
  // Rows along the tile angle, a line's length and a gap apart, every other row shifted by half: a brick pattern.
  for (let row = -reach, index = 0; row < reach; row += size * 6, index += 1) {
    for (let along = -reach - (index % 2) * (lineWidth / 2); along < reach; along += lineWidth + size * 3) {
      const x = width / 2 + along * cos - row * sin;
      const y = height / 2 + along * sin + row * cos;
      drawRuns(sheet, runs, { x, y, size, angle: TILE_ANGLE, color: 0.35, opacity: 0.2 });
    }
  }
  const form = await document.embedPage(sheet);
  document.removePage(document.getPageCount() - 1);
  return form;
}

/** A white strip along the bottom edge with the whole stamp line in black. */
function drawFooter(page: PDFPage, runs: Run[], width: number): void {
  const size = Math.max(6, Math.min(10, (width - 20) / (widthOf(runs, 1) || 1)));
  page.drawRectangle({ x: 0, y: 0, width, height: size * 2.2, color: rgb(1, 1, 1), opacity: 0.85 });
  drawRuns(page, runs, { x: size, y: size * 0.7, size, angle: 0, color: 0, opacity: 1 });
}

function drawRuns(page: PDFPage, runs: Run[], at: { x: number; y: number; size: number; angle: number; color: number; opacity: number }): void {
  const radians = (at.angle * Math.PI) / 180;
  let { x, y } = at;
  const color = rgb(at.color, at.color, at.color);
  const step = (advance: number) => {
    x += advance * Math.cos(radians);
    y += advance * Math.sin(radians);
  };
  for (const run of runs) {
    if ('font' in run) {
      page.drawText(run.text, { x, y, size: at.size, font: run.font, color, opacity: at.opacity, rotate: degrees(at.angle) });
      step(run.font.widthOfTextAtSize(run.text, at.size));
      continue;
    }
    const scale = at.size / run.outlines.unitsPerEm;
    for (const glyph of run.outlines.glyphs) {
      if (glyph.path) page.drawSvgPath(glyph.path, { x, y, scale, color, opacity: at.opacity, rotate: degrees(at.angle) });
      step(glyph.advance * scale);
    }
  }
}

function widthOf(runs: Run[], size: number): number {
  return runs.reduce((sum, run) => sum + ('font' in run ? run.font.widthOfTextAtSize(run.text, size) : (run.outlines.advance * size) / run.outlines.unitsPerEm), 0);
}

/**
 * The line cut into runs: what Helvetica can write (the code, the time, Latin names) as text in Helvetica, the rest
 * (a Chinese name) drawn as glyph outlines. The code is always text, which every extractor reads back. Outlines
 * rather than an embedded CJK font: @pdf-lib/fontkit 1.1.1 writes broken subsets of TrueType fonts (some glyphs
 * blank or wrong, pdf-lib issues 494 and 1232) and a whole CJK font is megabytes in every copy.
 */
async function runsOf(document: PDFDocument, line: string): Promise<Run[]> {
  const helvetica = await document.embedFont(StandardFonts.Helvetica);
  const writable = (char: string) => {
    try {
      helvetica.encodeText(char);
      return true;
    } catch {
      return false;
    }
  };
  const pieces: { text: string; latin: boolean }[] = [];
  for (const char of line) {
    const latin = writable(char);
    const last = pieces.at(-1);
    if (last && last.latin === latin) last.text += char;
    else pieces.push({ text: char, latin });
  }
  return Promise.all(pieces.map(async (piece) => (piece.latin ? { text: piece.text, font: helvetica } : { outlines: await outlinesOf(piece.text) })));
}
