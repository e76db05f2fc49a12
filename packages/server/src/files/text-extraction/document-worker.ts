// Runs inside each document worker thread started by document-worker-pool.ts: takes one extraction at a time, parses
// its PDF, Office document, archive or image and posts the text piece by piece, then whether it is complete. Only
// these threads ever hold a parsed file.
import { parentPort } from 'node:worker_threads';
import type { ArchiveKind } from './archive-text';
import type { TextExtractionLimits } from './limits';
import { TextBudget } from './text-budget';

export type DocumentKind = 'pdf' | 'image' | ArchiveKind;

export interface DocumentJob {
  id: number;
  kind: DocumentKind;
  /** The whole document, opened from its sealed file by the pool: no plain copy of it is ever on disk. */
  bytes: Uint8Array;
  limits: TextExtractionLimits;
}

export type DocumentWorkerMessage = { type: 'ready' } | { type: 'text'; id: number; text: string } | { type: 'done'; id: number; complete: boolean };

const port = parentPort;
if (!port) throw new Error('document-worker.ts runs only as a worker thread');
const post = (message: DocumentWorkerMessage) => port.postMessage(message);

async function extract({ id, kind, bytes, limits }: DocumentJob): Promise<boolean> {
  const budget = new TextBudget(limits.maxChars, (text) => post({ type: 'text', id, text }));
  // Each parser is loaded when first needed and then stays loaded for the worker's later extractions.
  if (kind === 'pdf') return (await import('./pdf-text')).extractPdfText(bytes, limits, budget);
  if (kind === 'image') {
    const found = (await import('./image-text')).imageText(bytes, limits.maxInflatedBytes, limits.maxChars);
    return found !== undefined && budget.append(found.text) && found.complete;
  }
  return (await import('./archive-text')).extractArchiveText(bytes, kind, limits, budget);
}

// The pool hands this thread a job only after the previous one is done, so jobs never overlap here.
port.on('message', (job: DocumentJob) => {
  // A file that cannot be parsed is an ordinary outcome for uploads: it yields the text found before the failure,
  // marked incomplete, rather than an error.
  void extract(job)
    .catch(() => false)
    .then((complete) => post({ type: 'done', id: job.id, complete }));
});
post({ type: 'ready' });
