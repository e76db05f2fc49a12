/**
 * Every bound text extraction works within. Uploads are untrusted, so each resource a file could drive up (bytes
 * read, bytes inflated, pages parsed, characters kept, time, heap) has a ceiling, and reaching one ends extraction
 * with what was found so far instead of an error.
 */
export interface TextExtractionLimits {
  /** Bytes read from the start of a text/plain, text/csv or text/markdown file. */
  maxTextBytes: number;
  /** Largest PDF, Office document, archive or image parsed at all: PDFs and ZIPs keep their index at the end. */
  maxDocumentBytes: number;
  /** Characters returned. */
  maxChars: number;
  /** Wall-clock time for one extraction, including waiting for a free worker. */
  timeoutMs: number;
  /** PDF pages read. */
  maxPdfPages: number;
  /**
   * Uncompressed bytes, as the ZIP declares them, of the members of an Office document or archive read together
   * (nested archives included), and of an image's compressed text chunks.
   */
  maxInflatedBytes: number;
  /** Archives inside archives read: one inside the upload is depth 1. Deeper ones leave the upload unread. */
  maxArchiveDepth: number;
  /** Members listed, all nesting levels together; more leave the upload unread. */
  maxArchiveMembers: number;
  /** V8 old-generation heap of a document worker; exceeding it ends the worker, not the server. */
  maxWorkerHeapMb: number;
}

export const DEFAULT_TEXT_EXTRACTION_LIMITS: Readonly<TextExtractionLimits> = Object.freeze({
  maxTextBytes: 2 * 1024 * 1024,
  maxDocumentBytes: 50 * 1024 * 1024,
  maxChars: 200_000,
  timeoutMs: 5_000,
  maxPdfPages: 200,
  maxInflatedBytes: 32 * 1024 * 1024,
  maxArchiveDepth: 3,
  maxArchiveMembers: 10_000,
  maxWorkerHeapMb: 256,
});

/** What extraction found, and whether that is the whole text or it stopped at a limit, a timeout or bad input. */
export interface TextExtraction {
  text: string;
  complete: boolean;
}
