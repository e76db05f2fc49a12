/** UTF-16 indices into the scanned text, end exclusive. */
export type Span = readonly [start: number, end: number];

/** A compiled detector: everything it needs is built once, so a scan allocates only its result. */
export interface Detector {
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
