// Entry point of a document worker thread. A worker starts without the module hooks of the thread that created it,
// so it registers tsx itself, as bin/enclave.mjs does, before loading the TypeScript worker.

// pdf.js is loaded before tsx is registered: through tsx's hooks its two large modules take seconds to import
// instead of a few tenths. The TypeScript worker's imports of the same files then come from the module cache. A
// worker lives for many extractions of every kind, so it pays this once, whatever its first file is.
// pdf.js looks for its parser module on `globalThis.pdfjsWorker` before importing one itself (under Node it runs
// the parser in the calling thread, there being no web worker), so publishing it there keeps tsx out of that too.
await import('pdfjs-dist/legacy/build/pdf.mjs');
globalThis.pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
const { register } = await import('tsx/esm/api');
register();
await import('./document-worker.ts');
