import { fileURLToPath } from 'node:url';
import type { TextExtractionLimits } from './limits';
import type { TextBudget } from './text-budget';

/**
 * Character maps that CJK fonts without their own Unicode table refer to by name; without them pdf.js cannot tell
 * which characters such a font draws. A file path ending in a slash, because pdf.js under Node joins it with a
 * file name and reads that with `fs.readFile`.
 */
const PDFJS = 'pdfjs-dist/legacy/build/pdf.mjs';
const CMAP_DIRECTORY = fileURLToPath(new URL('../../cmaps/', import.meta.resolve(PDFJS)));

/**
 * The little of pdf.js this module uses. Its own type declarations describe the browser viewer and declare DOM
 * element types that would leak into every server and test file's type check, so they are kept out by importing
 * through a variable and typing what we call here.
 */
interface TextContentItem {
  str?: string;
  hasEOL?: boolean;
}
interface PdfJs {
  VerbosityLevel: { ERRORS: number };
  getDocument(options: Record<string, unknown>): {
    promise: Promise<{ numPages: number; getPage(n: number): Promise<{ getTextContent(): Promise<{ items: TextContentItem[] }>; cleanup(): void }> }>;
    destroy(): Promise<void>;
  };
}

/**
 * The text of a PDF, page by page up to `maxPdfPages`, one line break between pages. Returns whether every page
 * was read. Throws for input pdf.js cannot open; the worker turns that into an incomplete, empty result.
 */
export async function extractPdfText(data: Uint8Array, limits: TextExtractionLimits, budget: TextBudget): Promise<boolean> {
  const { getDocument, VerbosityLevel } = (await import(PDFJS)) as PdfJs;
  const loading = getDocument({
    data,
    // Nothing from the file may become code or reach the system: no compiled font programs, no font loading.
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    cMapUrl: CMAP_DIRECTORY,
    cMapPacked: true,
    // Broken or unusual files make pdf.js warn on the console; the caller already learns of them from `complete`.
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    const pdf = await loading.promise;
    const pageCount = Math.min(pdf.numPages, limits.maxPdfPages);
    for (let pageNumber = 1; pageNumber <= pageCount; pageNumber += 1) {
      const page = await pdf.getPage(pageNumber);
      const content = await page.getTextContent();
      page.cleanup();
      if (!budget.append((pageNumber > 1 ? '\n' : '') + pageText(content.items))) return false;
    }
    return pdf.numPages <= limits.maxPdfPages;
  } finally {
    await loading.destroy();
  }
}

/**
 * pdf.js already emits the spaces it infers from glyph positions as items of their own and marks the item that
 * ends a line with `hasEOL`, so joining the strings and adding those line ends reproduces the layout's text.
 */
function pageText(items: TextContentItem[]): string {
  let text = '';
  for (const item of items) {
    if (item.str !== undefined) text += item.hasEOL ? `${item.str}\n` : item.str;
  }
  return text;
}
