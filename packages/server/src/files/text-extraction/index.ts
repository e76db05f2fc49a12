// Text extraction from uploaded files, for DLP scanning and search. Everything here is bounded (see limits.ts):
// a hostile or broken file yields less text, never an error, a hang or a crash.
import type { FileMime } from '@enclave/protocol';
import { openFileSource, type FileSource } from '../file-source';
import type { DocumentWorkerPool } from './document-worker-pool';
import { DEFAULT_TEXT_EXTRACTION_LIMITS, type TextExtraction, type TextExtractionLimits } from './limits';
import { extractPlainText } from './plain-text';
import type { DocumentKind } from './document-worker';
import { TextBudget } from './text-budget';

export { DEFAULT_TEXT_EXTRACTION_LIMITS, type TextExtraction, type TextExtractionLimits } from './limits';
export { DocumentWorkerPool } from './document-worker-pool';

/** The text inside a file of a type that holds text (see `extractTextWithStatus`); '' for unreadable files. */
export async function extractText(filePath: FileSource | string, mime: FileMime, documents: DocumentWorkerPool, limits: Partial<TextExtractionLimits> = {}): Promise<string> {
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
  source: FileSource | string,
  mime: FileMime,
  documents: DocumentWorkerPool,
  limits: Partial<TextExtractionLimits> = {},
): Promise<TextExtraction> {
  const bounds = { ...DEFAULT_TEXT_EXTRACTION_LIMITS, ...limits };
  const kind = kindOf(mime);
  if (kind === null) return { text: '', complete: true };
  // A path names a plain file outside the files directory (tests, tools); stored files come as sources.
  let opened: FileSource;
  try {
    opened = typeof source === 'string' ? await openFileSource(source, null) : source;
  } catch {
    return { text: '', complete: false };
  }
  try {
    if (kind === 'text') {
      const budget = new TextBudget(bounds.maxChars);
      const complete = await extractPlainText(opened, bounds.maxTextBytes, budget).catch(() => false);
      return { text: budget.text, complete };
    }
    return await documents.extract(kind, opened, bounds);
  } finally {
    if (typeof source === 'string') await opened.close();
  }
}

function kindOf(mime: FileMime): DocumentKind | 'text' | null {
  switch (mime) {
    case 'text/plain':
    case 'text/csv':
    case 'text/markdown':
      return 'text';
    case 'application/pdf':
      return 'pdf';
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
      return 'docx';
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
      return 'xlsx';
    case 'application/vnd.openxmlformats-officedocument.presentationml.presentation':
      return 'pptx';
    case 'application/zip':
      return 'zip';
    case 'image/png':
    case 'image/jpeg':
    case 'image/gif':
    case 'image/webp':
      return 'image';
    case 'application/x-executable':
    case 'application/octet-stream':
      return null;
  }
}
