// Text extraction from uploaded files, for DLP scanning and search. Everything here is bounded (see limits.ts):
// a hostile or broken file yields less text, never an error, a hang or a crash.
import type { FileMime } from '@enclave/protocol';
import { runDocumentWorker } from './run-document-worker';
import { DEFAULT_TEXT_EXTRACTION_LIMITS, type TextExtraction, type TextExtractionLimits } from './limits';
import { extractPlainText } from './plain-text';
import { TextBudget } from './text-budget';

export { DEFAULT_TEXT_EXTRACTION_LIMITS, type TextExtraction, type TextExtractionLimits } from './limits';

/** The text inside a file of a type that holds text (see `extractTextWithStatus`); '' for unreadable files. */
export async function extractText(filePath: string, mime: FileMime, limits: Partial<TextExtractionLimits> = {}): Promise<string> {
  return (await extractTextWithStatus(filePath, mime, limits)).text;
}

/**
 * Like `extractText`, and says whether the text is all there is: `complete` is false when a limit, the time limit
 * or bad input cut extraction short, so a DLP policy can treat a file it could not fully read with suspicion.
 * Text files, PDFs, Office documents (with their comments, notes and properties), ZIP archives (their members'
 * names and text, nested archives to a bounded depth) and images (their metadata text) are read; the types left
 * (executables and unrecognised binaries) hold no text we can read and count as complete.
 */
export async function extractTextWithStatus(filePath: string, mime: FileMime, limits: Partial<TextExtractionLimits> = {}): Promise<TextExtraction> {
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
      return runDocumentWorker('pdf', filePath, bounds);
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      return runDocumentWorker('docx', filePath, bounds);
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      return runDocumentWorker('xlsx', filePath, bounds);
    case 'application/vnd.openxmlformats-officedocument.presentationml.presentation':
      return runDocumentWorker('pptx', filePath, bounds);
    case 'application/zip':
      return runDocumentWorker('zip', filePath, bounds);
    case 'image/png':
    case 'image/jpeg':
    case 'image/gif':
    case 'image/webp':
      return runDocumentWorker('image', filePath, bounds);
    case 'application/x-executable':
    case 'application/octet-stream':
      return { text: '', complete: true };
  }
}
