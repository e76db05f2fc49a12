// Text extraction from uploaded files, for DLP scanning and search. Everything here is bounded (see limits.ts):
// a hostile or broken file yields less text, never an error, a hang or a crash.
import type { FileMime } from '@enclave/protocol';
import { runDocumentWorker } from './run-document-worker';
import { DEFAULT_TEXT_EXTRACTION_LIMITS, type TextExtraction, type TextExtractionLimits } from './limits';
import { extractPlainText } from './plain-text';
import { TextBudget } from './text-budget';

export { DEFAULT_TEXT_EXTRACTION_LIMITS, type TextExtraction, type TextExtractionLimits } from './limits';

/** The text inside a text, CSV, Markdown, PDF or DOCX file; '' for every other type and for unreadable files. */
export async function extractText(filePath: string, mime: FileMime, limits: Partial<TextExtractionLimits> = {}): Promise<string> {
  return (await extractTextWithStatus(filePath, mime, limits)).text;
}

/**
 * Like `extractText`, and says whether the text is all there is: `complete` is false when a limit, the time limit
 * or bad input cut extraction short, so a DLP policy can treat a file it could not fully read with suspicion.
 * Types that hold no extractable text count as complete.
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
    default:
      return { text: '', complete: true };
  }
}
