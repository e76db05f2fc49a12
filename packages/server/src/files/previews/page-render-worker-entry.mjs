// Entry point of the page-rendering worker thread. As in text-extraction/document-worker-entry.mjs, pdf.js is
// loaded before tsx is registered (through tsx's hooks its large modules take seconds to import) and its parser is
// published on `globalThis.pdfjsWorker`, so pdf.js runs it in this thread without importing it again.
await import('pdfjs-dist/legacy/build/pdf.mjs');
globalThis.pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
const { register } = await import('tsx/esm/api');
register();
await import('./page-render-worker.ts');
