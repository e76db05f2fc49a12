// Runs inside the worker thread started by run-document-worker.ts: parses one PDF, Office document, archive or
// image and posts the text piece by piece, then whether it is complete. Only this thread ever holds a parsed file.
import { parentPort, workerData } from 'node:worker_threads';
import type { ArchiveKind } from './archive-text';
import type { TextExtractionLimits } from './limits';
import { readPrefix } from './read-prefix';
import { TextBudget } from './text-budget';

export type DocumentKind = 'pdf' | 'image' | ArchiveKind;

export interface DocumentWorkerData {
  kind: DocumentKind;
  filePath: string;
  limits: TextExtractionLimits;
}

export type DocumentWorkerMessage = { type: 'text'; text: string } | { type: 'done'; complete: boolean };

const port = parentPort;
if (!port) throw new Error('document-worker.ts runs only as a worker thread');
const { kind, filePath, limits } = workerData as DocumentWorkerData;
const post = (message: DocumentWorkerMessage) => port.postMessage(message);
const budget = new TextBudget(limits.maxChars, (text) => post({ type: 'text', text }));

async function extract(): Promise<boolean> {
  const { bytes, truncated } = await readPrefix(filePath, limits.maxDocumentBytes);
  // PDFs and ZIPs keep their index at the end of the file, so a prefix of one cannot be parsed; an image's text
  // may sit anywhere in it.
  if (truncated) return false;
  // Each parser is loaded only when needed: pdf.js is large and the entry preloads it only where it is likely used.
  if (kind === 'pdf') return (await import('./pdf-text')).extractPdfText(bytes, limits, budget);
  if (kind === 'image') {
    const found = (await import('./image-text')).imageText(bytes, limits.maxInflatedBytes, limits.maxChars);
    return found !== undefined && budget.append(found.text) && found.complete;
  }
  return (await import('./archive-text')).extractArchiveText(bytes, kind, limits, budget);
}

// A file that cannot be parsed is an ordinary outcome for uploads: it yields the text found before the failure,
// marked incomplete, rather than an error.
post({ type: 'done', complete: await extract().catch(() => false) });
