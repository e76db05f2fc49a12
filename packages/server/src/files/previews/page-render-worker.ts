// Runs inside the worker thread started by run-page-render.ts: opens one PDF, counts its pages and, when asked,
// draws one page onto a canvas and posts it as PNG. Only this thread ever holds the parsed document.
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

export interface PageRenderRequest {
  /** The whole PDF, opened from its sealed file by the caller: no plain copy of it is ever on disk. */
  bytes: Uint8Array;
  /** The page to draw, from 1. */
  page: number;
  /** The rendered page's longer side, in pixels. */
  maxSide: number;
}

export type PageRenderResult = { ok: true; pageCount: number; png: Uint8Array | null } | { ok: false };

const PDFJS = 'pdfjs-dist/legacy/build/pdf.mjs';
const PDFJS_ROOT = new URL('../../', import.meta.resolve(PDFJS));
/** pdf.js under Node joins these with file names and reads them with `fs.readFile`, hence paths ending in a slash. */
const CMAP_DIRECTORY = fileURLToPath(new URL('cmaps/', PDFJS_ROOT));
const STANDARD_FONTS_DIRECTORY = fileURLToPath(new URL('standard_fonts/', PDFJS_ROOT));

/** The little of pdf.js and @napi-rs/canvas used here; their own declarations would pull DOM types into the check. */
interface Viewport {
  width: number;
  height: number;
}
interface PdfPage {
  getViewport(options: { scale: number }): Viewport;
  render(options: { canvas: unknown; canvasContext: unknown; viewport: Viewport }): { promise: Promise<void> };
  cleanup(): void;
}
interface PdfJs {
  VerbosityLevel: { ERRORS: number };
  getDocument(options: Record<string, unknown>): { promise: Promise<{ numPages: number; getPage(n: number): Promise<PdfPage> }>; destroy(): Promise<void> };
}
interface Canvas {
  width: number;
  height: number;
  getContext(kind: '2d'): unknown;
  encode(format: 'png'): Promise<Uint8Array>;
}

async function render({ bytes, page, maxSide }: PageRenderRequest): Promise<PageRenderResult> {
  const { getDocument, VerbosityLevel } = (await import(PDFJS)) as PdfJs;
  const { createCanvas } = (await import('@napi-rs/canvas')) as { createCanvas(width: number, height: number): Canvas };
  const loading = getDocument({
    data: bytes,
    // Nothing from the file may become code or reach the system: no compiled font programs, no font loading.
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    cMapUrl: CMAP_DIRECTORY,
    cMapPacked: true,
    standardFontDataUrl: STANDARD_FONTS_DIRECTORY,
    verbosity: VerbosityLevel.ERRORS,
  });
  try {
    const pdf = await loading.promise;
    if (page > pdf.numPages) return { ok: true, pageCount: pdf.numPages, png: null };
    const pdfPage = await pdf.getPage(page);
    const natural = pdfPage.getViewport({ scale: 1 });
    const viewport = pdfPage.getViewport({ scale: maxSide / Math.max(natural.width, natural.height) });
    const canvas = createCanvas(Math.max(1, Math.round(viewport.width)), Math.max(1, Math.round(viewport.height)));
    await pdfPage.render({ canvas, canvasContext: canvas.getContext('2d'), viewport }).promise;
    pdfPage.cleanup();
    return { ok: true, pageCount: pdf.numPages, png: await canvas.encode('png') };
  } finally {
    await loading.destroy();
  }
}

const port = parentPort;
if (!port) throw new Error('page-render-worker.ts runs only as a worker thread');
// A file pdf.js cannot open or draw is an ordinary outcome: it has no rendered view.
const result = await render(workerData as PageRenderRequest).catch((): PageRenderResult => ({ ok: false }));
port.postMessage(result, result.ok && result.png ? [result.png.buffer as ArrayBuffer] : []);
