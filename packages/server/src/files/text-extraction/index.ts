// Text extraction from uploaded files, for DLP scanning and search. Everything here is bounded (see limits.ts):
// a hostile or broken file yields less text, never an error, a hang or a crash.
import type { FileMime } from '@enclave/protocol';
import type { DocumentWorkerPool } from './document-worker-pool';
import { DEFAULT_TEXT_EXTRACTION_LIMITS, type TextExtraction, type TextExtractionLimits } from './limits';
import { extractPlainText } from './plain-text';
import { TextBudget } from './text-budget';

export { DEFAULT_TEXT_EXTRACTION_LIMITS, type TextExtraction, type TextExtractionLimits } from './limits';
export { DocumentWorkerPool } from './document-worker-pool';

/** The text inside a file of a type that holds text (see `extractTextWithStatus`); '' for unreadable files. */
export async function extractText(filePath: string, mime: FileMime, documents: DocumentWorkerPool, limits: Partial<TextExtractionLimits> = {}): Promise<string> {
  return (await extractTextWithStatus(filePath, mime, documents, limits)).text;
}

/**
 * Like `extractText`, and says whether the text is all there is: `complete` is false when a limit, the time limit
 * or bad input cut extraction short, so a DLP policy can treat a file it could not fully read with suspicion.
 * Text files, PDFs, Office documents (with their comments, notes and properties), ZIP archives (their members'
 * names and text, nested archives to a bounded depth) and images (their metadata text) are read; the types left
 * (executables and unrecognised binaries) hold no text we can read and count as complete. Everything but text
 * files is parsed on one of `documents`' worker threads.
 */
export async function extractTextWithStatus(
  filePath: string,
  mime: FileMime,
  documents: DocumentWorkerPool,
  limits: Partial<TextExtractionLimits> = {},
): Promise<TextExtraction> {
  const bounds = { ...DEFAULT_TEXT_EXTRACTION_LIMITS, ...limits };
  switch (mime) {
    case 'text/plain':
    case 'text/csv':
    case 'text/markdown': {
      const budget = new TextBudget(bounds.maxChars);
      const complete = await extractPlainText(filePath, bounds.maxTextBytes, budget).catch(() => false);
      return { text: budget.text, complete };
    }
    case 'application/pdf':
      return documents.extract('pdf', filePath, bounds);
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      return documents.extract('docx', filePath, bounds);
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      return documents.extract('xlsx', filePath, bounds);
    case 'application/vnd.openxmlformats-officedocument.presentationml.presentation':
      return documents.extract('pptx', filePath, bounds);
    case 'application/zip':
      return documents.extract('zip', filePath, bounds);
    case 'image/png':
    case 'image/jpeg':
    case 'image/gif':
    case 'image/webp':
      return documents.extract('image', filePath, bounds);
    case 'application/x-executable':
    case 'application/octet-stream':
      return { text: '', complete: true };
  }
}
