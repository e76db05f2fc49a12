import type { Span } from '../span';

/**
 * A text as detectors read it, and where each of its code units came from in the original text, so a match
 * found here masks and reports the original's characters. Without a map, the view is the original itself.
 */
export class TextView {
  private constructor(
    readonly text: string,
    private readonly starts: Int32Array | undefined,
    private readonly ends: Int32Array | undefined,
    /** Set for decoded text: any match in it stands for this whole run of the original. */
    private readonly wholeRun: Span | undefined,
  ) {}

  static of(original: string): TextView {
    return new TextView(original, undefined, undefined, undefined);
  }

  /** A view of a decoded run: whatever matches in it counts as a match of the whole run. */
  static standingFor(text: string, run: Span): TextView {
    return new TextView(text, undefined, undefined, run);
  }

  /** The span of the original text that a span of this view was read from. */
  originalSpan([start, end]: Span): Span {
    if (this.wholeRun) return this.wholeRun;
    if (!this.starts || !this.ends) return [start, end];
    return [this.starts[start]!, this.ends[end - 1]!];
  }

  /** Where in the original the code unit at `index` of this view starts and ends. */
  originOf(index: number): Span {
    return this.originalSpan([index, index + 1]);
  }

  /** A view derived from this one, given for each of its code units the index in this view it was read from. */
  derive(text: string, sources: ArrayLike<number>): TextView {
    const starts = new Int32Array(sources.length);
    const ends = new Int32Array(sources.length);
    for (let i = 0; i < sources.length; i += 1) {
      const [start, end] = this.originOf(sources[i]!);
      starts[i] = start;
      ends[i] = end;
    }
    return new TextView(text, starts, ends, this.wholeRun);
  }

  /** A view built from scratch, given for each code unit the span of the original it was read from. */
  static mapped(text: string, starts: Int32Array, ends: Int32Array): TextView {
    return new TextView(text, starts, ends, undefined);
  }
}
