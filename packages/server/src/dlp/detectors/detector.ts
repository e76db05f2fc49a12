import type { ScanText } from '../normalise/scan-text';
import type { Span } from '../span';

export type { Span } from '../span';

/**
 * A compiled detector. It reads text normalised (see normalise/), and reports spans of the original text, so a
 * redaction masks what the sender wrote.
 */
export interface Detector {
  /** The matches in a text, normalised here: for a single detector, as when an administrator tries one out. */
  findSpans(text: string): Span[];
  /** The matches in a text already normalised once for every rule of a scan. Sorted and non-overlapping. */
  findIn(scan: ScanText): Span[];
}

/**
 * What a detector matches on one normalised view of a text: everything it needs is built once, so a scan
 * allocates only its result.
 */
export interface Matcher {
  /** The matches in the text, sorted and non-overlapping, never empty. */
  findSpans(text: string): Span[];
  /** Whether there is any match, where that is much cheaper to tell than where the matches are. */
  test?(text: string): boolean;
}

/** A rule's detector cannot be compiled; the message is a short reason an administrator can act on. */
export class DetectorCompileError extends Error {
  constructor(
    readonly reason: 'invalid-pattern',
    message: string,
  ) {
    super(message);
    this.name = 'DetectorCompileError';
  }
}
